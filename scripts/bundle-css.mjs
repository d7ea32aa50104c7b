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
// Minified as it is joined (comments and the whitespace no rule needs go), which saves bytes on
// every load; strings are copied as they are.
function minify(text) {
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '"' || c === "'") {
      const end = text.indexOf(c, i + 1);
      out += text.slice(i, end + 1);
      i = end;
    } else if (c === '/' && text[i + 1] === '*') {
      i = text.indexOf('*/', i + 2) + 1;
    } else if (/\s/.test(c)) {
      while (/\s/.test(text[i + 1] ?? '')) i++;
      if (!/[{};,>:]$/.test(out) && !/[{};,>]/.test(text[i + 1] ?? '')) out += ' ';
    } else if (c === '}' && out.endsWith(';')) {
      out = out.slice(0, -1) + c;
    } else {
      out += c;
    }
  }
  return out.trim();
}
const css = files.map((f) => minify(fs.readFileSync(f, 'utf8'))).join('\n') + '\n';
fs.mkdirSync(path.dirname(out), { recursive: true });
// Only rewrite when changed, so `trunk serve` does not see a change it caused itself.
if (!fs.existsSync(out) || fs.readFileSync(out, 'utf8') !== css) fs.writeFileSync(out, css);
console.log(`bundle-css: ${files.length} file(s) -> ${path.relative(root, out)} (${css.length} bytes)`);
