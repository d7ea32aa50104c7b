#!/usr/bin/env node
// Trunk pre_build hook (Trunk.toml): concatenates assets/base.css and every src/ui/**/*.css (sorted by
// path) into target/css/app.css, which index.html links with data-trunk rel="css". One stylesheet, one
// request, and a new component's style.css is picked up without touching index.html.
// Styles must be files: the CSP (style-src 'self') blocks <style> elements and style="" attributes.
import fs from 'node:fs';
import path from 'node:path';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const out = path.join(root, 'target/css/app.css');
const walk = (dir) => fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
  const p = path.join(dir, e.name);
  return e.isDirectory() ? walk(p) : e.name.endsWith('.css') ? [p] : [];
});
const files = [path.join(root, 'assets/base.css'), ...walk(path.join(root, 'src/ui')).sort()];
const css = files.map((f) => `/* ${path.relative(root, f)} */\n${fs.readFileSync(f, 'utf8').trim()}\n`).join('\n');
fs.mkdirSync(path.dirname(out), { recursive: true });
// Only rewrite when changed, so `trunk serve` does not see a change it caused itself.
if (!fs.existsSync(out) || fs.readFileSync(out, 'utf8') !== css) fs.writeFileSync(out, css);
console.log(`bundle-css: ${files.length} file(s) -> ${path.relative(root, out)} (${css.length} bytes)`);
