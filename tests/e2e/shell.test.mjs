// Page-level tests: the app mounts, the document head is complete, the CSP holds, nothing leaves
// loopback, and screenshots at desktop and phone sizes in light and dark.
import {
  test, assert, env, gotoApp, settle, screenshot, metric, runAxe, formatAxe,
  DEFAULT_VIEWPORT, MOBILE_VIEWPORT,
} from './lib.mjs';

test('app mounts: the h1 is visible (timed: first load, then median of 3 reloads)', async ({ page }) => {
  const first = await gotoApp(page);
  assert.equal(await page.locator('h1').first().textContent(), 'Deadlock Lab');
  assert.ok(first.h1InPageMs !== null, 'the in-page timer saw the h1 appear');
  const again = [];
  for (let i = 0; i < 3; i++) again.push(await gotoApp(page));
  const median = (xs) => xs.slice().sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  metric('h1 visible after navigation start, first load (in page)', first.h1InPageMs);
  metric('h1 visible after navigation start, median of 3 reloads (in page)', median(again.map((t) => t.h1InPageMs)));
  metric('h1 visible after goto(), median of 3 reloads (wall clock)', median(again.map((t) => t.wallMs)));
});

test('head: title, description, viewport, favicon', async ({ page }) => {
  await gotoApp(page);
  assert.equal(await page.title(), 'Deadlock Lab — watch real deadlocks happen');
  const description = await page.locator('meta[name="description"]').getAttribute('content');
  assert.ok(description && description.length > 50, `meta description: ${description}`);
  assert.match(await page.locator('meta[name="viewport"]').getAttribute('content'), /width=device-width/);
  const icon = page.locator('link[rel="icon"]');
  assert.equal(await icon.count(), 1, 'one <link rel="icon">');
  const href = await icon.evaluate((el) => el.href);
  assert.ok(href.startsWith(env.origin), `favicon is local: ${href}`);
  const res = await page.request.get(href);
  assert.equal(res.status(), 200);
  assert.match(res.headers()['content-type'], /^image\/svg\+xml/);
  assert.equal(await page.locator('html').getAttribute('lang'), 'en');
  assert.ok(await page.locator('noscript').count() === 1, 'a <noscript> message');
});

test('CSP: strict policy in a <meta>, nothing inline allowed by wildcard', async ({ page }) => {
  await gotoApp(page);
  const csp = await page.locator('meta[http-equiv="Content-Security-Policy"]').getAttribute('content');
  const d = Object.fromEntries(csp.split(';').map((s) => s.trim().split(/\s+/)).map(([k, ...v]) => [k, v]));
  assert.deepEqual(d['default-src'], ["'self'"]);
  assert.deepEqual(d['style-src'], ["'self'"]);
  assert.deepEqual(d['object-src'], ["'none'"]);
  assert.deepEqual(d['base-uri'], ["'none'"]);
  assert.deepEqual(d['form-action'], ["'none'"]);
  assert.deepEqual(d['connect-src'], ["'self'"]);
  assert.deepEqual(d['img-src'], ["'self'", 'data:']);
  assert.deepEqual(d['script-src'].slice(0, 2), ["'self'", "'wasm-unsafe-eval'"]);
  for (const v of d['script-src'].slice(2)) assert.match(v, /^'sha256-[A-Za-z0-9+/]+=*'$/, 'only hashes beyond self/wasm');
  assert.ok(!csp.includes('unsafe-inline') && !csp.includes("'unsafe-eval'"), csp);
  assert.ok(!('frame-ancestors' in d), 'frame-ancestors must not be set (embedding in iframes is allowed)');
  // Every inline script is covered: otherwise the app would not have mounted and the guard would trip.
});

test('self-contained: no errors, no foreign requests after settling', async ({ page, guard }) => {
  await gotoApp(page);
  await page.waitForLoadState('networkidle');
  await settle(page, 300);
  guard.check(); // the runner checks again at the end; this reports at the point of failure
  const wasm = await page.evaluate(() => performance.getEntriesByType('resource').filter((e) => e.name.endsWith('.wasm')).length);
  assert.equal(wasm, 1, 'exactly one .wasm fetched');
});

test('skip link: first Tab focuses it and it targets #main', async ({ page }) => {
  await gotoApp(page);
  await page.keyboard.press('Tab');
  const focused = await page.evaluate(() => ({ cls: document.activeElement?.className, href: document.activeElement?.getAttribute('href') }));
  assert.deepEqual(focused, { cls: 'skip-link', href: '#main' });
  assert.equal(await page.locator('#main').count(), 1, 'the skip link target exists');
});

for (const scheme of ['light', 'dark']) {
  test(`axe: no WCAG 2.2 AA or best-practice violations (${scheme})`, async ({ page }) => {
    await page.emulateMedia({ colorScheme: scheme });
    await gotoApp(page);
    const v = await runAxe(page);
    assert.equal(v.length, 0, `axe violations:\n    ${formatAxe(v)}`);
    // Again with every disclosure open (the story, its source, the step list, the waits as text, the
    // dump) and the playhead at the deadlock, so hidden text is audited too.
    await page.evaluate(() => document.activeElement?.blur());
    await page.keyboard.press('End');
    await settle(page, 300);
    const opened = await page.locator('details').evaluateAll((ds) => ds.map((d) => { d.open = true; return d.querySelector('summary')?.textContent; }));
    assert.ok(opened.length >= 4, `the page has its disclosures: ${opened.join(' | ')}`);
    await settle(page, 200);
    const open = await runAxe(page);
    assert.equal(open.length, 0, `axe violations with every disclosure open:\n    ${formatAxe(open)}`);
  });
}

test('screenshots: 1280x800 and 360x740, light and dark', async ({ page }) => {
  await gotoApp(page);
  for (const vp of [DEFAULT_VIEWPORT, MOBILE_VIEWPORT]) {
    await page.setViewportSize(vp);
    for (const scheme of ['light', 'dark']) {
      await page.emulateMedia({ colorScheme: scheme });
      await settle(page);
      const bg = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
      await screenshot(page, `page-${vp.width}x${vp.height}-${scheme}`);
      await screenshot(page, `page-${vp.width}x${vp.height}-${scheme}-full`, { fullPage: true });
      if (scheme === 'dark') assert.notEqual(bg, 'rgb(251, 251, 253)', 'dark scheme changes the background');
    }
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    assert.equal(overflow, 0, `no horizontal scrolling at ${vp.width}px`);
  }
});
