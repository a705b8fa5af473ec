// Refused uploads can be read: a body over the limit gets its 413 problem even while the
// client is still writing, and the connection closes only after the client has had its
// chance to read it (a half-close and a bounded drain, not a reset). Before this, a 2 MiB
// item failed with a broken pipe on most runs against a release build.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import { startServer } from './lib/server.mjs';

const LIMIT = 1024 * 1024; // ServerOptions::body_bytes_max

let s;
before(async () => { s = await startServer(); });
after(async () => { await s.stop(); });

// Sends `head` then `total` body bytes in chunks of `chunk`, pausing `pauseMs` between them;
// collects everything the server sends until it closes. Resolves
// {response, writeError, closed}.
function rawUpload({ head, total, chunk = 64 * 1024, pauseMs = 0 }) {
  const url = new URL(s.url);
  return new Promise((resolve) => {
    const socket = net.connect({ port: Number(url.port), host: url.hostname, allowHalfOpen: true });
    let response = '';
    let writeError = null;
    let sent = 0;
    socket.on('data', (d) => { response += d.toString('latin1'); });
    socket.on('error', (e) => { writeError ??= e.code; });
    socket.on('close', () => resolve({ response, writeError, sent }));
    socket.on('connect', async () => {
      socket.write(head);
      const block = Buffer.alloc(chunk, 0x61);
      while (sent < total && !socket.destroyed) {
        const n = Math.min(chunk, total - sent);
        const ok = socket.write(n === chunk ? block : block.subarray(0, n));
        sent += n;
        if (!ok) await new Promise((r) => socket.once('drain', r));
        if (pauseMs) await new Promise((r) => setTimeout(r, pauseMs));
      }
      if (!socket.destroyed) socket.end();
    });
  });
}

function problemOf(response) {
  const [headers, body] = response.split('\r\n\r\n');
  return { headers, json: JSON.parse(body) };
}

test('a JSON body over the limit is refused with a readable 413, every time', async () => {
  for (let i = 0; i < 25; i++) {
    const r = await s.post('/api/v1/items', { sku: `BIG${i}`, name: 'x'.repeat(2 * LIMIT), price: 1 });
    assert.equal(r.status, 413, `attempt ${i}: ${r.text}`);
    assert.equal(r.json.code, 'payload_too_large');
    assert.match(r.headers.get('content-type'), /application\/problem\+json/);
    assert.equal(r.headers.get('connection'), 'close');
  }
  const after = await s.get('/api/v1/items?q=BIG');
  assert.equal(after.status, 200);
  assert.equal(after.json.items.length, 0, 'nothing was written');
});

test('a much larger body (20 MiB) is still answered, not reset', async () => {
  const r = await s.post('/api/v1/items', 'y'.repeat(20 * LIMIT));
  assert.equal(r.status, 413);
  assert.equal(r.json.code, 'payload_too_large');
});

test('a slow client still writing its body reads the refusal and finishes writing', async () => {
  const total = 3 * LIMIT;
  const head = `POST /api/v1/items HTTP/1.1\r\nHost: x\r\nAuthorization: ${s.headers.authorization}\r\n`
    + `Content-Type: application/json\r\nContent-Length: ${total}\r\n\r\n`;
  const r = await rawUpload({ head, total, chunk: 256 * 1024, pauseMs: 20 });
  assert.equal(r.writeError, null, 'the client could write its whole body (no EPIPE/ECONNRESET)');
  assert.equal(r.sent, total);
  assert.match(r.response, /^HTTP\/1\.1 413 /);
  const { headers, json } = problemOf(r.response);
  assert.match(headers, /\r\nConnection: close/i);
  assert.equal(json.code, 'payload_too_large');
});

test('a chunked body that grows past the limit is refused the same way', async () => {
  const url = new URL(s.url);
  const result = await new Promise((resolve) => {
    const socket = net.connect({ port: Number(url.port), host: url.hostname, allowHalfOpen: true });
    let response = '';
    let writeError = null;
    socket.on('data', (d) => { response += d.toString('latin1'); });
    socket.on('error', (e) => { writeError ??= e.code; });
    socket.on('close', () => resolve({ response, writeError }));
    socket.on('connect', async () => {
      socket.write(`POST /api/v1/items HTTP/1.1\r\nHost: x\r\nAuthorization: ${s.headers.authorization}\r\n`
        + 'Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n');
      const piece = 'z'.repeat(128 * 1024);
      for (let i = 0; i < 24 && !socket.destroyed; i++) {
        if (!socket.write(`${piece.length.toString(16)}\r\n${piece}\r\n`)) await new Promise((r) => socket.once('drain', r));
      }
      if (!socket.destroyed) socket.end('0\r\n\r\n');
    });
  });
  assert.equal(result.writeError, null);
  assert.match(result.response, /^HTTP\/1\.1 413 /);
  assert.equal(problemOf(result.response).json.code, 'payload_too_large');
});

test('a client that keeps writing past the drain bound is cut off after its answer', async () => {
  const total = 256 * LIMIT;  // past ServerOptions::linger_bytes_max (64 MiB)
  const head = 'POST /api/v1/items HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n'
    + `Content-Length: ${total}\r\n\r\n`;
  const r = await rawUpload({ head, total, chunk: 1024 * 1024 });
  assert.match(r.response, /^HTTP\/1\.1 413 /, 'the answer came first');
  assert.ok(r.writeError === 'ECONNRESET' || r.writeError === 'EPIPE', `cut off, got ${r.writeError}`);
  assert.ok(r.sent < total, 'the server did not read 256 MiB');
  const ok = await s.get('/healthz');
  assert.equal(ok.status, 200, 'and keeps serving others');
});

test('keep-alive connections under the limit are unaffected', async () => {
  for (let i = 0; i < 5; i++) {
    const r = await s.post('/api/v1/items', { sku: `OK${i}`, name: `Fine ${i}`, price: 100 + i });
    assert.equal(r.status, 201, r.text);
    assert.notEqual(r.headers.get('connection'), 'close');
  }
});
