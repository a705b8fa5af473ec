// A role's one-page cheat sheet: on screen (F1 at the register, Help in the back office) and
// printed (the print stylesheet lays it out on one A4 page in big type).
import { Fragment } from 'preact';
import { navigate } from '../app/session';
import { Button } from '../shared/components';
import { keysFor, type Sheet, sheets } from './sheets';
import { TrainingModules } from './Training';
import './help.css';

export function CheatSheet({ sheet }: { sheet: Sheet }) {
  const keys = keysFor(sheet);
  return (
    <article class="cheat-sheet" aria-label={`Cheat sheet: ${sheet.title}`}>
      <h2>{sheet.title}</h2>
      <p class="cheat-intro">{sheet.intro}</p>
      {keys.length > 0 && (
        <section aria-label="Register keys">
          <h3>At the register</h3>
          <table class="cheat-keys">
            <tbody>
              {keys.map(({ key, alone }) => (
                <tr key={key.key}>
                  <th scope="row"><kbd>{key.key}</kbd></th>
                  <td><strong>{key.label}</strong> — {key.what}{alone ? '' : ' Ask a shift lead: they approve on your screen.'}</td>
                </tr>
              ))}
              <tr><th scope="row"><kbd>+</kbd> <kbd>−</kbd></th><td><strong>Quantity</strong> — one more or one less of the last line scanned.</td></tr>
              <tr><th scope="row"><kbd>Esc</kbd></th><td><strong>Close</strong> — closes a box or clears the search.</td></tr>
            </tbody>
          </table>
        </section>
      )}
      {sheet.screens.length > 0 && (
        <section aria-label="Back-office screens">
          <h3>In the back office</h3>
          <p class="cheat-screens">{sheet.screens.join(' · ')}</p>
        </section>
      )}
      <section aria-label="When">
        <h3>When…</h3>
        <dl class="cheat-whens">
          {sheet.whens.map((w) => (<Fragment key={w.when}><dt>{w.when}</dt><dd>{w.then}</dd></Fragment>))}
        </dl>
      </section>
    </article>
  );
}

/** The sheet as a PDF file, written at build time from these same definitions (scripts/cheatsheet-pdf.mjs). */
export const sheetPdfLink = (sheet: Sheet) => `/cheatsheets/${sheet.role}.pdf`;

export function DownloadPdf({ sheet }: { sheet: Sheet }) {
  return <a class="button" href={sheetPdfLink(sheet)} download={`cheatsheet-${sheet.role}.pdf`}>Download PDF</a>;
}

/** /help and /help/{role}: every role's sheet, the person's own first, with Print. */
export function HelpPage({ role, path, onBack }: { role: string; path: string; onBack: () => void }) {
  const asked = path.split('/')[2];
  const sheet = sheets.find((s) => s.role === asked) ?? sheets.find((s) => s.role === role) ?? sheets[0];
  const learning = asked === 'training';
  return (
    <main class="help-page">
      <nav class="help-nav no-print" aria-label="Cheat sheets">
        <Button onClick={onBack}>Back</Button>
        {sheets.map((s) => (
          <a key={s.role} href={`/help/${s.role}`} aria-current={s === sheet && !learning ? 'page' : undefined}
            onClick={(e) => { e.preventDefault(); navigate(`/help/${s.role}`); }}>{s.title}</a>
        ))}
        <a href="/help/training" aria-current={learning ? 'page' : undefined}
          onClick={(e) => { e.preventDefault(); navigate('/help/training'); }}>Training</a>
        {!learning && <Button variant="primary" onClick={() => print()}>Print</Button>}
        {!learning && <DownloadPdf sheet={sheet} />}
      </nav>
      {learning ? <TrainingModules role={role} /> : <CheatSheet sheet={sheet} />}
    </main>
  );
}
