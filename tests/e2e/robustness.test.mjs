// Robustness: thousands of random UI actions with a fixed, printed seed; a long autoplay soak with
// the JS heap sampled; a scenario file full of HTML and script that must show up as plain text.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test, assert, gotoApp, settle, metric, repoRoot } from './lib.mjs';

/** mulberry32: a tiny seeded PRNG, so a failing sequence can be replayed from its seed. */
function rng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const SEED = Number(process.env.E2E_SEED ?? 20261122);
const ACTIONS = Number(process.env.E2E_ACTIONS ?? 2000);

test(`random input: ${ACTIONS} random actions (seed ${SEED}) leave no error and a responsive app`, async ({ page }) => {
  console.log(`    seed ${SEED} (replay with E2E_SEED=${SEED})`);
  const rand = rng(SEED);
  const pick = (xs) => xs[Math.floor(rand() * xs.length)];
  await gotoApp(page);
  const keys = ['ArrowRight', 'ArrowLeft', 'Home', 'End', ' ', 'r', '?', 'Escape', 'j', 'l', 'Tab'];
  const sizes = [[1280, 800], [360, 740], [800, 600], [1600, 900]];
  const counts = {};
  for (let i = 0; i < ACTIONS; i++) {
    const kind = pick(['key', 'key', 'key', 'click', 'click', 'switch', 'knob', 'scrub', 'incident', 'resize']);
    counts[kind] = (counts[kind] ?? 0) + 1;
    // Close the help overlay now and then so clicks reach the page.
    if (await page.locator('.help-backdrop.open').count()) await page.keyboard.press('Escape');
    switch (kind) {
      case 'key':
        await page.keyboard.press(pick(keys));
        break;
      case 'click': {
        const buttons = page.locator('main button:visible');
        const n = await buttons.count();
        if (n) await buttons.nth(Math.floor(rand() * n)).click({ timeout: 2000 }).catch(() => {});
        break;
      }
      case 'switch': {
        const boxes = page.locator('.controls input[type=checkbox]');
        const n = await boxes.count();
        // A click may miss while playback moves the layout; a miss is no error of the app's.
        if (n) await boxes.nth(Math.floor(rand() * n)).click({ timeout: 2000 }).catch(() => {});
        break;
      }
      case 'knob': {
        const sel = page.locator('.controls select');
        const ranges = page.locator('.controls input[type=range]');
        if (rand() < 0.5 && (await sel.count())) {
          const s = sel.nth(Math.floor(rand() * (await sel.count())));
          const values = await s.locator('option').evaluateAll((os) => os.map((o) => o.value));
          await s.selectOption(pick(values));
        } else if (await ranges.count()) {
          const r = ranges.nth(Math.floor(rand() * (await ranges.count())));
          // Keep knobs in the small range: the fix matrix of a big configuration takes a while.
          const min = Number(await r.getAttribute('min'));
          const v = String(min + Math.floor(rand() * 3));
          await r.evaluate((el, v) => { el.value = v; el.dispatchEvent(new Event('change', { bubbles: true })); }, v);
        }
        break;
      }
      case 'scrub': {
        const max = Number(await page.locator('#timeline').getAttribute('max'));
        const v = String(Math.floor(rand() * (max + 1)));
        await page.locator('#timeline').evaluate((el, v) => { el.value = v; el.dispatchEvent(new Event('input', { bubbles: true })); }, v);
        break;
      }
      case 'incident':
        await page.locator('.card').nth(Math.floor(rand() * 2)).click();
        break;
      case 'resize': {
        const [width, height] = pick(sizes);
        await page.setViewportSize({ width, height });
        break;
      }
    }
  }
  console.log(`    actions: ${JSON.stringify(counts)}`);
  // Still responsive: a known link renders its known outcome.
  if (await page.locator('.help-backdrop.open').count()) await page.keyboard.press('Escape');
  await page.evaluate(() => { location.hash = 's=template-cache&sw=0001&k=3,1,2,0&at=9'; });
  await page.waitForFunction(() => /Deadlocked/.test(document.querySelector('.outcome .headline')?.textContent ?? ''));
  assert.match(await page.locator('.timeline .counter').innerText(), /Step 9 of 9/);
}, { timeout: 600000 });

test('soak: autoplay both incidents in a loop; the JS heap does not keep growing', async ({ page }) => {
  await gotoApp(page);
  const cdp = await page.context().newCDPSession(page);
  const heap = async () => {
    await cdp.send('HeapProfiler.collectGarbage');
    return (await cdp.send('Runtime.getHeapUsage')).usedSize;
  };
  await page.locator('#speed').selectOption('10');
  const samples = [];
  for (let round = 0; round < 8; round++) {
    for (const id of ['grpc-shim', 'template-cache']) {
      await page.evaluate((id) => { location.hash = `s=${id}&at=0`; }, id);
      await settle(page, 150);
      await page.getByRole('button', { name: 'Play', exact: true }).click();
      await page.waitForFunction(() => /Step (\d+) of \1/.test(document.querySelector('.timeline .counter')?.textContent ?? ''), null, { timeout: 20000 });
    }
    samples.push(await heap());
  }
  const kb = samples.map((b) => Math.round(b / 1024));
  console.log(`    JS heap after each round (KB): ${kb.join(' ')}`);
  metric('soak: JS heap after round 1', kb[0], 'KB');
  metric('soak: JS heap after round 8', kb[kb.length - 1], 'KB');
  // Bounded: the last rounds are no bigger than the first ones plus a small allowance.
  const early = Math.max(...samples.slice(0, 3));
  const late = Math.max(...samples.slice(-3));
  assert.ok(late <= early * 1.25 + 512 * 1024, `the heap grew from ${early} to ${late} bytes`);
}, { timeout: 300000 });

test('scenario text is always text: a file full of HTML and script renders literally', async ({ page }) => {
  const scenario = JSON.parse(fs.readFileSync(path.join(repoRoot, 'assets/scenarios/template-cache.json'), 'utf8'));
  const evil = '<img src=x onerror="window.__pwned=1"><script>window.__pwned=2</script><b>bold</b>';
  scenario.id = 'evil';
  scenario.title = `Evil ${evil}`;
  scenario.summary = evil;
  scenario.intro = [evil];
  scenario.narration.arrive = `Arrives ${evil}`;
  scenario.processes[0].label = `JVM ${evil}`;
  scenario.resources.find((r) => r.id === 'initialised').label = `initialised ${evil}`;
  scenario.switches[0].label = `Gate ${evil}`;
  const file = path.join(os.tmpdir(), `evil-scenario-${process.pid}.json`);
  fs.writeFileSync(file, JSON.stringify(scenario));
  await gotoApp(page);
  await page.locator('.intro summary').click();
  await page.locator('.intro input[type=file]').setInputFiles(file);
  await page.locator('.card[aria-pressed="true"]', { hasText: 'Evil' }).waitFor({ timeout: 5000 }).catch(async (e) => {
    throw new Error(`the file was not loaded; page says: ${await page.locator('.notice').allInnerTexts()} cards: ${await page.locator('.card').evaluateAll((cs) => cs.map((c) => c.getAttribute('aria-pressed') + ':' + c.textContent.slice(0, 40)))}`);
  });
  // Keys typed while the file input has focus belong to it: move focus off it first.
  await page.evaluate(() => document.activeElement?.blur());
  await page.keyboard.press('End');
  await settle(page, 300);
  assert.match(await page.locator('.timeline .counter').innerText(), /Step (\d+) of \1/, 'End went to the last step');
  assert.equal(await page.evaluate(() => window.__pwned), undefined, 'no markup from the file ran');
  assert.equal(await page.locator('main img, main script, main b').count(), 0, 'no element was created from file text');
  const text = await page.locator('main').innerText();
  assert.ok(text.includes('<img src=x onerror='), 'the markup shows up as text');
  assert.ok(await page.locator('.diagram-svg').innerHTML().then((h) => h.includes('&lt;img')), 'SVG text is escaped too');
  // Both drawings are written as markup by the app (ui::escape_into). Step from the start until a
  // thread waits on the flag whose label is the markup: its box in the wait-for graph shows it escaped.
  await page.keyboard.press('Home');
  let graph = '';
  for (let i = 0; i < 60 && !graph.includes('initialised &lt;img'); i++) {
    await page.keyboard.press('ArrowRight');
    await settle(page, 30);
    graph = await page.locator('.wg-box').innerHTML();
  }
  assert.ok(graph.includes('initialised &lt;img'), `the wait-for graph shows the label escaped: ${graph.slice(0, 300)}`);
  assert.equal(await page.evaluate(() => window.__pwned), undefined, 'still no markup from the file ran');
  // A malformed file is refused with a message, and the loaded scenario stays.
  const broken = path.join(os.tmpdir(), `broken-scenario-${process.pid}.json`);
  fs.writeFileSync(broken, '{"id": "x", "tag": ');
  await page.locator('.intro input[type=file]').setInputFiles(broken);
  const alert = page.locator('.notice.error');
  await alert.waitFor();
  assert.match(await alert.innerText(), /cannot be used: line 1, column \d+/);
  assert.match(await page.locator('.card[aria-pressed="true"]').innerText(), /Evil/);
  fs.rmSync(file);
  fs.rmSync(broken);
});
