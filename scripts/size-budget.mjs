#!/usr/bin/env node
// The size gate of `make test`: compares target/size.json (written by scripts/size-report.sh after
// every build) with size-budget.json and exits 1 when dist/ is over the enforced limit. Prints the
// figure against every budget, so each run records where the size stands.
//   node scripts/size-budget.mjs [target/size.json] [size-budget.json] [--summary FILE]
import fs from 'node:fs';

const args = process.argv.slice(2);
const at = args.indexOf('--summary');
const summary = at >= 0 ? args.splice(at, 2)[1] : null;
const [sizePath = 'target/size.json', budgetPath = 'size-budget.json'] = args;

function fail(message) {
  console.error(`size-budget: ${message}`);
  if (summary) fs.appendFileSync(summary, `size: FAILED: ${message}\n`);
  process.exit(1);
}
function load(path, what) {
  try {
    return JSON.parse(fs.readFileSync(path, 'utf8'));
  } catch (e) {
    fail(`cannot read ${what} ${path}: ${e.message}`);
  }
}
const size = load(sizePath, 'the size report');
const budget = load(budgetPath, 'the budget');
const total = size?.total?.gzip;
if (!Number.isInteger(total) || total <= 0) fail(`${sizePath} has no total.gzip`);
for (const key of ['limit_gzip', 'ceiling_gzip']) {
  if (!Number.isInteger(budget[key]) || budget[key] <= 0) fail(`${budgetPath}: ${key} must be a positive whole number of bytes`);
}
if (budget.limit_gzip > budget.ceiling_gzip) fail(`${budgetPath}: limit_gzip may not rise above ceiling_gzip`);
const fmt = (n) => n.toLocaleString('en-US');
const rel = (limit) => (total <= limit ? `${fmt(limit - total)} B under` : `${fmt(total - limit)} B over`);
console.log(`size-budget: dist/ is ${fmt(total)} B gzip (${fmt(size.total.raw)} B raw)`);
console.log(`  ratchet (limit)  ${fmt(budget.limit_gzip).padStart(9)} B: ${rel(budget.limit_gzip)}`);
console.log(`  ceiling          ${fmt(budget.ceiling_gzip).padStart(9)} B: ${rel(budget.ceiling_gzip)}`);
const biggest = [...size.files].sort((a, b) => b.gzip - a.gzip)[0];
if (total > budget.limit_gzip) {
  fail(`dist/ is ${fmt(total)} B gzip, over the ${fmt(budget.limit_gzip)} B limit in ${budgetPath} by ${fmt(total - budget.limit_gzip)} B (largest file: ${biggest.file}, ${fmt(biggest.gzip)} B gzip)`);
}
if (summary) fs.appendFileSync(summary, `size: ${fmt(total)} B gzip, within the ${fmt(budget.limit_gzip)} B ratchet (ceiling ${fmt(budget.ceiling_gzip)} B: ${rel(budget.ceiling_gzip)})\n`);
