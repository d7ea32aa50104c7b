// You are the scheduler: the student picks who moves next, the explorer's hints say what is still
// reachable. Both walk-throughs of the issue by roles and labels, keyboard only, links that replay
// a chosen schedule, random schedules, axe on the panel, and screenshots at 360 and 1280 px.
import {
  test, assert, gotoApp, settle, screenshot, runAxe, formatAxe, metric, MOBILE_VIEWPORT,
} from './lib.mjs';

const A = 'grpc-shim';
const B = 'template-cache';
const NO_DEADLOCK = 'A deadlock: cannot happen from here.';

const panel = (page) => page.getByRole('region', { name: 'You are the scheduler' });
const offerList = (page) => panel(page).getByRole('list', { name: /Who moves next/ });
const hint = (page) => panel(page).getByRole('status').first().innerText();

/** Opens `id` and turns choosing on; waits for the explorer's hints. */
async function choosing(page, suffix) {
  await gotoApp(page, suffix);
  await page.locator('.diagram-svg').waitFor();
  await panel(page).getByRole('button', { name: 'Choose the next step yourself' }).click();
  await page.waitForFunction(() => /A deadlock:/.test(document.querySelector('.choose .hint')?.textContent ?? ''),
    null, { timeout: 20000 });
}

/** The offers on screen: the label of each button and the mark beside it. */
const offers = (page) => offerList(page).locator('li').evaluateAll((lis) => lis.map((li) => ({
  label: li.querySelector('button')?.textContent.replace(/^\d/, '').trim() ?? null,
  mark: li.querySelector('.mark')?.textContent ?? '',
})));

/** Takes offer `k` (from 0) by its button, or by its number key. */
async function take(page, k, { keyboard = false } = {}) {
  if (keyboard) await page.keyboard.press(String(k + 1));
  else await offerList(page).getByRole('button').nth(k).click();
  await settle(page, 30);
}

/** B's good order: take the step that rules the deadlock out when one is offered, else the first
 *  step that does not make it certain. Returns each step's label and the hint after it. */
async function serveEveryone(page, opts) {
  const log = [];
  for (let i = 0; i < 60; i++) {
    const os = await offers(page);
    if (os.length === 0 || os[0].label === null) break;
    let k = os.findIndex((o) => o.mark === 'rules the deadlock out');
    if (k < 0) k = os.findIndex((o) => !o.mark.startsWith('makes the deadlock certain'));
    await take(page, k, opts);
    log.push({ label: os[k].label, mark: os[k].mark, hint: await hint(page) });
  }
  return log;
}

function checkServed(log) {
  const ruled = log.findIndex((l) => l.hint.includes(NO_DEADLOCK));
  assert.ok(ruled >= 0, 'the hint said the deadlock could no longer happen');
  assert.equal(log[ruled].mark, 'rules the deadlock out', 'the step that ruled it out was marked before it was taken');
  assert.match(log[ruled].label, /store initialiser locks the bin lock of Foo/);
  assert.ok(log.slice(0, ruled).some((l) => /replays Foo through OnUpdate/.test(l.label)), 'the replay of Foo came first');
  assert.ok(log.slice(0, ruled).every((l) => !l.hint.includes(NO_DEADLOCK)), 'not before that step');
  const lock = log.findIndex((l) => /Request thread \d \(Foo\) locks the bin lock of Foo/.test(l.label));
  assert.ok(lock > ruled, 'a request for Foo takes its bin lock after the replay');
}

test('scheduler: B at the shipped settings, the request for Foo after the replay of Foo, and every request is served', async ({ page }) => {
  await choosing(page, `#s=${B}`);
  assert.match(await hint(page), /A deadlock: still possible, \d+ steps away/);
  const log = await serveEveryone(page);
  checkServed(log);
  assert.match(await page.locator('.outcome .headline').innerText(), /Completed/);
  assert.match(await offerList(page).innerText(), /Nothing can move/);
  const challenges = await panel(page).locator('.challenges li.met').allInnerTexts();
  assert.ok(challenges.some((c) => /Serve every request/.test(c)), `the serving challenge is met: ${challenges}`);
  await screenshot(page, 'scheduler-B-served-1280');
});

test('scheduler: keyboard only, B served with the number keys', async ({ page }) => {
  await gotoApp(page, `#s=${B}`);
  await page.locator('.diagram-svg').waitFor();
  const toggle = panel(page).getByRole('button', { name: 'Choose the next step yourself' });
  await toggle.focus();
  await page.keyboard.press('Enter');
  const stop = panel(page).getByRole('button', { name: 'Stop choosing' });
  assert.equal(await stop.getAttribute('aria-pressed'), 'true');
  await page.waitForFunction(() => /A deadlock:/.test(document.querySelector('.choose .hint')?.textContent ?? ''));
  checkServed(await serveEveryone(page, { keyboard: true }));
  assert.match(await page.locator('.outcome .headline').innerText(), /Completed/);
});

test('scheduler: A deadlocks in an order of the student\'s own; split goroutines rules it out from the start', async ({ page }) => {
  await gotoApp(page, `#s=${A}`);
  await page.locator('.diagram-svg').waitFor();
  await page.locator('.story li').first().waitFor({ state: 'attached' });
  const story = await page.locator('.story li').allTextContents();
  await panel(page).getByRole('button', { name: 'Choose the next step yourself' }).click();
  await page.waitForFunction(() => /A deadlock:/.test(document.querySelector('.choose .hint')?.textContent ?? ''));
  // Always the last step offered that keeps the deadlock reachable.
  for (let i = 0; i < 80 && !(await hint(page)).includes('A deadlock: yes, now.'); i++) {
    const os = await offers(page);
    const k = os.map((o) => o.mark !== 'rules the deadlock out').lastIndexOf(true);
    await take(page, k);
  }
  assert.match(await hint(page), /A deadlock: yes, now\./);
  assert.match(await page.locator('.outcome .headline').innerText(), /Deadlock/i);
  const mine = await page.locator('.story li').allTextContents();
  assert.notDeepEqual(mine, story.slice(0, mine.length), 'an order other than the story');
  await screenshot(page, 'scheduler-A-deadlocked-1280');

  await page.locator('#sw-split').check();
  await page.waitForFunction((t) => document.querySelector('.choose .hint')?.textContent.includes(t), NO_DEADLOCK, { timeout: 20000 });
  assert.match(await page.locator('.timeline .counter').innerText(), /Step \d+ of/);
});

test('scheduler: a link replays the chosen schedule in a fresh browser, choosing still on', async ({ page }) => {
  await choosing(page, `#s=${B}`);
  for (const k of [1, 0, 2, 0]) await take(page, k);
  await page.waitForFunction(() => location.hash.includes('by=you'));
  const link = await page.evaluate(() => location.hash);
  const lines = await page.locator('.story li').allTextContents();
  const context = await page.context().browser().newContext();
  const fresh = await context.newPage();
  try {
    await gotoApp(fresh, link);
    await fresh.locator('.diagram-svg').waitFor();
    assert.match(await fresh.locator('.timeline .counter').innerText(), /Step 4 of 4/);
    await fresh.locator('.story li').first().waitFor({ state: 'attached' });
    assert.deepEqual(await fresh.locator('.story li').allTextContents(), lines);
    const toggle = panel(fresh).getByRole('button', { name: 'Stop choosing' });
    assert.equal(await toggle.getAttribute('aria-pressed'), 'true');
  } finally {
    await context.close();
  }
});

test('scheduler: a random schedule replays from its seed; a hundred show the spread', async ({ page }) => {
  await choosing(page, `#s=${B}`);
  await panel(page).getByLabel('Seed').fill('42');
  await panel(page).getByRole('button', { name: 'Play a random schedule' }).click();
  await page.waitForFunction(() => location.hash.includes('seed=42'));
  const lines = await page.locator('.story li').allTextContents();
  await panel(page).getByRole('button', { name: 'Try 100 random schedules' }).click();
  await page.waitForFunction(() => /Of 100 random schedules/.test(document.querySelector('.choose .random')?.textContent ?? ''));
  assert.match(await panel(page).locator('.random').innerText(), /Of 100 random schedules: \d+ closed a wait-for cycle/);
  await page.reload();
  await page.locator('.story li').first().waitFor({ state: 'attached' });
  assert.deepEqual(await page.locator('.story li').allTextContents(), lines, 'the same seed, the same run');
});

for (const [width, height, scheme] of [[1280, 800, 'light'], [360, 740, 'dark']]) {
  test(`scheduler: axe clean with the panel open (${width} px, ${scheme})`, async ({ page }) => {
    await choosing(page, `#s=${B}`);
    await take(page, 1);
    const found = await runAxe(page);
    assert.equal(found.length, 0, formatAxe(found));
    await panel(page).scrollIntoViewIfNeeded();
    await screenshot(page, `scheduler-B-panel-${width}-${scheme}`);
  }, { viewport: width === 360 ? MOBILE_VIEWPORT : { width, height }, colorScheme: scheme });
}

// One chosen step = the number key, the model step, the hints of every new offer, the DOM update
// and a forced layout (as the player's step timing measures it), over B's whole run, with no long
// task; and the time the hints take to be ready.
test('scheduler: one chosen step with its hints and render, timed; no long task', async ({ page }) => {
  await page.addInitScript(() => {
    window.__long = [];
    new PerformanceObserver((l) => { for (const e of l.getEntries()) window.__long.push(e.duration); }).observe({ type: 'longtask', buffered: true });
  });
  await gotoApp(page, `#s=${B}`);
  await page.locator('.matrix tbody button').first().waitFor();
  await settle(page, 300);
  await page.evaluate(() => { window.__long = []; window.__t0 = performance.now(); });
  await panel(page).getByRole('button', { name: 'Choose the next step yourself' }).click();
  await page.waitForFunction(() => /A deadlock:/.test(document.querySelector('.choose .hint')?.textContent ?? ''));
  metric('scheduler: B hints ready after the click', await page.evaluate(() => performance.now() - window.__t0));
  const times = await page.evaluate(async () => {
    const out = [];
    for (let i = 0; i < 40 && document.querySelector('.offers button'); i++) {
      const t = performance.now();
      window.dispatchEvent(new KeyboardEvent('keydown', { key: '1' }));
      await new Promise((r) => { const c = new MessageChannel(); c.port1.onmessage = r; c.port2.postMessage(0); });
      document.body.getBoundingClientRect();
      out.push(performance.now() - t);
      await new Promise((r) => requestAnimationFrame(() => setTimeout(r, 0)));
    }
    return out.sort((a, b) => a - b);
  });
  assert.ok(times.length >= 10, `${times.length} steps taken`);
  metric(`scheduler: one chosen step + hints + DOM update + layout, median of ${times.length}`, times[Math.floor(times.length / 2)]);
  metric('scheduler: one chosen step + hints + DOM update + layout, 90th percentile', times[Math.floor(times.length * 0.9)]);
  const long = await page.evaluate(() => window.__long);
  metric('scheduler: long tasks while choosing', long.length, 'tasks');
  assert.deepEqual(long, [], 'no task over 50 ms while the hints build and the steps are taken');
});
