// Guided lessons by roles and labels: both incidents walked from the first chapter to the last,
// each question answered wrong and then right with the model's feedback, no spoiler before the
// answer, a link to a chapter, axe and screenshots.
import { test, assert, gotoApp, settle, screenshot, runAxe, formatAxe } from './lib.mjs';

const panel = (page) => page.getByRole('region', { name: 'Lesson' });
const nav = (page) => panel(page).getByRole('navigation', { name: 'Chapters' });
const heading = (page) => panel(page).locator('#chapter-h').innerText();

async function start(page, id) {
  await gotoApp(page, `#s=${id}`);
  await page.locator('.matrix tbody button').first().waitFor();
  await nav(page).getByRole('button', { name: 'Start the lesson' }).click();
  await page.locator('#chapter-h').waitFor();
}

/** The answer buttons of the open chapter. */
const answers = (page) => panel(page).locator('.answers button');

for (const id of ['grpc-shim', 'template-cache']) {
  test(`lesson: ${id} walked to its end, every question answered wrong and right`, async ({ page }) => {
    await start(page, id);
    let chapters = 0, questions = 0;
    for (;;) {
      chapters++;
      const title = await heading(page);
      assert.match(title, new RegExp(`^${chapters}\\. `), title);
      if (await answers(page).count()) {
        questions++;
        assert.equal(await page.locator('.outcome .ending').innerText(), '', `${title}: no spoiler before the answer`);
        assert.equal(await page.locator('.outcome .verdict').innerText(), '', `${title}: no verdict before the answer`);
        // Wrong first: the last option, unless that is the model's answer (found after the fact).
        const n = await answers(page).count();
        await answers(page).nth(n - 1).click();
        const feedback = panel(page).getByRole('status');
        const right = await answers(page).nth(n - 1).innerText();
        const said = await feedback.innerText();
        if (right.includes("✓ the model's answer")) assert.match(said, /^Right\./, said);
        else assert.match(said, /^Not this time\./, said);
        assert.equal(await answers(page).nth(n - 1).isDisabled(), true, 'one answer per visit');
        const k = await answers(page).evaluateAll((bs) => bs.findIndex((b) => b.textContent.includes("✓ the model's answer")));
        assert.ok(k >= 0, 'the model\'s answer is marked in words');
        // Again, from the chapter list, answered right this time.
        await panel(page).getByText('All chapters').click();
        await panel(page).locator('.chapters button[aria-current]').click();
        await answers(page).nth(k).click();
        assert.match(await feedback.innerText(), /^Right\./);
      }
      const next = nav(page).getByRole('button', { name: 'Next chapter →' });
      if (await next.isDisabled()) break;
      await next.click();
      await settle(page, 50);
    }
    assert.ok(chapters >= 5 && questions >= 3, `${chapters} chapters, ${questions} questions`);
    assert.ok(await page.evaluate(() => document.activeElement?.id === 'chapter-h' || !!document.activeElement?.closest('.lesson')), 'focus stays in the lesson');
    await nav(page).getByRole('button', { name: 'Leave the lesson' }).click();
    await nav(page).getByRole('button', { name: 'Start the lesson' }).waitFor();
  });
}

test('lesson: a link opens its chapter, keyboard only, with the question open', async ({ page }) => {
  await start(page, 'template-cache');
  await nav(page).getByRole('button', { name: 'Next chapter →' }).focus();
  await page.keyboard.press('Enter');
  await page.keyboard.press('Enter');
  await page.waitForFunction(() => location.hash.includes('&ch=3'));
  const title = await heading(page);
  const link = await page.evaluate(() => location.hash);
  const ctx = await page.context().browser().newContext();
  const fresh = await ctx.newPage();
  try {
    await gotoApp(fresh, link);
    await fresh.locator('#chapter-h').waitFor();
    assert.equal(await heading(fresh), title);
    assert.ok(await answers(fresh).count() >= 2, 'the question is open');
  } finally {
    await ctx.close();
  }
});

for (const scheme of ['light', 'dark']) {
  test(`lesson: axe clean with a question answered (${scheme})`, async ({ page }) => {
    await start(page, 'grpc-shim');
    await nav(page).getByRole('button', { name: 'Next chapter →' }).click();
    await answers(page).first().click();
    const found = await runAxe(page);
    assert.equal(found.length, 0, formatAxe(found));
    await panel(page).scrollIntoViewIfNeeded();
    await screenshot(page, `lesson-A-${scheme}`);
  }, { colorScheme: scheme });
}

test('lesson: "Print a hand-out" prints one page per chapter, each with its question and its diagram', async ({ page }) => {
  await gotoApp(page, '#s=template-cache');
  await page.locator('.matrix tbody button').first().waitFor();
  await page.evaluate(() => { window.print = () => { window.__printed = (window.__printed ?? 0) + 1; }; });
  await nav(page).getByRole('button', { name: 'Print a hand-out' }).click();
  assert.equal(await page.evaluate(() => window.__printed), 1, 'the print dialog was asked for');
  await page.emulateMedia({ media: 'print' });
  const pages = page.locator('.handout section');
  const count = await pages.count();
  assert.ok(count >= 5, `${count} pages`);
  for (let i = 0; i < count; i++) {
    const p = pages.nth(i);
    assert.match(await p.locator('h2').innerText(), new RegExp(`^${i + 1}\\. `));
    assert.ok(await p.locator('svg .actor').count() >= 2, `page ${i + 1} has its diagram`);
    assert.equal(await p.innerText().then((t) => t.includes("the model's answer")), false, 'no answers printed');
  }
  assert.ok(await page.locator('.handout .prompt').count() >= 3, 'the questions are printed');
  assert.equal(await page.locator('main').isVisible(), false, 'only the hand-out is printed');
  await screenshot(page, 'handout-B-print');
  await page.emulateMedia({ media: 'screen' });
  assert.equal(await page.locator('.handout').isVisible(), false, 'never shown on screen');
  assert.equal(await page.locator('main').isVisible(), true);
});

test('lesson: a chapter points at what it names, in both drawings, and leaving the lesson clears it', async ({ page }) => {
  await start(page, 'template-cache');
  const next = nav(page).getByRole('button', { name: 'Next chapter →' });
  for (let i = 0; i < 3; i++) await next.click();
  assert.match(await heading(page), /^4\. The cycle/);
  await settle(page, 100);
  const lit = () => page.evaluate(() => ({
    diagram: [...document.querySelectorAll('.diagram-svg .lit')].map((g) => g.dataset.d).sort(),
    graph: [...document.querySelectorAll('.wg .lit')].map((g) => g.dataset.w).sort(),
    names: [...document.querySelectorAll('.diagram-svg .lit .name, .diagram-svg .lit .res-label')]
      .map((t) => t.textContent),
    underlined: [...document.querySelectorAll('.diagram-svg .lit .name')]
      .every((t) => getComputedStyle(t).textDecorationLine.includes('underline')),
  }));
  const now = await lit();
  // The chapter names the store initialiser, request thread 1, Foo's bin lock and the flag.
  assert.equal(now.diagram.filter((d) => d.startsWith('a')).length, 2, JSON.stringify(now));
  assert.equal(now.diagram.filter((d) => d.startsWith('r')).length, 2, JSON.stringify(now));
  assert.ok(now.names.some((n) => n.includes('store initialiser')), JSON.stringify(now));
  assert.ok(now.names.some((n) => n.includes('bin lock of Foo')), JSON.stringify(now));
  assert.ok(now.underlined, 'marked by more than colour');
  for (const d of now.diagram.filter((d) => d.startsWith('a'))) assert.ok(now.graph.includes(d), `${d} lit in the graph too`);
  await page.locator('.diagram-svg').scrollIntoViewIfNeeded();
  await screenshot(page, 'lesson-lit-B');
  // Another chapter points elsewhere; leaving the lesson leaves nothing lit.
  await next.click();
  await settle(page, 100);
  assert.notDeepEqual((await lit()).diagram, now.diagram);
  await nav(page).getByRole('button', { name: 'Leave the lesson' }).click();
  await settle(page, 100);
  assert.equal(await page.locator('.lit').count(), 0);
});
