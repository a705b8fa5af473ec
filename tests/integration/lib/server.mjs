// Starts the real backroom binary on a free loopback port with a fresh SQLite file, and
// gives tests a small client. No mocks: the same binary `./run demo` serves.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

export const BIN = process.env.BACKROOM_BIN ?? path.resolve(import.meta.dirname, '../../../build-test/backroom');

export function tempDir(prefix = 'backroom-it-') {
  return mkdtempSync(path.join(tmpdir(), prefix));
}

// Runs a CLI subcommand synchronously; returns {status, stdout, stderr}.
export function cli(args, options = {}) {
  const r = spawnSync(BIN, args, { encoding: 'utf8', env: { ...process.env, ...options.env }, input: options.input });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

export async function startServer({ db, demo = false, args = [], env = {} } = {}) {
  const dir = tempDir();
  db ??= path.join(dir, 'shop.db');
  if (demo) {
    const r = cli(['demo', '--db', db], { env });
    if (r.status !== 0) throw new Error(`demo failed: ${r.stderr}`);
  }
  const started = process.hrtime.bigint();
  const child = spawn(BIN, ['serve', '--db', db, '--listen', '127.0.0.1:0', '--access-log', 'false', ...args], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (d) => { stderr += d; });
  const url = await new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`server did not start: ${stderr}`)), 20000);
    child.stdout.on('data', (d) => {
      out += d;
      const m = out.match(/listening on (http:\/\/[^\s]+)/);
      if (m) { clearTimeout(timer); resolve(m[1]); }
    });
    child.on('exit', (code) => { clearTimeout(timer); reject(new Error(`server exited ${code}: ${stderr}`)); });
  });
  const first = await fetch(`${url}/healthz`);
  const firstAnswerMs = Number(process.hrtime.bigint() - started) / 1e6;
  if (first.status !== 200) throw new Error('healthz failed');
  const server = {
    url, db, dir, child, firstAnswerMs,
    get stderr() { return stderr; },
    headers: {},
    async request(method, p, body, headers = {}) {
      const init = { method, headers: { ...server.headers, ...headers } };
      if (body !== undefined) {
        init.body = typeof body === 'string' ? body : JSON.stringify(body);
        init.headers['content-type'] ??= 'application/json';
      }
      const res = await fetch(url + p, init);
      const text = await res.text();
      let json;
      try { json = text ? JSON.parse(text) : undefined; } catch { json = undefined; }
      return { status: res.status, headers: res.headers, json, text };
    },
    get(p, headers) { return server.request('GET', p, undefined, headers); },
    post(p, body, headers) { return server.request('POST', p, body, headers); },
    patch(p, body, headers) { return server.request('PATCH', p, body, headers); },
    put(p, body, headers) { return server.request('PUT', p, body, headers); },
    del(p, headers) { return server.request('DELETE', p, undefined, headers); },
    async stop({ keep = false } = {}) {
      if (child.exitCode === null) {
        const exited = new Promise((r) => child.on('exit', r));
        child.kill('SIGTERM');
        await exited;
      }
      if (!keep) rmSync(dir, { recursive: true, force: true });
    },
  };
  return server;
}

// GS1 mod-10 check digit, written independently of the C++ for cross-checking.
export function gs1Check(digits) {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    const d = Number(digits[digits.length - 1 - i]);
    sum += i % 2 === 0 ? d * 3 : d;
  }
  return String((10 - (sum % 10)) % 10);
}
export const withCheck = (digits) => digits + gs1Check(digits);
