// End-to-end test kit: a tiny test registry, one shared Chromium (playwright-core, the system browser)
// and a fresh context + page per test with guards installed automatically:
//   - console messages of type "error", uncaught page errors, CSP violations
//   - any request to an origin other than the local server (the app must be self-contained)
//   - failed requests (except ones a navigation aborted) and HTTP responses >= 400
// A test fails if its function throws or if any guard tripped (unless the test allowed it).
//
// Add tests by creating tests/e2e/<name>.test.mjs:
//   import { test, gotoApp, assert } from './lib.mjs';
//   test('the diagram shows both threads', async ({ page }) => { await gotoApp(page); ... });
// Options: test(name, fn, { viewport: {width, height}, colorScheme: 'dark', timeout: 30000,
//                           allow: [/console text to tolerate/], bypassCSP: false })
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
export { default as assert } from 'node:assert/strict';

const here = path.dirname(fileURLToPath(import.meta.url));
export const repoRoot = path.resolve(here, '../..');
export const screenshotDir = path.join(repoRoot, 'target/screenshots');
const require = createRequire(import.meta.url);

/** Registered tests, in registration order. */
export const tests = [];
export function test(name, fn, opts = {}) {
  if (tests.some((t) => t.name === name)) throw new Error(`duplicate test name: ${name}`);
  tests.push({ name, fn, opts });
}

/** Filled in by run.mjs: { browser, baseURL, origin }. */
export const env = {};

export const DEFAULT_VIEWPORT = { width: 1280, height: 800 };
export const MOBILE_VIEWPORT = { width: 360, height: 740 };

export const CHROMIUM_ARGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--disable-background-networking',
  '--disable-component-update', '--disable-sync', '--no-first-run',
];

/** The browser to drive: $CHROME_PATH, else the first Chromium/Chrome found. */
export function findChrome() {
  if (process.env.CHROME_PATH) return process.env.CHROME_PATH;
  const names = ['chromium', 'chromium-browser', 'google-chrome', 'google-chrome-stable'];
  for (const dir of (process.env.PATH ?? '').split(path.delimiter).concat('/usr/bin')) {
    for (const n of names) {
      const p = path.join(dir, n);
      try { fs.accessSync(p, fs.constants.X_OK); return p; } catch { /* next */ }
    }
  }
  throw new Error('no Chromium found: set CHROME_PATH or run scripts/setup.sh test');
}

// Runs in every document before the page's own scripts. Not subject to the page's CSP.
const INIT_SCRIPT = `(() => {
  const e2e = (window.__e2e = { h1At: null });
  document.addEventListener('securitypolicyviolation', (ev) => {
    const where = ev.sourceFile ? ' at ' + ev.sourceFile + ':' + ev.lineNumber : '';
    window.__e2eReport?.('csp', ev.violatedDirective + ' blocked ' + (ev.blockedURI || '(inline)') + where);
  }, true);
  const obs = new MutationObserver(() => {
    if (e2e.h1At === null && document.querySelector('h1')) { e2e.h1At = performance.now(); obs.disconnect(); }
  });
  obs.observe(document, { childList: true, subtree: true });
})();`;

/**
 * A new context and page with the guards installed. run.mjs calls this for every test; tests may call
 * it for extra pages (close the returned context when done, and call guard.check() yourself).
 */
export async function newGuardedPage(opts = {}) {
  const context = await env.browser.newContext({
    viewport: opts.viewport ?? DEFAULT_VIEWPORT,
    colorScheme: opts.colorScheme ?? 'light',
    reducedMotion: opts.reducedMotion ?? 'no-preference',
    bypassCSP: opts.bypassCSP ?? false,
    hasTouch: opts.hasTouch ?? false,
  });
  const guard = new Guard(opts.allow ?? []);
  await context.exposeBinding('__e2eReport', (_src, kind, text) => guard.add(kind, text));
  await context.addInitScript(INIT_SCRIPT);
  context.on('request', (req) => {
    const url = req.url();
    if (/^(data|blob|about):/.test(url)) return;
    if (new URL(url).origin !== env.origin) guard.add('foreign-request', `${req.method()} ${url}`);
  });
  context.on('requestfailed', (req) => {
    const why = req.failure()?.errorText ?? '';
    // A navigation cancels what the previous document still had in flight: not a fault of the app.
    if (why === 'net::ERR_ABORTED') return;
    guard.add('request-failed', `${req.url()}: ${why}`);
  });
  context.on('response', (res) => { if (res.status() >= 400) guard.add('http-error', `${res.status()} ${res.url()}`); });
  const page = await context.newPage();
  guards.set(page, guard);
  page.on('console', (msg) => {
    if (msg.type() === 'error') guard.add('console-error', msg.text());
    guard.console.push(`[${msg.type()}] ${msg.text()}`);
  });
  page.on('pageerror', (err) => guard.add('page-error', err.stack || String(err)));
  return { context, page, guard };
}

const guards = new WeakMap();
/** The guard installed on a page by newGuardedPage. */
export const guardOf = (page) => guards.get(page);

export class Guard {
  constructor(allow) {
    this.allow = allow; this.problems = []; this.console = [];
    this.tripped = new Promise((resolve) => { this.trip = resolve; });
  }
  add(kind, text) {
    if (this.allow.some((re) => re.test(text))) return;
    this.problems.push(`${kind}: ${text}`);
    this.trip(this.problems[0]);
  }
  /** Throws if anything tripped since the start (or since the last reset). */
  check() {
    if (this.problems.length) throw new Error(`guards tripped:\n    ${this.problems.join('\n    ')}`);
  }
  reset() { this.problems = []; }
}

/**
 * Opens the app (optionally at a query/hash suffix) and waits until the <h1> is visible.
 * Returns timings: wallMs (goto() called -> h1 visible, measured in node) and h1InPageMs
 * (navigation start -> h1 inserted, from performance.now() in the page).
 */
export async function gotoApp(page, suffix = '', { timeout = 15000 } = {}) {
  const t0 = performance.now();
  await page.goto(env.baseURL + suffix, { waitUntil: 'commit', timeout });
  // Fail fast: a page error or CSP violation before the h1 shows usually means it never will.
  const guard = guardOf(page);
  await Promise.race([
    page.locator('h1').first().waitFor({ state: 'visible', timeout }),
    guard?.tripped.then(async (first) => {
      await page.waitForTimeout(250); // let related messages arrive for the report
      throw new Error(`the app did not mount: ${first}`);
    }) ?? new Promise(() => {}),
  ]);
  const wallMs = performance.now() - t0;
  const h1InPageMs = await page.evaluate(() => window.__e2e?.h1At ?? null);
  return { wallMs, h1InPageMs };
}

/** Saves target/screenshots/<name>.png (the viewport, or the whole page with fullPage) and returns its path. */
export async function screenshot(page, name, { fullPage = false } = {}) {
  fs.mkdirSync(screenshotDir, { recursive: true });
  const file = path.join(screenshotDir, `${name}.png`);
  if (fullPage) {
    // The lower panels use content-visibility: auto, which a full-page capture (no scrolling) leaves
    // unrendered: show them for the capture, then give the page its own styles back.
    await page.evaluate(() => { for (const el of document.querySelectorAll('.lower .panel')) el.style.contentVisibility = 'visible'; });
    await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
  }
  await page.screenshot({ path: file, fullPage });
  if (fullPage) await page.evaluate(() => { for (const el of document.querySelectorAll('.lower .panel')) el.style.contentVisibility = ''; });
  return file;
}

/** Lets pending animation frames and timers settle. */
export const settle = (page, ms = 100) => page.waitForTimeout(ms);

/**
 * Runs axe-core on the current page and returns its violations (empty = clean). Evaluating through the
 * DevTools protocol is not subject to the page's CSP, so the page keeps its real policy.
 */
export async function runAxe(page, { tags = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'], context = 'document' } = {}) {
  const source = fs.readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
  await page.evaluate(source);
  return page.evaluate(async ([ctx, runOnly]) => {
    const res = await window.axe.run(ctx === 'document' ? document : ctx, { runOnly: { type: 'tag', values: runOnly } });
    return res.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map((n) => n.target.join(' ')) }));
  }, [context, tags]);
}

/** One line per axe violation, for assertion messages. */
export const formatAxe = (violations) =>
  violations.map((v) => `${v.impact} ${v.id}: ${v.help} -> ${v.nodes.slice(0, 3).join(', ')}`).join('\n    ');

/** Records a named number (ms, bytes, ...) for target/e2e-results.json and prints it. */
export const metrics = {};
export function metric(name, value, unit = 'ms') {
  // Ratios keep two decimals, so 1.54 is not printed as a target-meeting 1.5.
  const scale = unit === 'x' ? 100 : 10;
  metrics[name] = { value: Math.round(value * scale) / scale, unit };
  console.log(`    metric ${name}: ${metrics[name].value} ${unit}`);
}
