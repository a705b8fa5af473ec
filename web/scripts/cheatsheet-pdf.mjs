// Writes one printable PDF per role's cheat sheet (issue 22) into DIR/cheatsheets/{role}.pdf,
// from the same definitions the UI shows (src/help/sheets.ts and the register's keys in
// src/help/keys.ts), so a printed sheet cannot drift from the screen. Run by `npm run build`
// after vite: `node scripts/cheatsheet-pdf.mjs dist`. One A4 page each: the type starts big
// and steps down only if a sheet would not fit; a sheet that fits nowhere fails the build.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import { PDFDocument, rgb } from 'pdf-lib';
import fontkit from '@pdf-lib/fontkit';

const WEB = path.resolve(import.meta.dirname, '..');
// DejaVu has every character the sheets use (↑ ↓ “ ” – − … ’); Debian's fonts-dejavu-core.
const FONT_DIR = process.env.BACKROOM_SHEET_FONT_DIR ?? '/usr/share/fonts/truetype/dejavu';
const A4 = [595.28, 841.89];
const MARGIN = 42;

export async function definitions() {
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'sheets-'));
  try {
    const out = path.join(tmp, 'sheets.mjs');
    await build({ entryPoints: [path.join(WEB, 'src/help/sheets.ts')], bundle: true, format: 'esm', platform: 'neutral', outfile: out, logLevel: 'error' });
    return await import(pathToFileURL(out).href);
  } finally { rmSync(tmp, { recursive: true, force: true }); }
}

/** The sheet as blocks of text, in reading order: the same words as CheatSheet.tsx. */
export function blocks(sheet, keysFor) {
  const b = [{ kind: 'title', text: sheet.title }, { kind: 'intro', text: sheet.intro }];
  const keys = keysFor(sheet);
  if (keys.length > 0) {
    b.push({ kind: 'heading', text: 'At the register' });
    for (const { key, alone } of keys) {
      b.push({ kind: 'key', key: key.key, label: key.label, text: key.what + (alone ? '' : ' Ask a shift lead: they approve on your screen.') });
    }
    b.push({ kind: 'key', key: '+ −', label: 'Quantity', text: 'one more or one less of the last line scanned.' });
    b.push({ kind: 'key', key: 'Esc', label: 'Close', text: 'closes a box or clears the search.' });
  }
  if (sheet.screens.length > 0) {
    b.push({ kind: 'heading', text: 'In the back office' }, { kind: 'intro', text: sheet.screens.join(' · ') });
  }
  b.push({ kind: 'heading', text: 'When…' });
  for (const w of sheet.whens) b.push({ kind: 'when', when: w.when, text: w.then });
  return b;
}

function wrap(text, font, size, width) {
  const lines = [];
  let line = '';
  for (const word of text.split(/\s+/).filter(Boolean)) {
    const next = line ? `${line} ${word}` : word;
    if (line && font.widthOfTextAtSize(next, size) > width) { lines.push(line); line = word; } else line = next;
  }
  if (line) lines.push(line);
  return lines;
}

/** Lays the blocks out at body size `size`; returns draw operations, or null if they overflow the page. */
function layout(b, fonts, size) {
  const ops = [];
  const width = A4[0] - 2 * MARGIN;
  const keyCol = size * 4.2;
  let y = A4[1] - MARGIN;
  const lead = size * 1.3;
  const put = (lines, font, s, x) => { for (const l of lines) { y -= s * 1.3; ops.push({ text: l, font, size: s, x, y }); } };
  for (const blk of b) {
    if (blk.kind === 'title') put([blk.text], fonts.bold, size * 2, MARGIN);
    else if (blk.kind === 'intro') { put(wrap(blk.text, fonts.regular, size, width), fonts.regular, size, MARGIN); y -= lead * 0.3; }
    else if (blk.kind === 'heading') { y -= lead * 0.4; put([blk.text], fonts.bold, size * 1.35, MARGIN); y -= lead * 0.2; }
    else if (blk.kind === 'key') {
      ops.push({ text: blk.key, font: fonts.bold, size, x: MARGIN, y: y - lead });
      put(wrap(`${blk.label} — ${blk.text}`, fonts.regular, size, width - keyCol), fonts.regular, size, MARGIN + keyCol);
      y -= lead * 0.2;
    } else if (blk.kind === 'when') {
      put(wrap(blk.when, fonts.bold, size, width), fonts.bold, size, MARGIN);
      put(wrap(blk.text, fonts.regular, size, width - size * 1.5), fonts.regular, size, MARGIN + size * 1.5);
      y -= lead * 0.35;
    }
    if (y < MARGIN) return null;
  }
  return ops;
}

export async function sheetPdf(sheet, keysFor, fontBytes) {
  const doc = await PDFDocument.create();
  doc.registerFontkit(fontkit);
  doc.setTitle(`Cheat sheet: ${sheet.title}`);
  doc.setCreator('Backroom');
  doc.setProducer('Backroom');
  // Fixed dates: the same definitions give the same file.
  doc.setCreationDate(new Date(0));
  doc.setModificationDate(new Date(0));
  const fonts = { regular: await doc.embedFont(fontBytes.regular, { subset: true }), bold: await doc.embedFont(fontBytes.bold, { subset: true }) };
  const b = blocks(sheet, keysFor);
  let ops = null;
  for (let size = 15; size >= 10 && !ops; size -= 0.5) ops = layout(b, fonts, size);
  if (!ops) throw new Error(`cheat sheet ${sheet.role} does not fit one A4 page even at 10 pt`);
  const page = doc.addPage(A4);
  for (const o of ops) page.drawText(o.text, { x: o.x, y: o.y, size: o.size, font: o.font, color: rgb(0, 0, 0) });
  return doc.save();
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  const dir = path.resolve(process.argv[2] ?? path.join(WEB, 'dist'));
  const { sheets, keysFor } = await definitions();
  const fontBytes = { regular: readFileSync(path.join(FONT_DIR, 'DejaVuSans.ttf')), bold: readFileSync(path.join(FONT_DIR, 'DejaVuSans-Bold.ttf')) };
  mkdirSync(path.join(dir, 'cheatsheets'), { recursive: true });
  for (const sheet of sheets) writeFileSync(path.join(dir, 'cheatsheets', `${sheet.role}.pdf`), await sheetPdf(sheet, keysFor, fontBytes));
  console.log(`cheat sheets: ${sheets.length} PDFs in ${path.join(dir, 'cheatsheets')}`);
}
