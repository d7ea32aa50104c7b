#!/usr/bin/env node
// `make bench`, start-up as a phone user feels it: Lighthouse 12 (mobile form factor, its simulated
// slow 4G and 4x CPU slowdown) on the release build (dist/) and on the minimal Leptos page
// (target/minimal-dist/, `make build-minimal`), both served compressed by scripts/serve.mjs the way a
// static host serves them, each on its own free loopback port. Three runs per page, alternating;
// medians per figure. Writes target/bench/lighthouse.json (the full reports of every run go to
// target/bench/lighthouse/) and prints a small table and the LCP ratio app/minimal.
// Installs nothing: Lighthouse comes from .tools/lighthouse (`scripts/setup.sh bench`), the browser
// is the system Chromium (CHROME_PATH, else the first of chromium, chromium-browser, google-chrome...).
//   node scripts/lighthouse.mjs            LIGHTHOUSE_RUNS=n  changes the number of runs per page
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execFile } from 'node:child_process';
import { startServer } from './serve.mjs';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const LIGHTHOUSE = path.join(root, '.tools/lighthouse/node_modules/.bin/lighthouse');
const OUT = path.join(root, 'target/bench/lighthouse.json');
const RUN_DIR = path.join(root, 'target/bench/lighthouse');
const RUNS = Number(process.env.LIGHTHOUSE_RUNS ?? 3);
const CATEGORIES = ['performance', 'accessibility', 'best-practices', 'seo'];
const CHROME_FLAGS = '--headless=new --no-sandbox --disable-gpu --disable-background-networking '
  + '--disable-component-update --disable-sync --no-first-run';
const PAGES = [
  { name: 'app', dir: 'dist', hint: 'make build' },
  { name: 'minimal', dir: 'target/minimal-dist', hint: 'make build-minimal' },
];
// Figure name -> Lighthouse audit whose numericValue it is.
const FIGURES = {
  fcp_ms: 'first-contentful-paint',
  lcp_ms: 'largest-contentful-paint',
  tti_ms: 'interactive',
  tbt_ms: 'total-blocking-time',
  transfer_bytes: 'total-byte-weight',
};

const die = (msg) => { console.error(`lighthouse: ${msg}`); process.exit(1); };

/** The browser, found the way scripts/setup.sh finds it. */
function findBrowser() {
  if (process.env.CHROME_PATH) return process.env.CHROME_PATH;
  const names = ['chromium', 'chromium-browser', 'google-chrome', 'google-chrome-stable'];
  for (const n of names) {
    for (const dir of (process.env.PATH ?? '').split(path.delimiter).filter(Boolean)) {
      const p = path.join(dir, n);
      try { fs.accessSync(p, fs.constants.X_OK); return p; } catch { /* next */ }
    }
  }
  return die('no Chromium found: set CHROME_PATH or run scripts/setup.sh bench');
}

function lighthouse(url, outPath, chromePath) {
  const args = [
    url, '--form-factor=mobile', `--chrome-flags=${CHROME_FLAGS}`, '--output=json',
    `--output-path=${outPath}`, `--only-categories=${CATEGORIES.join(',')}`, '--quiet',
  ];
  return new Promise((resolve, reject) => {
    execFile(LIGHTHOUSE, args, { env: { ...process.env, CHROME_PATH: chromePath }, maxBuffer: 1 << 26, timeout: 180000 },
      (err, _stdout, stderr) => {
        if (err) return reject(new Error(`lighthouse ${url} failed: ${err.message}\n${String(stderr).slice(-2000)}`));
        try { resolve(JSON.parse(fs.readFileSync(outPath, 'utf8'))); } catch (e) { reject(e); }
      });
  });
}

/** One run's figures and its failing audits (score < 1; n/a, manual and informative ones have none). */
function summarise(lhr) {
  if (lhr.runtimeError) throw new Error(`Lighthouse: ${lhr.runtimeError.code}: ${lhr.runtimeError.message}`);
  const run = { performance_score: lhr.categories.performance?.score ?? null };
  for (const [k, id] of Object.entries(FIGURES)) run[k] = lhr.audits[id]?.numericValue ?? null;
  // Lighthouse's own CPU benchmark on this machine at that moment: the simulation scales the CPU
  // time it observed, so a loaded machine (a lower index) inflates TTI and TBT.
  run.benchmark_index = lhr.environment?.benchmarkIndex ?? null;
  run.category_scores = Object.fromEntries(CATEGORIES.map((c) => [c, lhr.categories[c]?.score ?? null]));
  run.failing = [];
  for (const c of CATEGORIES.slice(1)) {
    for (const ref of lhr.categories[c]?.auditRefs ?? []) {
      const a = lhr.audits[ref.id];
      if (!a || a.score === null || a.score >= 1) continue;
      if (['notApplicable', 'manual', 'informative'].includes(a.scoreDisplayMode)) continue;
      run.failing.push({ category: c, id: ref.id, title: a.title, score: a.score, weight: ref.weight });
    }
  }
  run.warnings = lhr.runWarnings ?? [];
  return run;
}

const median = (xs) => {
  const v = xs.filter((x) => typeof x === 'number').sort((a, b) => a - b);
  if (!v.length) return null;
  const m = Math.floor(v.length / 2);
  return v.length % 2 ? v[m] : (v[m - 1] + v[m]) / 2;
};

/** Medians over the runs of one page, plus every audit that failed in any run (with how often). */
function aggregate(page, url, runs) {
  const out = { url, dir: page.dir, runs: runs.length };
  out.performance_score = median(runs.map((r) => r.performance_score));
  for (const k of Object.keys(FIGURES)) {
    const m = median(runs.map((r) => r[k]));
    out[k] = m === null ? null : Math.round(m);
  }
  out.benchmark_index = median(runs.map((r) => r.benchmark_index));
  out.category_scores = Object.fromEntries(CATEGORIES.map((c) => [c, median(runs.map((r) => r.category_scores[c]))]));
  const failing = new Map();
  for (const r of runs) {
    for (const f of r.failing) {
      const seen = failing.get(f.id) ?? { category: f.category, id: f.id, title: f.title, weight: f.weight, runs: 0 };
      seen.runs++;
      failing.set(f.id, seen);
    }
  }
  out.failing_audits = [...failing.values()];
  out.warnings = [...new Set(runs.flatMap((r) => r.warnings))];
  out.each_run = runs.map(({ failing: _f, warnings: _w, category_scores: _c, ...figures }) => Object.fromEntries(
    Object.entries(figures).map(([k, v]) => [k, typeof v === 'number' && k !== 'performance_score' ? Math.round(v) : v])));
  return out;
}

async function main() {
  const t0 = performance.now();
  const loadBefore = os.loadavg()[0];
  if (!fs.existsSync(LIGHTHOUSE)) die(`${path.relative(root, LIGHTHOUSE)} is missing: run scripts/setup.sh bench`);
  const chromePath = findBrowser();
  for (const p of PAGES) {
    if (!fs.existsSync(path.join(root, p.dir, 'index.html'))) die(`${p.dir}/index.html is missing: run '${p.hint}'`);
  }
  fs.mkdirSync(RUN_DIR, { recursive: true });
  const servers = [];
  const runs = Object.fromEntries(PAGES.map((p) => [p.name, []]));
  let meta = null;
  try {
    for (const p of PAGES) servers.push(await startServer(path.join(root, p.dir), { compress: true }));
    console.log(`lighthouse: ${RUNS} runs per page, alternating; ${PAGES.map((p, i) => `${p.name} at ${servers[i].url}`).join(', ')}`);
    for (let i = 0; i < RUNS; i++) {
      // Alternate the order as well, so neither page always runs right after the other.
      const order = i % 2 ? [...PAGES.keys()].reverse() : [...PAGES.keys()];
      for (const k of order) {
        const p = PAGES[k];
        const t = performance.now();
        const lhr = await lighthouse(servers[k].url, path.join(RUN_DIR, `${p.name}-${i + 1}.json`), chromePath);
        const run = summarise(lhr);
        runs[p.name].push(run);
        meta ??= {
          lighthouse: lhr.lighthouseVersion,
          browser: lhr.environment?.hostUserAgent,
          form_factor: lhr.configSettings?.formFactor,
          throttling_method: lhr.configSettings?.throttlingMethod,
          throttling: lhr.configSettings?.throttling,
        };
        console.log(`  ${p.name} run ${i + 1}: score ${run.performance_score}, LCP ${Math.round(run.lcp_ms)} ms (${((performance.now() - t) / 1000).toFixed(1)} s)`);
      }
    }
  } finally {
    for (const s of servers) await s.close();
  }
  const pages = Object.fromEntries(PAGES.map((p, k) => [p.name, aggregate(p, servers[k].url, runs[p.name])]));
  const ratio = pages.app.lcp_ms && pages.minimal.lcp_ms ? pages.app.lcp_ms / pages.minimal.lcp_ms : null;
  const result = {
    date: new Date().toISOString(),
    what: `Lighthouse, mobile, both sites served compressed (br) from loopback; median of ${RUNS} runs per page`,
    ...meta,
    served: 'scripts/serve.mjs, brotli (quality 11) when the browser accepts it',
    elapsed_s: Math.round((performance.now() - t0) / 100) / 10,
    load_average_1min: { before: Math.round(loadBefore * 100) / 100, after: Math.round(os.loadavg()[0] * 100) / 100 },
    pages,
    lcp_ratio_app_over_minimal: ratio === null ? null : Math.round(ratio * 100) / 100,
  };
  fs.writeFileSync(OUT, JSON.stringify(result, null, 2) + '\n');
  printTable(result);
  console.log(`lighthouse: wrote ${path.relative(root, OUT)} in ${result.elapsed_s} s`);
}

function printTable(r) {
  const rows = [['page', 'score', 'FCP ms', 'LCP ms', 'TTI ms', 'TBT ms', 'transfer KiB', 'CPU index']];
  for (const [name, p] of Object.entries(r.pages)) {
    rows.push([name, p.performance_score?.toFixed(2) ?? '-', p.fcp_ms, p.lcp_ms, p.tti_ms, p.tbt_ms,
      p.transfer_bytes === null ? '-' : (p.transfer_bytes / 1024).toFixed(1), Math.round(p.benchmark_index ?? NaN)].map(String));
  }
  const w = rows[0].map((_, c) => Math.max(...rows.map((row) => row[c].length)));
  console.log(`\nLighthouse ${r.lighthouse} (${r.form_factor}, ${r.throttling_method} throttling, compressed), median of ${RUNS}:`);
  for (const row of rows) console.log('  ' + row.map((x, c) => (c ? x.padStart(w[c]) : x.padEnd(w[c]))).join('  '));
  console.log(`  LCP app / minimal: ${r.lcp_ratio_app_over_minimal ?? '-'}x   (CPU index: Lighthouse's benchmark, lower = busier machine)`);
  for (const [name, p] of Object.entries(r.pages)) {
    const f = p.failing_audits.map((a) => `${a.category}/${a.id}${a.weight === 0 ? ' (weight 0)' : ''}`
      + `${a.runs < p.runs ? ` (${a.runs}/${p.runs} runs)` : ''}`);
    console.log(`  failing audits, ${name}: ${f.length ? f.join(', ') : 'none'}`);
    for (const warning of p.warnings) console.log(`  warning, ${name}: ${warning}`);
  }
  console.log('');
}

main().catch((e) => die(e.stack ?? e));
