// The explorer in real Chromium: the fix matrix fills in slices while the page keeps responding.
// B at its largest knobs (8 request threads, 3 templates requested, 3 in the store) has a verdict
// in every cell, with no long task while it fills; a knob moved across its range leaves no verdict
// of an older setting on screen.
import { test, assert, gotoApp, metric } from './lib.mjs';

const B = 'template-cache';
const DECIDED = /Every one of the 16 combinations is decided/;

/** Each row's verdict class, verdict text and state count. */
const rows = (page) => page.locator('.matrix tbody tr:not(.group)').evaluateAll((trs) => trs.map((tr) => ({
  class: tr.className.replace(' current', ''),
  verdict: tr.querySelector('.verdict')?.textContent.replace(' ← current', ''),
  states: tr.querySelector('.num')?.textContent,
})));

async function decided(page) {
  await page.waitForFunction((re) => new RegExp(re).test(document.querySelector('.matrix .progress')?.textContent ?? ''),
    DECIDED.source, { timeout: 20000 });
}

/** Starts recording long tasks and the moment the matrix is next decided after it was last seen
 * checking (`rearm` forgets both, so a verdict still on screen from before does not count). */
async function watch(page) {
  await page.evaluate((re) => {
    const w = (window.__explorer = { long: [], decidedAt: null });
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) w.long.push([Math.round(e.startTime), Math.round(e.duration)]);
    }).observe({ type: 'longtask' });
    const p = document.querySelector('.matrix .progress');
    w.rearm = () => { w.checking = false; w.decidedAt = null; };
    w.rearm();
    new MutationObserver(() => {
      if (!new RegExp(re).test(p.textContent)) Object.assign(w, { checking: true, decidedAt: null });
      else if (w.checking && w.decidedAt === null) w.decidedAt = performance.now();
    }).observe(p, { childList: true, characterData: true, subtree: true });
  }, DECIDED.source);
}

test('explorer: B at 8 threads, 3 and 3 has a verdict in every cell, with no long task', async ({ page }) => {
  await gotoApp(page, `#s=${B}`);
  await decided(page);
  await watch(page);
  for (const id of ['keys', 'items']) {
    await page.locator(`#knob-${id}`).focus();
    await page.keyboard.press('End');
  }
  await decided(page);
  await page.locator('#knob-threads').focus();
  const t0 = await page.evaluate(() => (window.__explorer.rearm(), performance.now()));
  await page.keyboard.press('End');
  await page.waitForFunction(() => window.__explorer.decidedAt !== null, null, { timeout: 20000 });
  const { long: all, decidedAt } = await page.evaluate(() => window.__explorer);
  // The explorer marks where its own work begins (the knob change's task before it rebuilds the
  // player's run and redraws the page).
  const start = await page.evaluate(() => performance.getEntriesByName('explorer-start').at(-1).startTime);
  const long = all.filter(([s]) => s >= start).map(([, d]) => d);
  const before = all.filter(([s]) => s < start).map(([, d]) => d);
  metric('explorer: B matrix at 8 threads, 3, 3 filled', decidedAt - t0);
  metric('explorer: long tasks while filling', long.length, 'tasks');
  console.log('    long tasks while filling (ms):', JSON.stringify(long));
  metric('explorer: longest task of the knob change before it', Math.max(0, ...before));
  assert.match(await page.locator('#knob-threads + output').innerText(), /8/);
  const cells = await rows(page);
  assert.equal(cells.length, 16);
  for (const c of cells) assert.match(c.class, /^(safe|possible|always|recovers)$/, JSON.stringify(c));
  assert.deepEqual(long, [], 'no main-thread task over 50 ms while the matrix filled');
  // The player still answers: a step forward moves the playhead.
  await page.evaluate(() => document.activeElement?.blur());
  await page.keyboard.press('ArrowRight');
  assert.match(await page.locator('.timeline .counter').innerText(), /^Step 1 of/);
}, { timeout: 60000 });

test('explorer: a knob moved across its range leaves no stale verdict', async ({ page }) => {
  await gotoApp(page, `#s=${B}`);
  await decided(page);
  await page.locator('#knob-threads').focus();
  // From the shipped 3 threads up to 8, then back down to 5, faster than the explorer finishes.
  for (let i = 0; i < 5; i++) await page.keyboard.press('ArrowRight');
  for (let i = 0; i < 3; i++) await page.keyboard.press('ArrowLeft');
  await decided(page);
  const dragged = await rows(page);
  const fresh = await page.context().newPage();
  await fresh.goto(page.url().replace(/#.*/, '') + `#s=${B}&sw=0001&k=5,1,2&at=0`);
  await decided(fresh);
  assert.deepEqual(dragged, await rows(fresh), 'the same rows as a page opened at 5 threads');
  assert.ok(dragged.some((c) => c.class === 'possible'), 'the shipped switches can deadlock');
  await fresh.close();
}, { timeout: 60000 });

test('explorer: with a client that never reads, the matrix says which fixes keep the process up', async ({ page }) => {
  await gotoApp(page, '#s=grpc-shim&k=2,8,0,1');
  await page.waitForFunction(() => /^Every one of the 4 combinations is decided\. No/.test(document.querySelector('.matrix .progress')?.textContent ?? ''));
  const status = await page.locator('.matrix .progress').textContent();
  assert.match(status, /No combination of these switches keeps every run out of trouble here\./);
  assert.match(status, /stays up \(something still stuck\) with: all switches off; Short per-request timeout; Split goroutines \+ Short per-request timeout\./);
  assert.match(status, /It can be taken down with: Split goroutines\./);
  // At the shipped knobs some rows are safe, and the status line only counts.
  await gotoApp(page, '#s=grpc-shim&k=2,8,200,1');
  await page.waitForFunction(() => /^Every one of the 4 combinations is decided\.\s*$/.test(document.querySelector('.matrix .progress')?.textContent ?? ''));
});
