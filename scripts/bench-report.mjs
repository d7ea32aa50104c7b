#!/usr/bin/env node
// `make bench`, last step: merges the core benchmark (target/bench/core.json, from
// examples/bench.rs), the browser measurements (target/e2e-results.json, from the e2e performance
// and soak tests), the start-up figures (target/bench/lighthouse.json, from scripts/lighthouse.mjs)
// and the size report (target/size.json) into one human-readable report (target/bench/report.md)
// and one JSON file (target/bench/report.json), with the machine's details.
// It measures nothing itself and asserts nothing: figures are printed, not judged. A missing input
// leaves its section with a note saying what produces it.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execSync } from 'node:child_process';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const read = (p) => { try { return JSON.parse(fs.readFileSync(path.join(root, p), 'utf8')); } catch { return null; } };
const sh = (cmd) => { try { return execSync(cmd, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim(); } catch { return 'unknown'; } };

const core = read('target/bench/core.json');
const e2e = read('target/e2e-results.json');
const size = read('target/size.json');
const lighthouse = read('target/bench/lighthouse.json');
const machine = {
  date: new Date().toISOString(),
  cpu: os.cpus()[0]?.model ?? 'unknown',
  cores: os.cpus().length,
  memory_gib: Math.round(os.totalmem() / 2 ** 30),
  os: `${os.type()} ${os.release()}`,
  load_average: os.loadavg().map((x) => Math.round(x * 100) / 100),
  rustc: sh('rustc --version'),
  node: process.version,
  chromium: sh(`${process.env.CHROME_PATH ?? 'chromium'} --version`),
  commit: sh('git rev-parse --short HEAD'),
};
const report = { machine, core, browser: e2e?.metrics ?? null, lighthouse, size };
fs.mkdirSync(path.join(root, 'target/bench'), { recursive: true });
fs.writeFileSync(path.join(root, 'target/bench/report.json'), JSON.stringify(report, null, 2));

const lines = ['# Deadlock Lab performance report', ''];
lines.push('## Machine', '');
for (const [k, v] of Object.entries(machine)) lines.push(`- ${k}: ${Array.isArray(v) ? v.join(', ') : v}`);
lines.push('', '## Simulation core (native)', '');
if (core) {
  const fmt = (v) => (typeof v === 'number' ? (Number.isInteger(v) ? String(v) : v.toPrecision(4)) : Array.isArray(v) ? v.join(', ') : v && typeof v === 'object' ? Object.entries(v).map(([k, x]) => `${k} ${fmt(x)}`).join('; ') : String(v));
  for (const [k, v] of Object.entries(core)) {
    if (Array.isArray(v) && v.every((x) => x && typeof x === 'object')) {
      lines.push(`- ${k}:`);
      for (const row of v) lines.push(`  - ${Object.entries(row).map(([rk, rv]) => `${rk}: ${fmt(rv)}`).join(' · ')}`);
    } else lines.push(`- ${k}: ${fmt(v)}`);
  }
} else lines.push('- (no target/bench/core.json: run `cargo run --profile bench --example bench`)');
lines.push('', '## Browser (release build, headless Chromium)', '');
if (e2e?.metrics) for (const [k, v] of Object.entries(e2e.metrics)) lines.push(`- ${k}: ${v.value} ${v.unit}`);
else lines.push('- (no target/e2e-results.json: run `make bench`)');
lines.push('', '## Start-up (Lighthouse, mobile, compressed)', '');
startup(lighthouse);
lines.push('', '## Size of dist/', '');
if (size) {
  lines.push('| file | raw bytes | gzip -9 bytes |', '| --- | ---: | ---: |');
  for (const f of size.files) lines.push(`| ${f.file} | ${f.raw} | ${f.gzip} |`);
  lines.push(`| **total** | **${size.total.raw}** | **${size.total.gzip}** |`);
  let budget = null;
  try { budget = JSON.parse(fs.readFileSync(path.join(root, 'size-budget.json'), 'utf8')); } catch { /* no budget file */ }
  if (budget) {
    const kib = (b) => `${(b / 1024).toFixed(1)} KiB`;
    const gap = (b) => (size.total.gzip <= b ? `${b - size.total.gzip} B under it` : `${size.total.gzip - b} B OVER it`);
    lines.push('', `- ratchet (\`limit_gzip\`, \`make test\` fails above it): ${budget.limit_gzip} B gzip (${kib(budget.limit_gzip)}); dist/ is ${gap(budget.limit_gzip)}`);
    lines.push(`- ceiling (\`ceiling_gzip\`, for everything now planned): ${budget.ceiling_gzip} B gzip (${kib(budget.ceiling_gzip)}); dist/ is ${gap(budget.ceiling_gzip)}`);
  }
} else lines.push('- (no target/size.json: run `make build`)');
fs.writeFileSync(path.join(root, 'target/bench/report.md'), lines.join('\n') + '\n');
console.log(lines.join('\n'));
console.log('\nbench-report: wrote target/bench/report.md and target/bench/report.json');

/** The Lighthouse section: this app beside the minimal Leptos page, the LCP ratio, failing audits. */
function startup(lh) {
  const app = lh?.pages?.app, min = lh?.pages?.minimal;
  if (!app || !min) {
    lines.push('- (no target/bench/lighthouse.json: run `scripts/setup.sh bench && node scripts/lighthouse.mjs`)');
    return;
  }
  const t = lh.throttling;
  const how = t ? ` (${t.rttMs} ms RTT, ${Math.round(t.throughputKbps)} kbit/s, CPU x${t.cpuSlowdownMultiplier})` : '';
  lines.push(`Lighthouse ${lh.lighthouse ?? '?'}, form factor ${lh.form_factor ?? '?'}, ${lh.throttling_method ?? '?'} throttling${how};`
    + ` both sites served compressed from loopback by scripts/serve.mjs; median of ${app.runs} runs per page, alternating`
    + ` (${lh.date ?? '?'}, ${lh.elapsed_s ?? '?'} s).`, '');
  const num = (v) => (typeof v === 'number' ? String(Math.round(v)) : '-');
  const rows = [
    ['performance score', (p) => (typeof p.performance_score === 'number' ? p.performance_score.toFixed(2) : '-')],
    ['First Contentful Paint (ms)', (p) => num(p.fcp_ms)],
    ['Largest Contentful Paint (ms)', (p) => num(p.lcp_ms)],
    ['Time to Interactive (ms)', (p) => num(p.tti_ms)],
    ['Total Blocking Time (ms)', (p) => num(p.tbt_ms)],
    ['transfer (bytes, as sent)', (p) => num(p.transfer_bytes)],
    ['Lighthouse CPU benchmark index (lower = busier machine)', (p) => num(p.benchmark_index)],
  ];
  lines.push('| figure | this app | minimal Leptos page |', '| --- | ---: | ---: |');
  for (const [label, f] of rows) lines.push(`| ${label} | ${f(app)} | ${f(min)} |`);
  lines.push('', `- LCP this app / minimal page: ${lh.lcp_ratio_app_over_minimal ?? '-'}x`);
  for (const [name, p] of [['this app', app], ['minimal page', min]]) {
    const failing = (p.failing_audits ?? []).map((a) => `${a.category}/${a.id}${a.weight === 0 ? ' (weight 0: not in the score)' : ''}`
      + `${a.runs < p.runs ? ` (${a.runs} of ${p.runs} runs)` : ''}`);
    lines.push(`- failing accessibility / best-practices / SEO audits, ${name}: ${failing.length ? failing.join(', ') : 'none'}`);
  }
}
