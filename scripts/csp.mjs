#!/usr/bin/env node
// Post-build step: Trunk emits an inline <script type="module"> that imports the JS glue and starts
// the wasm. A strict CSP blocks inline scripts unless their sha256 is listed in script-src, so this
// hashes every inline <script> in dist/index.html and writes the hashes into the CSP <meta>.
// Idempotent: hashes already in the policy are replaced, not duplicated.
// It also drops what only a maintainer reads from what every visitor downloads: the comments in
// index.html, and in wasm-bindgen's JS glue and the other scripts everything terser can drop (their
// subresource integrity hashes are then written anew).
//   node scripts/csp.mjs [dist/index.html]   (as a Trunk post_build hook: $TRUNK_STAGING_DIR/index.html)
import fs from 'node:fs';
import path from 'node:path';
import crypto from 'node:crypto';

const file = process.argv[2] ??
  (process.env.TRUNK_STAGING_DIR ? `${process.env.TRUNK_STAGING_DIR}/index.html` : 'dist/index.html');
let html = fs.readFileSync(file, 'utf8').replace(/<!--[\s\S]*?-->\s*/g, '');

/** The glue without its `/** ... *\/` doc blocks, `//` comment lines and indentation. Only when no
 *  template literal spans lines (whose indentation would be text): else unchanged. The fallback
 *  when terser is not installed. */
function trimGlue(js) {
  if ((js.match(/`[^`]*`/g) ?? []).some((t) => t.includes('\n'))) return js;
  return js
    .replace(/^[ \t]*\/\*\*[\s\S]*?\*\/[ \t]*\n/gm, '')
    .replace(/^[ \t]*\/\/.*\n/gm, '')
    .replace(/^[ \t]+/gm, '');
}
// terser (scripts/setup.sh installs it into .tools/npm) compresses and renames locals as well.
const terserPath = path.join(path.dirname(new URL(import.meta.url).pathname), '../.tools/npm/node_modules/terser/main.js');
const terser = fs.existsSync(terserPath) ? await import(terserPath) : null;
async function shrink(js, module) {
  if (!terser) return trimGlue(js);
  const out = await terser.minify(js, { module, compress: { passes: 2 }, mangle: true, format: { comments: false } });
  return out.code;
}
const scripts = /<(link rel="modulepreload" href|script src)="\.\/([^"]+\.js)"[^>]*integrity="([^"]+)"/g;
for (const m of html.matchAll(scripts)) {
  const js = path.join(path.dirname(file), m[2]);
  const text = await shrink(fs.readFileSync(js, 'utf8'), m[1].startsWith('link'));
  fs.writeFileSync(js, text);
  const sri = `sha384-${crypto.createHash('sha384').update(text, 'utf8').digest('base64')}`;
  html = html.split(m[3]).join(sri);
}
// embed.js is copied for other pages to load (no integrity hash to renew).
const embed = path.join(path.dirname(file), 'embed.js');
if (fs.existsSync(embed)) fs.writeFileSync(embed, await shrink(fs.readFileSync(embed, 'utf8'), false));

const hashes = [];
for (const m of html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/gi)) {
  if (/\bsrc\s*=/i.test(m[1])) continue; // external scripts are covered by 'self'
  hashes.push(`'sha256-${crypto.createHash('sha256').update(m[2], 'utf8').digest('base64')}'`);
}

const metaRe = /(<meta\s+http-equiv="Content-Security-Policy"\s+content=")([^"]*)(")/i;
const meta = html.match(metaRe);
if (!meta) { console.error(`csp: no Content-Security-Policy <meta> in ${file}`); process.exit(1); }
const policy = meta[2].split(';').map((d) => d.trim()).filter(Boolean).map((d) => {
  const [name, ...values] = d.split(/\s+/);
  if (name !== 'script-src') return d;
  return [name, ...values.filter((v) => !v.startsWith("'sha256-")), ...hashes].join(' ');
}).join('; ');
if (!/(^|; )script-src /.test(policy)) { console.error('csp: the policy has no script-src'); process.exit(1); }

// The policy only governs what comes after the <meta>: it must precede every script and stylesheet.
const at = html.search(metaRe);
const firstRes = html.search(/<script\b|<link\b[^>]*rel="(stylesheet|modulepreload|preload)"/i);
if (firstRes >= 0 && firstRes < at) { console.error('csp: a script or stylesheet precedes the CSP <meta>'); process.exit(1); }

html = html.replace(metaRe, (_, a, __, c) => a + policy + c);
fs.writeFileSync(file, html);
console.log(`csp: ${hashes.length} inline script hash(es) in script-src of ${file}`);
