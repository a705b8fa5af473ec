// Fails the build when the UI calls a route docs/openapi.yaml does not document, or talks to
// /api/v1 outside the typed client (web/src/api). Every call in src/api names its route by the
// literal OpenAPI template: get('/sales/{id}', …), post(…), put(…), patch(…), del(…), link(…)
// (a GET the browser opens), getWithEtag(…) and postForBlob(…).
import { readFileSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';

const web = path.resolve(import.meta.dirname, '..');
const spec = readFileSync(path.join(web, '../docs/openapi.yaml'), 'utf8');

// paths:  "  /api/v1/x/{id}:" then methods "    get:" until the next path or top-level key.
const documented = new Set();
let current = null;
for (const line of spec.split('\n')) {
  const p = /^  (\/[^:\s]*):\s*$/.exec(line);
  if (p) { current = p[1]; continue; }
  if (/^\S/.test(line)) { current = null; continue; }
  const m = /^    (get|post|put|patch|delete):/.exec(line);
  if (current && m) documented.add(`${m[1].toUpperCase()} ${current}`);
}
if (documented.size === 0) throw new Error('check-api: read no routes from docs/openapi.yaml');

function files(dir) {
  return readdirSync(dir).flatMap((f) => {
    const p = path.join(dir, f);
    return statSync(p).isDirectory() ? files(p) : /\.tsx?$/.test(f) ? [p] : [];
  });
}

const verbs = { get: 'GET', getWithEtag: 'GET', link: 'GET', post: 'POST', postForBlob: 'POST', put: 'PUT', patch: 'PATCH', del: 'DELETE' };
const problems = [];
let calls = 0;
const src = path.join(web, 'src');
const apiDir = path.join(src, 'api');
for (const file of files(src)) {
  const text = readFileSync(file, 'utf8');
  const rel = path.relative(web, file);
  if (!file.startsWith(apiDir + path.sep)) {
    if (/['"`]\/api\/v1/.test(text)) problems.push(`${rel}: talks to /api/v1 directly; go through src/api`);
    if (/\bfetch\s*\(/.test(text)) problems.push(`${rel}: calls fetch(); go through src/api`);
    continue;
  }
  if (path.basename(file) !== 'index.ts') continue;
  for (const m of text.matchAll(/\b(getWithEtag|get|link|postForBlob|post|put|patch|del)\b[^(=]*\(\s*(['"`])([^'"`]*)\2/g)) {
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
console.log(`check-api: ${calls} client routes, all in docs/openapi.yaml`);
