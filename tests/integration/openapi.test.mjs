// docs/openapi.yaml is the contract: every route the server has is documented there, and
// every documented operation exists. The route table comes from the binary itself.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { cli } from './lib/server.mjs';

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

test('every error code the API documents is a snake_case word', () => {
  const yaml = readFileSync(path.resolve(import.meta.dirname, '../../docs/openapi.yaml'), 'utf8');
  const m = yaml.match(/examples: \[(malformed_json[^\]]*)\]/);
  assert.ok(m);
  for (const code of m[1].split(',').map((c) => c.trim())) assert.match(code, /^[a-z]+(_[a-z0-9]+)*$/);
});
