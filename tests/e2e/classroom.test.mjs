// Teaching with the lab: shortcuts wherever focus is, a fix matrix that fits, "Show how" that
// shows, the presenter view at projector sizes, and the phone's first screen.
import {
  test, assert, gotoApp, settle, screenshot, runAxe, formatAxe, metric,
} from './lib.mjs';

const A = 'grpc-shim';
const B = 'template-cache';

const counter = (page) => page.locator('.timeline .counter').innerText();
async function stepNow(page) {
  const m = (await counter(page)).match(/Step (\d+) of (\d+)/);
  assert.ok(m, 'the step counter is shown');
  return [Number(m[1]), Number(m[2])];
}
async function open(page, suffix) {
  await gotoApp(page, suffix);
  await page.locator('.diagram-svg').waitFor();
  await page.locator('.matrix tbody button').first().waitFor();
}
const playing = (page) => page.locator('.transport .play[aria-pressed="true"]').count();

/** From whatever has focus now: → steps, ← steps back, End, Home, Space plays and pauses. */
async function shortcutsWork(page, what) {
  await page.keyboard.press('Home');
  assert.equal((await stepNow(page))[0], 0, `${what}: Home goes to step 0`);
  await page.keyboard.press('ArrowRight');
  await page.keyboard.press('ArrowRight');
  assert.equal((await stepNow(page))[0], 2, `${what}: → steps`);
  await page.keyboard.press('ArrowLeft');
  assert.equal((await stepNow(page))[0], 1, `${what}: ← steps back`);
  await page.keyboard.press('PageDown');
  assert.equal((await stepNow(page))[0], 2, `${what}: Page Down steps (clickers)`);
  await page.keyboard.press('End');
  const [end, steps] = await stepNow(page);
  assert.equal(end, steps, `${what}: End jumps to the last step`);
  await page.keyboard.press('Home');
  await page.keyboard.press('Space');
  assert.equal(await playing(page), 1, `${what}: Space plays`);
  await page.keyboard.press('Space');
  assert.equal(await playing(page), 0, `${what}: Space pauses`);
}

test('keys wherever focus is: after clicking Step, a switch or a matrix row, shortcuts still work', async ({ page }) => {
  await open(page, `#s=${A}`);
  await page.getByRole('button', { name: 'Step', exact: true }).click();
  await shortcutsWork(page, 'after Step');
  const split = page.locator('#sw-split');
  await split.click();
  assert.ok(await split.isChecked(), 'a click flips the switch');
  assert.ok(await page.evaluate(() => document.activeElement?.id === 'sw-split'), 'the switch has focus');
  await shortcutsWork(page, 'on a ticked switch');
  assert.ok(await split.isChecked(), 'Space did not untick the fix');
  await page.keyboard.press('Enter');
  assert.ok(!(await split.isChecked()), 'Enter flips the focused switch');
  await page.locator('.matrix tbody button').first().click();
  await settle(page);
  await shortcutsWork(page, 'after a matrix row');
  await page.locator('.card').first().click();
  await shortcutsWork(page, 'after a scenario card');
});

test('keys wherever focus is: a slider and a select keep their own keys', async ({ page }) => {
  await open(page, `#s=${B}`);
  await page.locator('#timeline').focus();
  await page.keyboard.press('ArrowRight');
  assert.equal((await stepNow(page))[0], 1, 'the timeline slider steps with its own arrows');
  const speed = page.locator('#speed');
  const before = await speed.inputValue();
  await speed.focus();
  await page.keyboard.press('r');
  assert.equal((await stepNow(page))[0], 1, 'R typed into the select is the select\'s');
  assert.ok(typeof before === 'string');
  // Space on a focused switch: still play/pause, never a flip.
  const box = page.locator('.switches input[type=checkbox]').first();
  const was = await box.isChecked();
  await box.focus();
  await page.keyboard.press('Space');
  assert.equal(await box.isChecked(), was, 'Space does not change the focused switch');
  assert.equal(await playing(page), 1, 'Space on a switch plays');
  await page.keyboard.press('Space');
  await page.keyboard.press('?');
  const dialog = page.getByRole('dialog', { name: 'Keyboard shortcuts' });
  assert.match(await dialog.innerText(), /Space always plays or pauses/);
  assert.match(await dialog.innerText(), /Enter/);
  // Help explains the words, not only the keys.
  for (const word of [/Wait-for graph/, /interleaving/, /States checked/, /dc or r2/]) assert.match(await dialog.innerText(), word);
  const helpBox = await dialog.boundingBox();
  assert.ok(helpBox.y >= 0 && helpBox.y + helpBox.height <= page.viewportSize().height, 'the help fits the window (it scrolls inside)');
});

/** Whatever in the fix matrix sticks out of its panel or scrolls sideways, as text for a message. */
const matrixOverflow = (page) => page.evaluate(() => {
  const panel = document.querySelector('.matrix');
  const edge = panel.getBoundingClientRect();
  const out = [];
  if (document.documentElement.scrollWidth > window.innerWidth) out.push(`page ${document.documentElement.scrollWidth}px`);
  // Text kept for screen readers only (clipped to a pixel) is meant to be out of sight.
  const hidden = (el) => { for (let e = el; e && e !== panel; e = e.parentElement) if (e.getBoundingClientRect().width <= 1) return true; return false; };
  for (const el of panel.querySelectorAll('*')) {
    if (hidden(el)) continue;
    const r = el.getBoundingClientRect();
    if (r.width && (r.right > edge.right + 0.5 || r.left < edge.left - 0.5)) out.push(`${el.tagName}.${el.className} ${Math.round(r.left)}..${Math.round(r.right)}`);
    if (el.scrollWidth > el.clientWidth + 1 && getComputedStyle(el).overflowX !== 'visible') out.push(`${el.tagName}.${el.className} scrolls ${el.scrollWidth}/${el.clientWidth}`);
  }
  return out.slice(0, 5).join('; ');
});

for (const width of [360, 1280, 1920]) {
  test(`fix matrix fits at ${width} px: no row cut off, no sideways scroll, both incidents`, async ({ page }) => {
    for (const id of [A, B]) {
      await open(page, `#s=${id}`);
      await page.locator('.matrix').scrollIntoViewIfNeeded();
      await settle(page);
      assert.equal(await matrixOverflow(page), '', `${id} at ${width} px`);
      const rows = page.locator('.matrix tbody tr:not(.group)');
      const n = await rows.count();
      assert.equal(n, id === B ? 16 : 4, 'one row per combination');
      for (let i = 0; i < n; i++) {
        const buttons = rows.nth(i).locator('button');
        assert.ok(await buttons.count() >= 1, `row ${i} has a button`);
        for (let k = 0; k < await buttons.count(); k++) assert.ok(await buttons.nth(k).isVisible(), `row ${i}'s button ${k} is on screen`);
      }
    }
    // B (four switches): grouped by the risky library default, the shipped value first.
    const groups = page.locator('.matrix tr.group th');
    assert.deepEqual(await groups.allInnerTexts(), ['Reads block until initialised: on (as shipped)', 'Reads block until initialised: off']);
    await screenshot(page, `matrix-${B}-${width}`);
  }, { viewport: { width, height: 900 } });
}

for (const name of ['Show how', 'Play these switches']) {
  test(`fix matrix: "${name}" brings the diagram into view and plays from the start`, async ({ page }) => {
    await open(page, `#s=${B}&at=5`);
    const button = page.locator('.matrix tbody button', { hasText: name }).first();
    await button.scrollIntoViewIfNeeded();
    await button.click();
    await page.waitForFunction(() => document.querySelector('.transport .play')?.getAttribute('aria-pressed') === 'true');
    const [at] = await stepNow(page);
    assert.ok(at <= 2, `playback starts from the beginning (at step ${at})`);
    const box = await page.locator('.diagram-svg').boundingBox();
    const vh = page.viewportSize().height;
    assert.ok(box.y >= -1 && box.y < vh / 2, `the diagram is in view (top at ${Math.round(box.y)} px)`);
  }, { viewport: { width: 1280, height: 800 } });
}

const PROJECTORS = [{ width: 1280, height: 720 }, { width: 1366, height: 768 }, { width: 1920, height: 1080 }];

/** The five parts a class must see, each as a locator found by role or label. */
const fiveParts = (page) => ({
  diagram: page.getByRole('img', { name: /^Diagram of/ }),
  'wait-for graph': page.getByRole('img', { name: /^Wait-for graph/ }),
  outcome: page.locator('.outcome'),
  narration: page.locator('.narration .now'),
  transport: page.getByRole('group', { name: 'Playback' }),
});

for (const size of PROJECTORS) {
  test(`presenter view at ${size.width}x${size.height}: five parts on one screen, no "…", clicker keys`, async ({ page }) => {
    for (const [id, at] of [[A, 24], [B, 9]]) {
      await gotoApp(page, `#s=${id}&at=${at}&view=present`);
      await page.locator('.diagram-svg').waitFor();
      await settle(page, 500);
      assert.ok(await page.evaluate(() => document.body.classList.contains('presenter')), 'the link opens the presenter view');
      assert.equal(await page.getByRole('button', { name: 'Presenter view' }).getAttribute('aria-pressed'), 'true');
      const page_ = await page.evaluate(() => [document.documentElement.scrollWidth, document.documentElement.scrollHeight]);
      assert.ok(page_[0] <= size.width && page_[1] <= size.height, `${id}: no scrolling (${page_} in ${size.width}x${size.height})`);
      for (const [name, loc] of Object.entries(fiveParts(page))) {
        const box = await loc.boundingBox();
        assert.ok(box, `${id}: the ${name} is shown`);
        assert.ok(box.x >= 0 && box.y >= 0 && box.x + box.width <= size.width + 0.5 && box.y + box.height <= size.height + 0.5,
          `${id}: the ${name} is inside the viewport (${JSON.stringify(box)})`);
        assert.ok(box.height >= 20, `${id}: the ${name} has room (${Math.round(box.height)} px high)`);
      }
      const cut = await page.evaluate(() => [...document.querySelectorAll('.diagram-svg text')].map((t) => t.textContent).filter((t) => t.includes('…')));
      assert.deepEqual(cut, [], `${id}: no text in the diagram is cut with "…"`);
      const svg = await page.getByRole('img', { name: /^Diagram of/ }).boundingBox();
      assert.ok(svg.width >= size.width * 0.45 || svg.height >= size.height * 0.45, `${id}: the diagram scales to the space (${Math.round(svg.width)}x${Math.round(svg.height)})`);
      // The graph's names as drawn: its viewBox is what its nodes cover, so two nodes fill the panel.
      const graphPx = await page.evaluate(() => Math.min(...[...document.querySelectorAll('.wg .lbl')].map((t) => t.getBoundingClientRect().height)));
      metric(`presenter ${size.width}x${size.height}: ${id} wait-for graph names drawn`, graphPx, 'px high');
      assert.ok(graphPx >= 12, `${id}: the graph's names are drawn ${graphPx} px high`);
      if (size.width === 1920) {
        const px = await page.evaluate(() => parseFloat(getComputedStyle(document.querySelector('.narration .now p')).fontSize));
        assert.ok(px >= 20, `body text is at least 20 px at 1920x1080 (${px})`);
      }
      await screenshot(page, `presenter-${id}-${size.width}x${size.height}`);
    }
    // Clicker keys: Page Down / Page Up and the arrows step, "." and B blank and pause.
    await page.locator('body').focus();
    await page.keyboard.press('Home');
    await page.keyboard.press('PageDown');
    await page.keyboard.press('PageDown');
    assert.equal((await stepNow(page))[0], 2, 'Page Down steps');
    await page.keyboard.press('PageUp');
    assert.equal((await stepNow(page))[0], 1, 'Page Up steps back');
    await page.keyboard.press('ArrowRight');
    assert.equal((await stepNow(page))[0], 2, '→ steps');
    await page.keyboard.press('Space');
    assert.equal(await playing(page), 1);
    await page.keyboard.press('.');
    assert.equal(await playing(page), 0, '"." pauses');
    assert.ok(await page.locator('.blank').isVisible(), '"." blanks the screen');
    await page.keyboard.press('b');
    assert.ok(!(await page.locator('.blank').isVisible()), 'a key brings the screen back');
    await page.keyboard.press('B');
    assert.ok(await page.locator('.blank').isVisible(), 'B blanks the screen');
    await page.keyboard.press('PageDown');
    assert.ok(!(await page.locator('.blank').isVisible()));
    assert.equal((await stepNow(page))[0], 2, 'the key that brings the screen back does not also step');
  }, { viewport: size });
}

test('presenter view: P and the button go in and out, and the link follows', async ({ page }) => {
  await open(page, `#s=${A}&at=3`);
  assert.ok(!(await page.evaluate(() => document.body.classList.contains('presenter'))));
  await page.getByRole('button', { name: 'Step', exact: true }).click();
  await page.keyboard.press('p');
  assert.ok(await page.evaluate(() => document.body.classList.contains('presenter')), 'P opens it, even with focus on Step');
  await page.waitForFunction(() => location.hash.includes('view=present'));
  await page.getByRole('button', { name: 'Presenter view' }).click();
  assert.ok(!(await page.evaluate(() => document.body.classList.contains('presenter'))), 'the button leaves it');
  await page.waitForFunction(() => !location.hash.includes('view='));
  assert.equal((await stepNow(page))[0], 4, 'the step stays');
});

for (const scheme of ['light', 'dark']) {
  test(`presenter view: axe clean (${scheme})`, async ({ page }) => {
    for (const id of [A, B]) {
      await gotoApp(page, `#s=${id}&at=8&view=present`);
      await page.locator('.diagram-svg').waitFor();
      await settle(page, 500);
      const found = (await runAxe(page)).filter((v) => v.impact === 'serious' || v.impact === 'critical');
      assert.equal(found.length, 0, formatAxe(found));
      await screenshot(page, `presenter-${id}-1280x720-${scheme}`);
    }
  }, { viewport: { width: 1280, height: 720 }, colorScheme: scheme });
}

test('phone (360 px): Play and the narration on the first screen, pinned while the diagram scrolls; the wait-for graph right after the diagram', async ({ page }) => {
  for (const id of [A, B]) {
    await open(page, `#s=${id}&at=5`);
    await page.evaluate(() => scrollTo(0, 0));
    await settle(page, 300);
    const vh = page.viewportSize().height;
    const play = page.getByRole('button', { name: 'Play', exact: true });
    const now = page.locator('.narration .now');
    let p = await play.boundingBox();
    let n = await now.boundingBox();
    assert.ok(p.y >= 0 && p.y + p.height <= vh, `${id}: Play is on the first screen (at ${Math.round(p.y)} px)`);
    assert.ok(n.y >= 0 && n.y + Math.min(n.height, 60) <= vh, `${id}: the narration starts on the first screen (at ${Math.round(n.y)} px)`);
    await screenshot(page, `phone-${id}-first-screen`);
    // Scroll through the diagram: Play and the narration stay on screen.
    const fig = await page.locator('.diagram-svg').boundingBox();
    await page.mouse.wheel(0, fig.y + fig.height / 2);
    await settle(page, 300);
    p = await play.boundingBox();
    n = await now.boundingBox();
    assert.ok(p.y >= 0 && p.y + p.height <= vh, `${id}: Play stays on screen while the diagram scrolls (at ${Math.round(p.y)} px)`);
    assert.ok(n.y >= 0 && n.y < vh, `${id}: the narration stays on screen (at ${Math.round(n.y)} px)`);
    await page.keyboard.press('ArrowRight');
    assert.equal((await stepNow(page))[0], 6);
    await screenshot(page, `phone-${id}-scrolled`);
    // Order on the page: diagram, then the wait-for graph, then the switches.
    const order = await page.evaluate(() => ['.diagram-svg', '.waitgraph', '.controls'].map((s) => document.querySelector(s).getBoundingClientRect().top + scrollY));
    assert.ok(order[0] < order[1] && order[1] < order[2], `${id}: diagram, wait-for graph, switches in that order (${order.map(Math.round)})`);
    const width = await page.evaluate(() => document.documentElement.scrollWidth);
    assert.ok(width <= 360, `${id}: no sideways scrolling (${width})`);
  }
}, { viewport: { width: 360, height: 740 } });

// A lesson taught from the presenter view: the open chapter's text and question join the right
// column; with the diagram, the wait-for graph and the transport still on one screen.
for (const size of [PROJECTORS[0], PROJECTORS[2]]) {
  test(`presenter view at ${size.width}x${size.height}: a lesson's chapter and question on the same screen`, async ({ page }) => {
    await gotoApp(page, `#s=${B}&ch=3&view=present`);
    await page.locator('.diagram-svg').waitFor();
    const lesson = page.getByRole('region', { name: 'Lesson' });
    await lesson.getByRole('heading', { level: 3 }).waitFor();
    assert.match(await page.locator('.timeline .counter').innerText(), /^Step 5 of/, 'a bare chapter link opens at the chapter\'s step');
    for (const scheme of ['light', 'dark']) {
      await page.emulateMedia({ colorScheme: scheme });
      await settle(page, 500);
      const doc = await page.evaluate(() => [document.documentElement.scrollWidth, document.documentElement.scrollHeight]);
      assert.ok(doc[0] <= size.width && doc[1] <= size.height, `no scrolling (${doc} in ${size.width}x${size.height})`);
      // Nobody waits yet at this step: the graph's panel stands for its drawing.
      const parts = { ...fiveParts(page), 'wait-for graph': page.locator('.waitgraph'),
        chapter: lesson.getByRole('heading', { level: 3 }), answer: lesson.getByRole('listitem').first() };
      delete parts.narration;
      for (const [name, loc] of Object.entries(parts)) {
        const box = await loc.boundingBox();
        assert.ok(box && box.y >= 0 && box.y + box.height <= size.height + 0.5 && box.x + box.width <= size.width + 0.5,
          `the ${name} is inside the viewport (${JSON.stringify(box)})`);
      }
      assert.ok(!(await lesson.getByText('All chapters').isVisible()), 'the chapter list stays in the page view');
      const found = (await runAxe(page)).filter((v) => v.impact === 'serious' || v.impact === 'critical');
      assert.equal(found.length, 0, formatAxe(found));
      await screenshot(page, `presenter-lesson-${size.width}x${size.height}-${scheme}`);
    }
    // The class answers from this view: the feedback shows beside the question.
    await lesson.getByRole('listitem').first().getByRole('button').click();
    await lesson.locator('.feedback').filter({ hasText: /./ }).waitFor();
    const fb = await lesson.locator('.feedback').boundingBox();
    assert.ok(fb && fb.y + fb.height <= size.height + 0.5, `the feedback is on screen (${JSON.stringify(fb)})`);
  }, { viewport: size });
}

test('phone (360 px): a tap on a squeezed line writes it whole under the diagram, until the next step', async ({ page }) => {
  await open(page, `#s=${B}&at=9`);
  await settle(page, 300);
  // A squeezed text inside a part that has a tooltip: its whole text is in the tooltip.
  const target = await page.evaluate(() => {
    const t = [...document.querySelectorAll('.diagram-svg text[textLength]')]
      .find((x) => x.closest('g:has(> title)'));
    if (!t) return null;
    t.setAttribute('data-e2e', 'squeezed');
    return { text: t.textContent, title: t.closest('g:has(> title)').querySelector(':scope > title').textContent };
  });
  assert.ok(target, 'a squeezed line at 360 px');
  const picked = page.locator('.diagram .picked');
  assert.equal(await picked.isVisible(), false, 'nothing shown before a tap');
  await page.locator('[data-e2e=squeezed]').tap();
  await picked.waitFor();
  const said = await picked.innerText();
  assert.equal(said, target.title);
  assert.ok(said.includes(target.text.replace(/^\S+ /, '')), `${said} holds ${target.text}`);
  assert.equal(await picked.getAttribute('aria-live'), 'polite');
  // Below the pinned transport: the line's bottom at the bottom of the screen.
  await picked.evaluate((el) => el.scrollIntoView({ block: 'end' }));
  await screenshot(page, 'phone-B-tapped-line');
  // Every squeezed line, in both incidents, is in a part a tap can read whole.
  const unreadable = () => page.evaluate(() => [...document.querySelectorAll('.diagram-svg text[textLength]')]
    .filter((t) => !t.closest('g:has(> title)')).map((t) => t.textContent));
  assert.deepEqual(await unreadable(), [], `${B}: squeezed lines no tap can read`);
  // A flag is one of them: its state whole.
  await page.locator('.diagram-svg .flag', { hasText: 'store initialised' }).tap();
  await picked.waitFor();
  assert.match(await picked.innerText(), /^✗ store initialised: not yet$/);
  await page.keyboard.press('ArrowLeft');
  await settle(page, 100);
  assert.match(await counter(page), /^Step 8 of/);
  assert.equal(await picked.isVisible(), false, 'another step clears it');
  await open(page, `#s=${A}&at=24`);
  await settle(page, 300);
  assert.deepEqual(await unreadable(), [], `${A}: squeezed lines no tap can read`);
}, { viewport: { width: 360, height: 740 }, hasTouch: true });
