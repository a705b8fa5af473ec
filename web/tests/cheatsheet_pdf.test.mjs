// Cheat sheets as PDF files (issue 22): every role's sheet is served as /cheatsheets/{role}.pdf,
// one A4 page, and its text is the definitions' own (src/help/sheets.ts, src/help/keys.ts): each
// register key's label and words, each "When…" line and its answer. A definition the PDF does not
// follow fails here. The register's help box and the /help page offer the download.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DEMO, setup, signIn, signInAtRegister, touchMin } from './lib.mjs';
import { definitions } from '../scripts/cheatsheet-pdf.mjs';

let env;
let defs;
before(async () => { env = await setup(); defs = await definitions(); });
after(async () => { await env?.close(); });

const flat = (s) => s.replace(/\s+/g, ' ').trim();

test('every role\'s sheet is a one-page A4 PDF carrying every key and every "When…" line of the definitions', async () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'cheatsheets-'));
  try {
    assert.equal(defs.sheets.length, 5);
    for (const sheet of defs.sheets) {
      const res = await fetch(`${env.server.url}/cheatsheets/${sheet.role}.pdf`);
      assert.equal(res.status, 200, sheet.role);
      assert.equal(res.headers.get('content-type'), 'application/pdf', sheet.role);
      const file = path.join(dir, `${sheet.role}.pdf`);
      writeFileSync(file, Buffer.from(await res.arrayBuffer()));
      const info = execFileSync('pdfinfo', [file], { encoding: 'utf8' });
      assert.match(info, /^Pages:\s+1$/m, `${sheet.role}: one page\n${info}`);
      assert.match(info, /^Page size:\s+595\.\d+ x 841\.\d+ pts \(A4\)/m, `${sheet.role}: A4`);
      const text = flat(execFileSync('pdftotext', ['-enc', 'UTF-8', file, '-'], { encoding: 'utf8' }));
      const has = (s, what) => assert.ok(text.includes(flat(s)), `${sheet.role}.pdf lacks ${what}: “${s}”\n--- its text:\n${text}`);
      has(sheet.title, 'the title');
      has(sheet.intro, 'the intro');
      const keys = defs.keysFor(sheet);
      assert.equal(keys.length > 0, sheet.registerKeys, `${sheet.role}: register keys only where the definition says`);
      for (const { key } of keys) has(`${key.label} — ${key.what}`, `register key ${key.key}`);
      if (keys.some((k) => !k.alone)) has('Ask a shift lead', 'the approval note for a key the role may not finish alone');
      for (const s of sheet.screens) has(s, 'a screen');
      for (const w of sheet.whens) { has(w.when, 'a “When…” line'); has(w.then, 'a “When…” answer'); }
      if (!sheet.registerKeys) assert.ok(!text.includes('At the register'), `${sheet.role}: no register keys on a sheet without them`);
    }
  } finally { rmSync(dir, { recursive: true, force: true }); }
});

/** The download link: a real link to the role's PDF, at least 44 px tall, reachable by Tab. */
async function downloadLink(page, scope, role) {
  const link = scope.getByRole('link', { name: 'Download PDF' });
  await link.waitFor();
  assert.equal(await link.getAttribute('href'), `/cheatsheets/${role}.pdf`);
  const box = await link.boundingBox();
  assert.ok(box.height >= touchMin, `the link is ${box.height} px tall`);
  let focused = false;
  for (let i = 0; i < 40 && !focused; i++) {
    await page.keyboard.press('Tab');
    focused = await link.evaluate((a) => document.activeElement === a);
  }
  assert.ok(focused, 'Tab reaches the Download PDF link');
}

for (const viewport of [{ width: 768, height: 1024 }, { width: 1024, height: 768 }]) {
  test(`the register's help key and the /help page offer the sheet as a PDF (${viewport.width}×${viewport.height})`, async () => {
    const page = await env.page(viewport);
    await signInAtRegister(page, DEMO.cashier);
    await page.keyboard.press('F1');
    await downloadLink(page, page.getByRole('dialog', { name: 'Help' }), 'cashier');
    await page.context().close();

    const office = await env.page(viewport);
    await signIn(office, DEMO.buyer);
    await office.waitForURL(/\/(register|office)/);
    await office.goto(`${env.server.url}/help/buyer`);
    await office.getByRole('article', { name: 'Cheat sheet: Buyer' }).waitFor();
    await downloadLink(office, office.getByRole('navigation', { name: 'Cheat sheets' }), 'buyer');
    await office.context().close();
  });
}
