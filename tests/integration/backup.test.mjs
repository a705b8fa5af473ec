// Backups that restore (issue 22): an encrypted backup taken while the shop sells, restored
// into a new database that proves itself (check + audit verify) and holds every sale that
// was acknowledged before the backup began, exactly once; a changed byte, a cut-short file,
// another key and a non-empty target are refused in one line with nothing written. Runs on
// SQLite and on PostgreSQL (the backup is the same portable, encrypted SQLite copy).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readFileSync, writeFileSync, existsSync, statSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { startServer, cli, BIN, tempDir, freshDb, dbExec } from './lib/server.mjs';
import { adjust, makeItem, saleBody, store } from './lib/shop.mjs';

const run = promisify(execFile);
let s;
let dir;
let key;
before(async () => {
  s = await startServer();
  dir = tempDir('backroom-backup-');
  key = path.join(dir, 'shop.key');
  const made = cli(['keys', 'generate', '--to', key]);
  assert.equal(made.status, 0, made.stderr);
  assert.equal(statSync(key).mode & 0o077, 0, 'the key file is private');
  assert.notEqual(cli(['keys', 'generate', '--to', key]).status, 0, 'a key file is never overwritten');
});
after(async () => { await s.stop(); });

const saleIds = (db) => {
  const r = dbExec(db, 'SELECT id FROM sales ORDER BY id');
  assert.equal(r.status, 0, r.stderr);
  return r.stdout.split('\n').filter(Boolean);
};

test('a backup taken while sales go on restores every sale acknowledged before it, once, and proves itself', async () => {
  const shop = await store(s);
  const item = await makeItem(s);
  await adjust(s, item, shop, 100000, 'opening');
  const acknowledged = new Set();
  const sell = async () => {
    const body = saleBody(shop, [[item, 1]]);
    const r = await s.post('/api/v1/sales', body);
    assert.equal(r.status, 201, r.text);
    acknowledged.add(body.id);
  };
  for (let i = 0; i < 20; i++) await sell();
  // Eight registers keep selling while the backup runs.
  let selling = true;
  const registers = Array.from({ length: 8 }, async () => { while (selling) await sell(); });
  await new Promise((resolve) => setTimeout(resolve, 200));
  const before = new Set(acknowledged);
  const file = path.join(dir, 'under-load.brb');
  const backup = await run(BIN, ['backup', '--db', s.db, '--to', file, '--key-file', key]);
  selling = false;
  await Promise.all(registers);
  assert.match(backup.stdout, /backed up \d+ rows in \d+ tables .* \(\d+ bytes, encrypted\)/);
  assert.ok(acknowledged.size > before.size, 'sales went on during the backup');
  assert.ok(!readFileSync(file).includes(Buffer.from(item.sku)), 'nothing readable in the backup');

  const target = freshDb(dir, 'restored');
  const restored = cli(['restore', '--from', file, '--db', target, '--key-file', key]);
  assert.equal(restored.status, 0, restored.stdout + restored.stderr);
  assert.match(restored.stdout, /the books hold and the audit log is intact/);
  const ids = saleIds(target);
  assert.equal(new Set(ids).size, ids.length, 'each sale once');
  for (const id of before) assert.ok(ids.includes(id), `sale ${id}, acknowledged before the backup, is in it`);
  for (const id of ids) assert.ok(acknowledged.has(id) || saleIds(s.db).includes(id), `sale ${id} in the backup is a real sale`);
  const check = cli(['check', '--db', target]);
  assert.equal(check.status, 0, check.stdout);
});

test('a changed byte, a cut-short file, another key or a non-empty target is refused, nothing written', async () => {
  const file = path.join(dir, 'good.brb');
  assert.equal(cli(['backup', '--db', s.db, '--to', file, '--key-file', key]).status, 0);
  const bytes = readFileSync(file);
  const refuse = (name, data, reason, keyFile = key) => {
    const bad = path.join(dir, `${name}.brb`);
    writeFileSync(bad, data);
    const target = path.join(dir, `${name}.db`);
    const r = cli(['restore', '--from', bad, '--db', target, '--key-file', keyFile]);
    assert.equal(r.status, 1, `${name}: ${r.stdout}${r.stderr}`);
    assert.match(r.stdout, reason, name);
    assert.equal(r.stdout.trim().split('\n').length, 1, `${name}: one clear line`);
    assert.ok(!existsSync(target), `${name}: no database was made`);
  };
  for (const at of [4, 12, 40, Math.floor(bytes.length / 2), bytes.length - 3]) {
    const flipped = Buffer.from(bytes);
    flipped[at] ^= 0x01;
    refuse(`flip-${at}`, flipped, /restore refused: (wrong key, or the backup was changed|the backup was changed|.* is not a Backroom backup|the backup's header is damaged|this backup was sealed with a passphrase)/);
  }
  refuse('short', bytes.subarray(0, bytes.length - 100), /restore refused: the backup is cut short/);
  const other = path.join(dir, 'other.key');
  assert.equal(cli(['keys', 'generate', '--to', other]).status, 0);
  refuse('other-key', bytes, /restore refused: wrong key, or the backup was changed/, other);

  const busy = cli(['restore', '--from', file, '--db', s.db, '--key-file', key]);
  assert.notEqual(busy.status, 0, 'the running shop is not a new, empty database');
  assert.match(busy.stdout + busy.stderr, /target_not_empty|not empty|new/i);
});

test('a passphrase instead of a key file: stretched with argon2id, the wrong one refused', async () => {
  const pass = path.join(dir, 'pass.txt');
  writeFileSync(pass, 'correct horse battery staple\n');
  const file = path.join(dir, 'pass.brb');
  const made = cli(['backup', '--db', s.db, '--to', file, '--passphrase-file', pass]);
  assert.equal(made.status, 0, made.stdout + made.stderr);
  const wrong = path.join(dir, 'wrong.txt');
  writeFileSync(wrong, 'incorrect horse battery staple\n');
  const refused = cli(['restore', '--from', file, '--db', path.join(dir, 'w.db'), '--passphrase-file', wrong]);
  assert.equal(refused.status, 1);
  assert.match(refused.stdout, /restore refused: wrong key, or the backup was changed/);
  const byKey = cli(['restore', '--from', file, '--db', path.join(dir, 'k.db'), '--key-file', key]);
  assert.match(byKey.stdout, /sealed with a passphrase: give --passphrase-file/);
  const target = freshDb(dir, 'from-passphrase');
  const ok = cli(['restore', '--from', file, '--db', target, '--passphrase-file', pass]);
  assert.equal(ok.status, 0, ok.stdout + ok.stderr);
  assert.deepEqual(saleIds(target), saleIds(s.db), 'no sale since the backup: the same sales');
});

test('the server backs itself up on a schedule, keeps the newest N, and says when the last one was', async () => {
  const into = tempDir('backroom-scheduled-');
  const srv = await startServer({ args: ['--backup-dir', into, '--backup-every', '1s', '--backup-keep', '2', '--backup-key-file', key] });
  try {
    const status = async () => {
      const r = await srv.get('/api/v1/system/status');
      assert.equal(r.status, 200, r.text);
      return r.json;
    };
    const first = await status();
    assert.equal(first.backup_every_seconds, 1);
    assert.equal(typeof first.backup_late, 'boolean');  // late or not depends on this machine's speed
    const unscheduled = (await s.get('/api/v1/system/status')).json;
    assert.deepEqual([unscheduled.backup_every_seconds, unscheduled.backup_late], [null, false], 'no schedule, never late');
    // Three backups taken (three different last_backup_at), whatever the machine's speed.
    const seen = new Set();
    for (let i = 0; i < 600 && seen.size < 3; i++) {
      const s1 = await status();
      if (s1.last_backup_at) seen.add(s1.last_backup_at);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    assert.equal(seen.size, 3, 'three scheduled backups were taken');
    const last = await status();
    assert.equal(last.last_backup_error, null);
    const files = readdirSync(into).filter((f) => /^scheduled-\d{8}T\d{6}Z\.brb$/.test(f)).sort();
    assert.ok(files.length >= 1 && files.length <= 2, `--backup-keep 2 keeps at most two: ${files}`);
    const target = freshDb(into, 'from-scheduled');
    const r = cli(['restore', '--from', path.join(into, files.at(-1)), '--db', target, '--key-file', key]);
    assert.equal(r.status, 0, r.stdout + r.stderr);
  } finally {
    await srv.stop();
  }
});
