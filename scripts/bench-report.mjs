#!/usr/bin/env node
// `make bench`, last step: merges the core benchmark (target/bench/core.json, from
// examples/bench.rs), the browser measurements (target/e2e-results.json, from the e2e performance
// and soak tests) and the size report (target/size.json) into one human-readable report
// (target/bench/report.md) and one JSON file (target/bench/report.json), with the machine's details.
// It measures nothing itself and asserts nothing: figures are printed, not judged.
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
const report = { machine, core, browser: e2e?.metrics ?? null, size };
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
else lines.push('- (no target/e2e-results.json)');
lines.push('', '## Size of dist/', '');
if (size) {
  lines.push('| file | raw bytes | gzip -9 bytes |', '| --- | ---: | ---: |');
  for (const f of size.files) lines.push(`| ${f.file} | ${f.raw} | ${f.gzip} |`);
  lines.push(`| **total** | **${size.total.raw}** | **${size.total.gzip}** |`);
  let budget = null;
  try { budget = JSON.parse(fs.readFileSync(path.join(root, 'size-budget.json'), 'utf8')); } catch { /* no budget file */ }
  if (budget) lines.push('', `Ratchet ${budget.limit_gzip} B gzip; ceiling ${budget.ceiling_gzip} B.`);
} else lines.push('- (no target/size.json: run `make build`)');
fs.writeFileSync(path.join(root, 'target/bench/report.md'), lines.join('\n') + '\n');
console.log(lines.join('\n'));
console.log('\nbench-report: wrote target/bench/report.md and target/bench/report.json');
