#!/usr/bin/env node
// End-to-end runner: serves the release build (dist/) on a free loopback port, launches the system
// Chromium through playwright-core, imports every tests/e2e/*.test.mjs and runs the registered tests
// one after another, each in a fresh context with the guards from lib.mjs.
//   node tests/e2e/run.mjs [dist]          E2E_GREP=regex  runs only matching tests
// The last line of output is exactly "N passed, M failed" (CI parses it); exit code 1 if M > 0.
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';
import { startServer } from '../../scripts/serve.mjs';
import { tests, env, newGuardedPage, findChrome, CHROMIUM_ARGS, repoRoot, metrics } from './lib.mjs';

const here = path.dirname(new URL(import.meta.url).pathname);
const dist = path.resolve(repoRoot, process.argv[2] ?? 'dist');
const grep = process.env.E2E_GREP ? new RegExp(process.env.E2E_GREP) : null;
const DEFAULT_TIMEOUT = 30000;
// Playwright's messages carry ANSI colour codes; CI logs read better without them.
const plain = (text) => String(text).replace(/\x1b\[[0-9;]*m/g, '');

for (const f of fs.readdirSync(here).filter((f) => f.endsWith('.test.mjs')).sort()) {
  await import(pathToFileURL(path.join(here, f)).href);
}
const selected = tests.filter((t) => !grep || grep.test(t.name));

let passed = 0, failed = 0;
const results = [];
let server, browser;
try {
  server = await startServer(dist);
  const executablePath = findChrome();
  browser = await chromium.launch({ executablePath, headless: true, args: CHROMIUM_ARGS });
  Object.assign(env, { browser, baseURL: server.url, origin: server.origin });
  console.log(`e2e: ${selected.length} tests, ${dist} served at ${server.url}, ${path.basename(executablePath)} ${browser.version()}`);

  for (const t of selected) {
    const t0 = performance.now();
    let error = null, ctx = null;
    try {
      ctx = await newGuardedPage(t.opts);
      const timeout = t.opts.timeout ?? DEFAULT_TIMEOUT;
      let timer;
      await Promise.race([
        t.fn({ ...ctx, env }),
        new Promise((_, rej) => { timer = setTimeout(() => rej(new Error(`timed out after ${timeout} ms`)), timeout); }),
      ]).finally(() => clearTimeout(timer));
      ctx.guard.check();
    } catch (e) {
      error = e;
    } finally {
      await ctx?.context.close().catch(() => {});
    }
    const ms = Math.round(performance.now() - t0);
    results.push({ name: t.name, ok: !error, ms, error: error ? plain(error.message ?? error) : undefined });
    if (error) {
      failed++;
      console.log(`FAIL ${t.name} (${ms} ms)\n    ${plain(error.stack ?? error).split('\n').join('\n    ')}`);
      if (ctx?.guard.problems.length) console.log(`    guards:\n      ${ctx.guard.problems.join('\n      ')}`);
      if (ctx?.guard.console.length) console.log(`    browser console:\n      ${ctx.guard.console.slice(-20).join('\n      ')}`);
    } else {
      passed++;
      console.log(`ok   ${t.name} (${ms} ms)`);
    }
  }
} catch (e) {
  failed++;
  console.log(`FAIL e2e setup: ${e.stack ?? e}`);
} finally {
  await browser?.close().catch(() => {});
  await server?.close();
  fs.mkdirSync(path.join(repoRoot, 'target'), { recursive: true });
  fs.writeFileSync(path.join(repoRoot, 'target/e2e-results.json'), JSON.stringify({ passed, failed, results, metrics }, null, 2));
}
console.log(`${passed} passed, ${failed} failed`);
process.exitCode = failed ? 1 : 0;
