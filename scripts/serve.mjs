#!/usr/bin/env node
// A tiny static file server for dist/ (no dependencies). Used by `make serve` and by the e2e runner.
//   node scripts/serve.mjs [dir=dist] [--host 127.0.0.1] [--port 8080]
// Import: `const { url, close } = await startServer('dist', { port: 0 })` (port 0 = a free port).
import http from 'node:http';
import fs from 'node:fs';
import path from 'node:path';
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

export function startServer(dir, { host = '127.0.0.1', port = 0, log = false } = {}) {
  const root = path.resolve(dir);
  if (!fs.existsSync(path.join(root, 'index.html'))) {
    return Promise.reject(new Error(`${root}/index.html not found: run 'make build' first`));
  }
  const server = http.createServer((req, res) => {
    const send = (status, body, type = 'text/plain; charset=utf-8') => {
      res.writeHead(status, { 'content-type': type, 'cache-control': 'no-store' });
      res.end(req.method === 'HEAD' ? undefined : body);
      if (log) console.log(`${status} ${req.method} ${req.url}`);
    };
    if (req.method !== 'GET' && req.method !== 'HEAD') return send(405, 'method not allowed\n');
    let rel;
    try { rel = decodeURIComponent(new URL(req.url, 'http://x').pathname); } catch { return send(400, 'bad request\n'); }
    let file = path.join(root, path.normalize(rel));
    if (file !== root && !file.startsWith(root + path.sep)) return send(403, 'forbidden\n');
    try { if (fs.statSync(file).isDirectory()) file = path.join(file, 'index.html'); } catch { /* 404 below */ }
    fs.readFile(file, (err, data) => {
      if (err) return send(404, 'not found\n');
      send(200, data, MIME[path.extname(file).toLowerCase()] ?? 'application/octet-stream');
    });
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      const { port: p } = server.address();
      const url = `http://${host}:${p}/`;
      resolve({ url, origin: `http://${host}:${p}`, port: p, server, close: () => new Promise((r) => server.close(r)) });
    });
  });
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2);
  const opt = (name, dflt) => { const i = args.indexOf(name); return i >= 0 ? args.splice(i, 2)[1] : dflt; };
  const host = opt('--host', '127.0.0.1');
  const port = Number(opt('--port', process.env.PORT || 8080));
  const dir = args[0] ?? 'dist';
  startServer(dir, { host, port, log: !!process.env.SERVE_LOG }).then(({ url }) => {
    console.log(`\n  Deadlock Lab is being served from ${dir}/ at:\n\n      ${url}\n\n  (Ctrl-C stops it.)\n`);
  }, (e) => { console.error(`serve: ${e.message}`); process.exit(1); });
  for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => process.exit(0));
}
