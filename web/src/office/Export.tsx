// Export everything (issue 22): the shop's owner takes every table out as CSV files in one ZIP,
// at any time — leaving is always possible. The browser downloads GET /api/v1/export itself.
import { system } from '../api';

export function Export() {
  return (
    <section aria-label="Export everything">
      <h1>Export everything</h1>
      <p>One ZIP file with every table of the shop as a CSV file (items, stock movements, sales, suppliers, orders,
        the audit trail…), readable in any spreadsheet. Take it whenever you like: your data is yours.</p>
      <p class="muted">Customer contacts and supplier bank details are in it, in clear: keep the file safe. Passwords,
        PINs and other secrets are never exported; the README.txt inside lists what is left out and why. Each export
        is written to the audit log.</p>
      <a class="button" href={system.exportLink()} download>Download the export (ZIP)</a>
    </section>
  );
}
