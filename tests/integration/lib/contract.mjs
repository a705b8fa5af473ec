// The response contract check (issue 19): every answer a suite receives through the test client
// or checkedFetch (lib/server.mjs) is compared with docs/openapi.yaml — its operation must be
// documented, its status declared (exactly, or by a 4XX/5XX/default range), and a JSON body must
// validate against the declared schema of that status and content type.
//
// It is on for every suite that imports lib/server.mjs; BACKROOM_TEST_CONTRACT=0 turns it off for
// a run (to chase something else). The mismatches are gathered while the suite runs; when it ends
// they are printed, at most one line per operation × status × problem, and the run fails.
// BACKROOM_TEST_CONTRACT_SPEC names another document to check against (contract.test.mjs uses it
// to prove a disagreeing answer fails a suite).
import { after } from 'node:test';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import Ajv from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import YAML from 'yaml';

const SPEC_PATH = process.env.BACKROOM_TEST_CONTRACT_SPEC || path.resolve(import.meta.dirname, '../../../docs/openapi.yaml');
let spec;
let ajv;
let operations;  // [{method, regex, pattern, op}]
const validators = new Map();

function load() {
  if (spec) return;
  spec = YAML.parse(readFileSync(SPEC_PATH, 'utf8'));
  ajv = new Ajv({ strict: false, allErrors: true, validateFormats: true });
  addFormats(ajv);
  ajv.addSchema({ $id: 'openapi', components: spec.components, paths: spec.paths });
  operations = [];
  for (const [pattern, item] of Object.entries(spec.paths ?? {})) {
    const regex = new RegExp(`^${pattern.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\{[^}]+\}/g, '[^/]+')}$`);
    for (const method of ['get', 'post', 'put', 'patch', 'delete'])
      if (item[method]) operations.push({ method: method.toUpperCase(), regex, pattern, op: item[method], literal: !pattern.includes('{') });
  }
  // A literal path wins over a templated one (/items/duplicates before /items/{id}).
  operations.sort((a, b) => Number(b.literal) - Number(a.literal));
}

function resolve(obj) {
  let o = obj;
  for (let i = 0; o && o.$ref && i < 10; i++) {
    const parts = o.$ref.replace(/^#\//, '').split('/').map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'));
    o = parts.reduce((x, k) => x?.[k], spec);
  }
  return o;
}

function pointer(parts) {
  return 'openapi#/' + parts.map((p) => String(p).replace(/~/g, '~0').replace(/\//g, '~1')).join('/');
}

// The mismatches of one answer with the contract: [] when it agrees.
export function contractProblems(method, url, status, contentType, json, text) {
  load();
  const p = new URL(url, 'http://x').pathname;
  const found = operations.find((o) => o.method === method && o.regex.test(p));
  // An undocumented path or method the server also refuses (404, 405) agrees with the contract.
  if (!found && (status === 404 || status === 405)) return [];
  if (!found) return [{ key: `${method} ${p}`, text: `${method} ${p}: no such operation in docs/openapi.yaml` }];
  const where = `${method} ${found.pattern} ${status}`;
  const responses = found.op.responses ?? {};
  const rangeKey = `${String(status)[0]}XX`;
  const declared = responses[String(status)] ? String(status) : responses[rangeKey] ? rangeKey : responses.default ? 'default' : null;
  if (!declared) return [{ key: `${where} undeclared`, text: `${where}: status not declared (declares ${Object.keys(responses).join(', ')})` }];
  const response = resolve(responses[declared]);
  const media = (contentType ?? '').split(';')[0].trim();
  if (!response?.content || !media) return [];
  const content = response.content[media];
  if (!content) {
    // A problem+json answer is declared by its Problem response; any other type must be listed.
    return [{ key: `${where} ${media}`, text: `${where}: content type ${media} not declared (declares ${Object.keys(response.content).join(', ')})` }];
  }
  if (!content.schema || !/^application\/(.+\+)?json$/.test(media)) return [];
  if (json === undefined && text) return [{ key: `${where} parse`, text: `${where}: body is not JSON` }];
  // The schema's pointer: inside the response object the operation names (or the shared one).
  const ref = responses[declared].$ref;
  const base = ref ? ref.replace(/^#\//, '').split('/').map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'))
                   : ['paths', found.pattern, method.toLowerCase(), 'responses', declared];
  const id = pointer([...base, 'content', media, 'schema']);
  let validate = validators.get(id);
  if (!validate) {
    try { validate = ajv.compile({ $ref: id }); } catch (e) {
      return [{ key: `${where} schema`, text: `${where}: the schema does not compile: ${e.message}` }];
    }
    validators.set(id, validate);
  }
  if (validate(json)) return [];
  return validate.errors.slice(0, 3).map((e) => ({
    key: `${where} ${e.instancePath.replace(/\/\d+/g, '/*')} ${e.keyword}`,
    text: `${where}: body${e.instancePath} ${e.message}${e.params?.additionalProperty ? ` (${e.params.additionalProperty})` : ''}`
      + ` (was ${shortJson(at(json, e.instancePath))})`,
  }));
}

function at(json, pointer) {
  return pointer.split('/').slice(1).map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~')).reduce((x, k) => x?.[k], json);
}

function shortJson(value) {
  const text = JSON.stringify(value) ?? 'undefined';
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

// Answers the server gives today that the contract rightly refuses: server bugs, each named with
// what the server should answer. They are printed, not failed, until the server is fixed; then the
// entry goes. Keyed like the mismatches: operation, status, body path (indices as *), keyword.
export const KNOWN_SERVER_BUGS = new Map([
  // None today. The one it held — a receipt scan sent as a JSON number with a fraction or an
  // exponent accepted and echoed as a number — is fixed (422 invalid_field scans[i]).
]);

let enabled = false;
const seen = new Map();  // key -> {text, count}
const known = new Map();  // key -> {text, count}: answers matching KNOWN_SERVER_BUGS

// Called by the test client with every answer.
export function recordAnswer(method, url, res, json, text) {
  if (!enabled) return;
  for (const m of contractProblems(method, url, res.status, res.headers.get('content-type'), json, text)) {
    const list = KNOWN_SERVER_BUGS.has(m.key) ? known : seen;
    const entry = list.get(m.key);
    if (entry) entry.count++;
    else list.set(m.key, { text: m.text, count: 1 });
  }
}

export function contractMismatches() {
  return [...seen.values()].map((e) => (e.count > 1 ? `${e.text} (×${e.count})` : e.text));
}

// Turns the check on for this suite; its mismatches fail the suite's run.
function checkContract() {
  if (enabled) return;
  enabled = true;
  // Not a throwing hook: a hook that throws would keep the suite's own after hooks (stopping its
  // servers) from running. The mismatches are printed and the run's exit code says failure.
  after(() => {
    for (const [key, e] of known)
      console.error(`⚠ contract: known server bug, not failing: ${e.text}${e.count > 1 ? ` (×${e.count})` : ''}\n    ${KNOWN_SERVER_BUGS.get(key)}`);
    const list = contractMismatches();
    if (list.length === 0) return;
    console.error(`✖ contract: ${list.length} answers disagree with ${path.relative(process.cwd(), SPEC_PATH) || SPEC_PATH}:\n  ${list.join('\n  ')}`);
    process.exitCode = 1;
  });
}

if (process.env.BACKROOM_TEST_CONTRACT !== '0') checkContract();
