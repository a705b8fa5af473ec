// Upgrades with a way back (issue 22): `migrate --dry-run` lists what would change and
// changes nothing; a migration of a shop with data is preceded by an encrypted backup; the
// backup rolls the shop back to the version before (an SQLite file swapped with the replaced
// one kept, PostgreSQL into a new database); the newer backroom restores the same backup by
// migrating it. On SQLite and PostgreSQL.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { cli, tempDir, freshDb, dbExec, BACKEND } from './lib/server.mjs';

const isPgUri = () => BACKEND === 'postgres';

const version = (db) => Number(dbExec(db, 'SELECT MAX(version) FROM schema_migrations').stdout.trim());
const shopName = (db) => dbExec(db, "SELECT value FROM settings WHERE key = 'shop_name'").stdout.trim();

test('dry run, a backup before the upgrade, rollback to it, and a restore that migrates it', () => {
  const dir = tempDir('backroom-upgrade-');
  const key = path.join(dir, 'backup.key');
  assert.equal(cli(['keys', 'generate', '--to', key]).status, 0);
  const env = { BACKROOM_BACKUP_DIR: path.join(dir, 'backups'), BACKROOM_BACKUP_KEY_FILE: key };

  const probe = freshDb(dir, 'probe');
  const plan = cli(['migrate', '--db', probe, '--dry-run']);
  assert.equal(plan.status, 0, plan.stderr);
  const latest = Math.max(...[...plan.stdout.matchAll(/^would apply (\d+):/gm)].map((m) => Number(m[1])));
  assert.ok(latest > 1, plan.stdout);
  const previous = latest - 1;

  const db = freshDb(dir, 'shop');
  assert.equal(cli(['migrate', '--db', db, '--to-version', String(previous)]).status, 0);
  assert.equal(version(db), previous);
  assert.equal(dbExec(db, "INSERT INTO settings (key, value) VALUES ('shop_name', 'The old shop')").status, 0);

  const dry = cli(['migrate', '--db', db, '--dry-run'], { env });
  assert.equal(dry.status, 0, dry.stderr);
  assert.match(dry.stdout, new RegExp(`^would apply ${latest}: `, 'm'));
  assert.match(dry.stdout, /1 migration pending, nothing changed/);
  assert.equal(version(db), previous, 'a dry run changes nothing');
  assert.ok(!existsSync(env.BACKROOM_BACKUP_DIR), 'and takes no backup');

  const up = cli(['migrate', '--db', db], { env });
  assert.equal(up.status, 0, up.stderr);
  assert.match(up.stdout, new RegExp(`schema version ${previous} -> ${latest}`));
  assert.match(up.stderr, new RegExp(`before upgrading schema version ${previous} to ${latest}: backed up \\d+ rows into`));
  const backups = readdirSync(env.BACKROOM_BACKUP_DIR);
  assert.equal(backups.length, 1, backups.join());
  assert.match(backups[0], new RegExp(`-v${previous}-before-v${latest}-\\d{8}T\\d{6}Z\\.brb$`));
  const file = path.join(env.BACKROOM_BACKUP_DIR, backups[0]);
  assert.equal(version(db), latest);
  assert.equal(cli(['migrate', '--db', db], { env }).status, 0);
  assert.equal(readdirSync(env.BACKROOM_BACKUP_DIR).length, 1, 'nothing pending: no second backup');

  // The way back: the state before the upgrade, at its own version.
  const back = isPgUri(db) ? freshDb(dir, 'rolled-back') : db;
  const rollback = cli(['rollback', '--to-backup', file, '--db', back, '--key-file', key]);
  assert.equal(rollback.status, 0, rollback.stdout + rollback.stderr);
  assert.match(rollback.stdout, new RegExp(`\\(schema version ${previous}\\)`));
  assert.equal(version(back), previous);
  assert.equal(shopName(back), 'The old shop');
  if (!isPgUri(db)) {
    const kept = rollback.stdout.match(/kept as (\S+);/)[1];
    assert.equal(version(kept), latest, 'the replaced database is kept, not deleted');
  }

  // The newer backroom restores the same backup by migrating its private copy first.
  const restored = freshDb(dir, 'restored');
  const r = cli(['restore', '--from', file, '--db', restored, '--key-file', key]);
  assert.equal(r.status, 0, r.stdout + r.stderr);
  assert.match(r.stdout, new RegExp(`the backup is at schema version ${previous}: migrated to ${latest}`));
  assert.equal(version(restored), latest);
  assert.equal(shopName(restored), 'The old shop');
});
