// docs/openapi.yaml is the contract: every route the server has is documented there, and
// every documented operation exists. The route table comes from the binary itself. The
// permission vocabulary too: the binary (src/access/permissions.hpp), the UI's generated
// web/src/api/permissions.ts and each operation's x-permission in the document agree.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { cli, startServer } from './lib/server.mjs';
import { render } from '../../web/scripts/permissions.mjs';

// A small reader for the `paths:` block: two-space path keys, four-space method keys.
function documentedOperations(yaml) {
  const ops = new Set();
  let inPaths = false;
  let current = null;
  for (const line of yaml.split('\n')) {
    if (/^paths:\s*$/.test(line)) { inPaths = true; continue; }
    if (inPaths && /^\S/.test(line)) break;
    if (!inPaths) continue;
    const p = line.match(/^ {2}(\/\S*):\s*$/);
    if (p) { current = p[1]; continue; }
    const m = line.match(/^ {4}(get|post|put|patch|delete):\s*$/);
    if (m && current) ops.add(`${m[1].toUpperCase()} ${current}`);
  }
  return ops;
}

test('every route is in docs/openapi.yaml and every documented operation is served', () => {
  const yaml = readFileSync(path.resolve(import.meta.dirname, '../../docs/openapi.yaml'), 'utf8');
  const documented = documentedOperations(yaml);
  const r = cli(['routes', '--json']);
  assert.equal(r.status, 0, r.stderr);
  const served = new Set(JSON.parse(r.stdout).routes.map((route) => `${route.method} ${route.pattern}`));
  const undocumented = [...served].filter((op) => !documented.has(op)).sort();
  const phantom = [...documented].filter((op) => !served.has(op)).sort();
  assert.deepEqual(undocumented, [], 'routes missing from docs/openapi.yaml');
  assert.deepEqual(phantom, [], 'documented operations the server does not have');
});

// "METHOD /path" -> the operation's x-permission (six-space key under a method key), and
// the operations that say `security: []` (no credentials).
function documentedPermissions(yaml) {
  const out = new Map();
  const open = new Set();
  let inPaths = false;
  let current = null;
  let operation = null;
  for (const line of yaml.split('\n')) {
    if (/^paths:\s*$/.test(line)) { inPaths = true; continue; }
    if (inPaths && /^\S/.test(line)) break;
    if (!inPaths) continue;
    const p = line.match(/^ {2}(\/\S*):\s*$/);
    if (p) { current = p[1]; operation = null; continue; }
    const m = line.match(/^ {4}(get|post|put|patch|delete):\s*$/);
    if (m && current) { operation = `${m[1].toUpperCase()} ${current}`; continue; }
    if (/^ {4}\S/.test(line)) { operation = null; continue; }
    const x = line.match(/^ {6}x-permission:\s*(\S+)\s*$/);
    if (x && operation) out.set(operation, x[1]);
    if (operation && /^ {6}security:\s*\[\]\s*$/.test(line)) open.add(operation);
  }
  return { permissions: out, open };
}

test('one permission vocabulary: the binary, web/src/api/permissions.ts and x-permission agree', () => {
  const v = cli(['permissions', '--json']);
  assert.equal(v.status, 0, v.stderr);
  const vocabulary = JSON.parse(v.stdout);
  assert.ok(vocabulary.permissions.length > 20, 'the vocabulary is complete');
  assert.equal(new Set(vocabulary.permissions).size, vocabulary.permissions.length, 'no permission twice');
  assert.equal(vocabulary.public, 'public');
  assert.equal(vocabulary.authenticated, 'authenticated');
  const generated = readFileSync(path.resolve(import.meta.dirname, '../../web/src/api/permissions.ts'), 'utf8');
  assert.equal(generated, render(vocabulary),
    'web/src/api/permissions.ts differs from `backroom permissions --json`: run node web/scripts/permissions.mjs <backroom>');

  // `routes --json` names a public route's permission `public`, as the document does.
  const r = cli(['routes', '--json']);
  assert.equal(r.status, 0, r.stderr);
  const { routes, permissions } = JSON.parse(r.stdout);
  assert.deepEqual([...permissions].sort(), [...vocabulary.permissions].sort(), 'roles and routes share the vocabulary');
  const yaml = readFileSync(path.resolve(import.meta.dirname, '../../docs/openapi.yaml'), 'utf8');
  const { permissions: documented, open } = documentedPermissions(yaml);
  const wrong = [];
  for (const route of routes) {
    const op = `${route.method} ${route.pattern}`;
    const want = route.permission;
    if (documented.get(op) !== want) wrong.push(`${op}: server declares ${want}, docs/openapi.yaml says ${documented.get(op) ?? 'nothing'}`);
  }
  assert.deepEqual(wrong, [], 'x-permission in docs/openapi.yaml');
  // Public operations, and only they, need no credentials in the document either.
  const publicOps = [...documented].filter(([, declared]) => declared === vocabulary.public).map(([op]) => op).sort();
  assert.deepEqual([...open].sort(), publicOps, 'security: [] exactly on the public operations');
});

test('every error code the API documents is a snake_case word', () => {
  const yaml = readFileSync(path.resolve(import.meta.dirname, '../../docs/openapi.yaml'), 'utf8');
  const m = yaml.match(/examples: \[(malformed_json[^\]]*)\]/);
  assert.ok(m);
  for (const code of m[1].split(',').map((c) => c.trim())) assert.match(code, /^[a-z]+(_[a-z0-9]+)*$/);
});

// The document is valid OpenAPI 3.1 as @redocly/cli reads it (redocly.yaml: the recommended
// rules, with the few changed and why): an unquoted description with a comma inside a flow
// mapping once turned half of itself into a stray key, and only a linter sees that.
test('docs/openapi.yaml passes the OpenAPI linter with no error', () => {
  const root = path.resolve(import.meta.dirname, '../..');
  const redocly = path.join(root, 'tests/node_modules/.bin/redocly');
  const r = spawnSync(redocly, ['lint', 'docs/openapi.yaml', '--format', 'stylish'], { cwd: root, encoding: 'utf8' });
  assert.equal(r.status, 0, `redocly lint failed:\n${r.stdout}${r.stderr}`);
  assert.match(r.stdout + r.stderr, /Your API description is valid/);
  // Every operation is named, for client generators.
  const yaml = readFileSync(path.join(root, 'docs/openapi.yaml'), 'utf8');
  const ids = [...yaml.matchAll(/^ {6}operationId: (\S+)$/gm)].map((m) => m[1]);
  assert.equal(ids.length, documentedOperations(yaml).size, 'one operationId per operation');
  assert.equal(new Set(ids).size, ids.length, 'operationIds are unique');
});

test('the server serves its API reference and its contract to a signed-in caller', async () => {
  const s = await startServer();
  try {
    assert.equal((await s.anonymous().get('/api/docs')).status, 401, 'not public');
    const docs = await s.get('/api/docs');
    assert.equal(docs.status, 200);
    assert.match(docs.headers.get('content-type'), /^text\/html/);
    assert.match(docs.text, /<code>\/api\/v1\/sales<\/code>/);
    assert.match(docs.text, /<code>sales\.create<\/code>/);
    const routes = JSON.parse(cli(['routes', '--json']).stdout);
    for (const r of routes.routes ?? routes) assert.ok(docs.text.includes(`<code>${r.pattern.replace(/&/g, '&amp;')}</code>`), `${r.method} ${r.pattern} is on the page`);
    const contract = await s.get('/api/openapi.yaml');
    assert.equal(contract.status, 200);
    const root = path.resolve(import.meta.dirname, '../..');
    assert.equal(contract.text, readFileSync(path.join(root, 'docs/openapi.yaml'), 'utf8'), 'the document the binary was built with');
  } finally {
    await s.stop();
  }
});

// Every operation can answer the shared problems (docs/api.md): a client generated from the
// document handles them, and the contract check (lib/contract.mjs) accepts them. A new
// operation that forgets them fails here, not in an integrator's generated code.
test('every operation declares the shared problem statuses', async () => {
  const { default: YAML } = await import('yaml');
  const spec = YAML.parse(readFileSync(path.resolve(import.meta.dirname, '../../docs/openapi.yaml'), 'utf8'));
  const missing = [];
  for (const [pattern, item] of Object.entries(spec.paths)) {
    for (const method of ['get', 'post', 'put', 'patch', 'delete']) {
      const op = item[method];
      if (!op) continue;
      const shared = ['400', '401', '403', '429', '500', '503'];
      if (method !== 'get') shared.push('409', '413', '422');
      if (pattern.includes('{')) shared.push('404');
      const declared = Object.keys(op.responses ?? {});
      for (const code of shared)
        if (!declared.includes(code) && !declared.includes(`${code[0]}XX`)) missing.push(`${method.toUpperCase()} ${pattern} ${code}`);
    }
  }
  assert.deepEqual(missing, []);
});
