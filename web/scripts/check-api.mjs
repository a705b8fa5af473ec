// Fails the build when the UI calls a route docs/openapi.yaml does not document, or talks to
// /api/v1 outside the typed client (web/src/api). Every call in src/api names its route by the
// literal OpenAPI template: get('/sales/{id}', …), post(…), put(…), patch(…), del(…), link(…)
// (a GET the browser opens), getWithEtag(…), postForBlob(…), postCsv(…) and postFile(…).
// Permissions: every documented operation names an `x-permission` from the vocabulary in
// src/api/permissions.ts (generated from the binary; `public` or `authenticated` also do),
// and no UI file types a permission name as a string instead of importing it from there.
import { readFileSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';

const web = path.resolve(import.meta.dirname, '..');
const spec = readFileSync(path.join(web, '../docs/openapi.yaml'), 'utf8');

// paths:  "  /api/v1/x/{id}:" then methods "    get:" until the next path or top-level key.
// Each operation's "      x-permission: NAME" is read into xPermission.
const documented = new Set();
const xPermission = new Map();
let current = null;
let operation = null;
for (const line of spec.split('\n')) {
  const p = /^  (\/[^:\s]*):\s*$/.exec(line);
  if (p) { current = p[1]; operation = null; continue; }
  if (/^\S/.test(line)) { current = null; operation = null; continue; }
  const m = /^    (get|post|put|patch|delete):/.exec(line);
  if (current && m) { operation = `${m[1].toUpperCase()} ${current}`; documented.add(operation); continue; }
  if (/^    \S/.test(line)) { operation = null; continue; }
  const x = /^      x-permission:\s*(\S+)\s*$/.exec(line);
  if (operation && x) xPermission.set(operation, x[1]);
}
if (documented.size === 0) throw new Error('check-api: read no routes from docs/openapi.yaml');

// The vocabulary, as src/api/permissions.ts spells it: "  items_read: 'items.read',".
const permissionsFile = path.join(web, 'src/api/permissions.ts');
const vocabularyText = readFileSync(permissionsFile, 'utf8');
const vocabulary = new Set([...vocabularyText.matchAll(/^  [a-z_]+: '([a-z_]+\.[a-z_]+)',$/gm)].map((m) => m[1]));
if (vocabulary.size === 0) throw new Error('check-api: read no permissions from src/api/permissions.ts');
// ...and what a route may declare besides: "routeOnly = { authenticated: 'authenticated', public: 'public' }".
const routeOnly = /routeOnly = \{ authenticated: '([a-z]+)', public: '([a-z]+)' \}/.exec(vocabularyText);
if (!routeOnly) throw new Error('check-api: read no routeOnly tokens from src/api/permissions.ts');
const declarable = new Set([...vocabulary, routeOnly[1], routeOnly[2]]);

function files(dir) {
  return readdirSync(dir).flatMap((f) => {
    const p = path.join(dir, f);
    return statSync(p).isDirectory() ? files(p) : /\.tsx?$/.test(f) ? [p] : [];
  });
}

const verbs = { get: 'GET', getWithEtag: 'GET', link: 'GET', post: 'POST', postForBlob: 'POST', postCsv: 'POST', postFile: 'POST', put: 'PUT', patch: 'PATCH', del: 'DELETE' };
const problems = [];
for (const op of documented) {
  const declared = xPermission.get(op);
  if (!declared) problems.push(`docs/openapi.yaml: ${op} names no x-permission`);
  else if (!declarable.has(declared))
    problems.push(`docs/openapi.yaml: ${op} declares x-permission ${declared}, which src/api/permissions.ts does not know`);
}
let calls = 0;
const src = path.join(web, 'src');
const apiDir = path.join(src, 'api');
for (const file of files(src)) {
  const text = readFileSync(file, 'utf8');
  const rel = path.relative(web, file);
  if (file !== permissionsFile)
    for (const m of text.matchAll(/(['"`])([a-z_]+\.[a-z_]+)\1/g))
      if (vocabulary.has(m[2])) problems.push(`${rel}: names the permission '${m[2]}' as a string; use permission.${m[2].replace('.', '_')} from src/api`);
  if (!file.startsWith(apiDir + path.sep)) {
    if (/['"`]\/api\/v1/.test(text)) problems.push(`${rel}: talks to /api/v1 directly; go through src/api`);
    if (/\bfetch\s*\(/.test(text)) problems.push(`${rel}: calls fetch(); go through src/api`);
    continue;
  }
  if (path.basename(file) !== 'index.ts') continue;
  for (const m of text.matchAll(/\b(getWithEtag|get|link|postForBlob|postCsv|postFile|post|put|patch|del)\b[^(=]*\(\s*(['"`])([^'"`]*)\2/g)) {
    const [, fn, , template] = m;
    if (!template.startsWith('/')) continue;
    calls++;
    const key = `${verbs[fn]} /api/v1${template}`;
    if (!documented.has(key)) problems.push(`${rel}: ${key} is not in docs/openapi.yaml`);
  }
}
if (calls === 0) problems.push('src/api/index.ts: found no route calls (has the client changed shape?)');
if (problems.length) {
  console.error('check-api:\n  ' + problems.join('\n  '));
  process.exit(1);
}
console.log(`check-api: ${calls} client routes, all in docs/openapi.yaml; ${documented.size} operations, each with a known x-permission`);
