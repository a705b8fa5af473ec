// Built-in TLS (issue 22): --tls-cert/--tls-key with a certificate made by openssl at test
// time; HSTS on every HTTPS answer; TLS 1.1 refused by the server (the client is made to
// offer it), TLS 1.2 accepted; SIGHUP reloads the certificate for new connections; a
// broken certificate at reload keeps the old one. Runs on SQLite and on PostgreSQL.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { BIN, cli, tempDir, freshDb, ADMIN_PASSWORD } from './lib/server.mjs';

let dir;
let cert;
let key;
let srv;

function makeCert(cn) {
  const r = spawnSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', key, '-out', cert, '-days', '2',
    '-subj', `/CN=${cn}`, '-addext', 'subjectAltName=DNS:localhost,IP:127.0.0.1'], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
}

// The subject CN the server presents to a new connection, and the protocol agreed (or the failure).
function handshake(port, extra = []) {
  const r = spawnSync('openssl', ['s_client', '-connect', `127.0.0.1:${port}`, '-servername', 'localhost', ...extra],
    { input: '', encoding: 'utf8', timeout: 10000 });
  const out = r.stdout + r.stderr;
  return {
    status: r.status,
    cn: out.match(/subject=.*CN ?= ?([\w.-]+)/)?.[1],
    protocol: out.match(/Protocol\s*:\s*(\S+)/)?.[1],
    out,
  };
}

function curl(url, extra = []) {
  const r = spawnSync('curl', ['-sS', '-D', '-', '-o', '/dev/null', '--cacert', cert, ...extra, url], { encoding: 'utf8', timeout: 10000 });
  return { status: r.status, headers: r.stdout, stderr: r.stderr };
}

before(async () => {
  dir = tempDir('backroom-tls-');
  cert = path.join(dir, 'cert.pem');
  key = path.join(dir, 'key.pem');
  makeCert('first.backroom.test');
  const db = freshDb(dir);
  assert.equal(cli(['init', '--db', db, '--admin-password', ADMIN_PASSWORD]).status, 0);
  const child = spawn(BIN, ['serve', '--db', db, '--listen', '127.0.0.1:0', '--tls-cert', cert, '--tls-key', key],
    { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d) => { stderr += d; });
  const url = await new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`server did not start: ${stderr}`)), 20000);
    child.stdout.on('data', (d) => {
      out += d;
      const m = out.match(/listening on (https?:\/\/[^\s]+)/);
      if (m) { clearTimeout(timer); resolve(m[1]); }
    });
    child.on('exit', (code) => { clearTimeout(timer); reject(new Error(`server exited ${code}: ${stderr}`)); });
  });
  srv = { child, url, port: Number(new URL(url).port), get stderr() { return stderr; } };
});
after(async () => {
  if (srv) await new Promise((resolve) => { srv.child.once('exit', resolve); srv.child.kill('SIGTERM'); });
});

test('HTTPS with the certificate given, HSTS on the answer; plain HTTP on the TLS port gets nothing', () => {
  assert.match(srv.url, /^https:\/\/127\.0\.0\.1:\d+$/);
  const r = curl(`${srv.url}/healthz`);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.headers, /^HTTP\/1\.1 200/);
  assert.match(r.headers, /^Strict-Transport-Security: max-age=31536000/im);
  const plain = spawnSync('curl', ['-sS', '-o', '/dev/null', '-w', '%{http_code}', `http://127.0.0.1:${srv.port}/healthz`], { encoding: 'utf8' });
  assert.notEqual(plain.status, 0, 'no plain-HTTP answer on the TLS port');
});

test('TLS 1.2 is accepted, TLS 1.1 and 1.0 are refused by the server', () => {
  const v12 = handshake(srv.port, ['-tls1_2']);
  assert.equal(v12.protocol, 'TLSv1.2', v12.out);
  assert.equal(v12.cn, 'first.backroom.test');
  // SECLEVEL=0 makes the client willing to offer TLS 1.1: the refusal is the server's.
  for (const flag of ['-tls1_1', '-tls1']) {
    const old = handshake(srv.port, [flag, '-cipher', 'DEFAULT@SECLEVEL=0']);
    assert.notEqual(old.status, 0, old.out);
    assert.match(old.out, /alert protocol version|unsupported protocol|no protocols available/i, old.out);
  }
  const old = curl(`${srv.url}/healthz`, ['--tls-max', '1.1', '--ciphers', 'DEFAULT@SECLEVEL=0']);
  assert.notEqual(old.status, 0);
});

test('SIGHUP reloads the certificate for new connections; a broken one at reload keeps the old', async () => {
  makeCert('second.backroom.test');
  srv.child.kill('SIGHUP');
  let seen;
  for (let i = 0; i < 50 && seen !== 'second.backroom.test'; i++) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    seen = handshake(srv.port).cn;
  }
  assert.equal(seen, 'second.backroom.test', srv.stderr);
  assert.match(srv.stderr, /SIGHUP: TLS certificate .* reloaded/);
  assert.equal(curl(`${srv.url}/healthz`).status, 0, 'the new certificate verifies');

  writeFileSync(cert, 'not a certificate\n');
  srv.child.kill('SIGHUP');
  for (let i = 0; i < 50 && !/did not load/.test(srv.stderr); i++) await new Promise((resolve) => setTimeout(resolve, 100));
  assert.match(srv.stderr, /SIGHUP: the TLS certificate or key did not load/);
  assert.equal(handshake(srv.port).cn, 'second.backroom.test', 'still served with the last good certificate');
});

test('a missing key or an unreadable certificate stops the start with one line', () => {
  const db = freshDb(dir, 'other');
  assert.equal(cli(['init', '--db', db, '--admin-password', ADMIN_PASSWORD]).status, 0);
  const half = cli(['serve', '--db', db, '--listen', '127.0.0.1:0', '--tls-cert', cert]);
  assert.notEqual(half.status, 0);
  assert.match(half.stderr, /TLS needs both --tls-cert and --tls-key/);
  const broken = cli(['serve', '--db', db, '--listen', '127.0.0.1:0', '--tls-cert', cert, '--tls-key', key]);
  assert.notEqual(broken.status, 0);
  assert.match(broken.stderr, /cannot load the TLS certificate/);
});
