#!/usr/bin/env node
// A tiny static file server for dist/ (no dependencies). Used by `make serve`, the e2e runner and
// scripts/lighthouse.mjs. Like a static host it compresses: when the request's accept-encoding allows
// br (else gzip), text files and .wasm go out brotli- (gzip-) compressed with content-encoding and
// vary: accept-encoding. Each file is compressed once (brotli 11, gzip 9) and kept in memory until it
// changes; startServer compresses every file before it resolves, so no request waits for brotli (~2.5 s
// for the app's wasm on 2 cores) and the first page load is timed like the later ones.
//   node scripts/serve.mjs [dir=dist] [--host 127.0.0.1] [--port 8080] [--no-compress]
// Import: `const { url, close } = await startServer('dist', { port: 0 })` (port 0 = a free port;
// `compress: false` serves every file as it is).
import http from 'node:http';
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { fileURLToPath } from 'node:url';

export const MIME = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.wasm': 'application/wasm',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.ico': 'image/x-icon',
  '.json': 'application/json',
  '.txt': 'text/plain; charset=utf-8',
  '.woff2': 'font/woff2',
  '.map': 'application/json',
};

// Already-compressed formats (images, fonts) are sent as they are.
const COMPRESSIBLE = new Set(['.html', '.js', '.mjs', '.wasm', '.css', '.svg', '.ico', '.json', '.txt', '.map']);

/** The encoding to answer with: 'br', 'gzip' or null, from an accept-encoding header (q=0 refuses). */
export function pickEncoding(header) {
  const ok = new Set();
  for (const part of String(header ?? '').toLowerCase().split(',')) {
    const [name, ...params] = part.trim().split(';');
    const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
    if (name && !(q && Number(q.slice(2)) === 0)) ok.add(name.trim());
  }
  if (ok.has('br')) return 'br';
  if (ok.has('gzip') || ok.has('x-gzip')) return 'gzip';
  return null;
}

// Off the main thread (zlib's thread pool), so the two encodings of a file compress in parallel.
const promised = (fn) => (data, opts) => new Promise((ok, fail) => fn(data, opts, (e, out) => (e ? fail(e) : ok(out))));
const brotli = promised(zlib.brotliCompress), gzip = promised(zlib.gzip);
const COMPRESS = {
  br: (data) => brotli(data, {
    params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 11, [zlib.constants.BROTLI_PARAM_SIZE_HINT]: data.length },
  }),
  gzip: (data) => gzip(data, { level: 9 }),
};

/** Every file under dir, recursively. */
function walk(dir) {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    return e.isDirectory() ? walk(p) : e.isFile() ? [p] : [];
  });
}

export function startServer(dir, { host = '127.0.0.1', port = 0, log = false, compress = true } = {}) {
  const root = path.resolve(dir);
  if (!fs.existsSync(path.join(root, 'index.html'))) {
    return Promise.reject(new Error(`${root}/index.html not found: run 'make build' first`));
  }
  // file -> { mtimeMs, size, br?, gzip? } (promises of the bodies): each file is compressed once per
  // encoding, again only when its size or mtime changes.
  const cache = new Map();
  const compressed = (file, stat, data, encoding) => {
    let entry = cache.get(file);
    if (!entry || entry.mtimeMs !== stat.mtimeMs || entry.size !== stat.size) {
      entry = { mtimeMs: stat.mtimeMs, size: stat.size };
      cache.set(file, entry);
    }
    entry[encoding] ??= COMPRESS[encoding](data);
    return entry[encoding];
  };
  const server = http.createServer((req, res) => {
    const send = (status, body, type = 'text/plain; charset=utf-8', extra = {}) => {
      res.writeHead(status, {
        'content-type': type, 'cache-control': 'no-store', 'content-length': Buffer.byteLength(body), ...extra,
      });
      res.end(req.method === 'HEAD' ? undefined : body);
      if (log) console.log(`${status} ${req.method} ${req.url}${extra['content-encoding'] ? ` (${extra['content-encoding']})` : ''}`);
    };
    if (req.method !== 'GET' && req.method !== 'HEAD') return send(405, 'method not allowed\n');
    let rel;
    try { rel = decodeURIComponent(new URL(req.url, 'http://x').pathname); } catch { return send(400, 'bad request\n'); }
    let file = path.join(root, path.normalize(rel));
    if (file !== root && !file.startsWith(root + path.sep)) return send(403, 'forbidden\n');
    try { if (fs.statSync(file).isDirectory()) file = path.join(file, 'index.html'); } catch { /* 404 below */ }
    fs.readFile(file, (err, data) => {
      if (err) return send(404, 'not found\n');
      const ext = path.extname(file).toLowerCase();
      const type = MIME[ext] ?? 'application/octet-stream';
      if (!compress || !COMPRESSIBLE.has(ext)) return send(200, data, type);
      const encoding = pickEncoding(req.headers['accept-encoding']);
      if (!encoding) return send(200, data, type, { vary: 'accept-encoding' });
      let stat;
      try { stat = fs.statSync(file); } catch { return send(404, 'not found\n'); }
      compressed(file, stat, data, encoding).then(
        (body) => send(200, body, type, { 'content-encoding': encoding, vary: 'accept-encoding' }),
        (e) => send(500, `compression failed: ${e.message}\n`),
      );
    });
  });
  const warm = () => Promise.all(walk(root).filter((f) => COMPRESSIBLE.has(path.extname(f).toLowerCase())).map((f) => {
    const stat = fs.statSync(f), data = fs.readFileSync(f);
    return Promise.all(Object.keys(COMPRESS).map((encoding) => compressed(f, stat, data, encoding)));
  }));
  return (compress ? warm() : Promise.resolve()).then(() => new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      const { port: p } = server.address();
      const url = `http://${host}:${p}/`;
      resolve({ url, origin: `http://${host}:${p}`, port: p, server, close: () => new Promise((r) => server.close(r)) });
    });
  }));
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2);
  const opt = (name, dflt) => { const i = args.indexOf(name); return i >= 0 ? args.splice(i, 2)[1] : dflt; };
  const host = opt('--host', '127.0.0.1');
  const port = Number(opt('--port', process.env.PORT || 8080));
  const noCompress = args.indexOf('--no-compress');
  if (noCompress >= 0) args.splice(noCompress, 1);
  const dir = args[0] ?? 'dist';
  startServer(dir, { host, port, log: !!process.env.SERVE_LOG, compress: noCompress < 0 }).then(({ url }) => {
    console.log(`\n  Deadlock Lab is being served from ${dir}/ at:\n\n      ${url}\n\n  (Ctrl-C stops it.)\n`);
  }, (e) => { console.error(`serve: ${e.message}`); process.exit(1); });
  for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => process.exit(0));
}
