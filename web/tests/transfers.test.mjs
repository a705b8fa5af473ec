// Defect 7 and the whole transfer flow in the browser: create and ship; receive partly, then
// the rest (from the server's list on another device, by the transfer's number); and a
// receipt with a discrepancy (damaged, and the rest closed short). Checked through the API
// and the stock ledger.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { DEMO, PASTA, setup, signIn, onHand, itemByCode, screenshotPath, secondSite, fits } from './lib.mjs';

let env;
before(async () => { env = await setup(); });
after(async () => { await env?.close(); });

async function openTransfers(page, store) {
  await page.getByRole('link', { name: 'Back office' }).click();
  await page.getByRole('link', { name: 'Transfers' }).click();
  await page.getByLabel('From', { exact: true }).selectOption(store.id);
}

async function shipPasta(page, item, dest, quantity) {
  await page.getByLabel('To', { exact: true }).selectOption(dest.id);
  await page.getByLabel('Add an item').fill(PASTA);
  await page.getByRole('button', { name: 'Search', exact: true }).click();
  await page.getByRole('button', { name: `Open ${item.name}` }).click();
  await page.getByLabel(`Quantity of ${item.name}`).fill(String(quantity));
  await page.getByRole('button', { name: 'Ship transfer' }).click();
  const card = page.getByRole('region', { name: 'Transfer' });
  const heading = card.getByRole('heading', { name: /^Transfer T-\d+: .* · in transit$/ });
  await heading.waitFor();
  const number = (await heading.textContent()).match(/T-\d+/)[0];
  return { card, number };
}

const lineCells = async (card, item) =>
  (await card.getByRole('table', { name: 'Transfer lines' }).getByRole('row', { name: new RegExp(item.name) }).getByRole('cell').allInnerTexts()).slice(1, 5);

test('ship, receive partly, receive the rest from another device, and a discrepancy closed short', async () => {
  const { server, store } = env;
  const item = await itemByCode(server, PASTA);
  const dest = await secondSite(server, store.id);
  const storeStart = await onHand(server, item.id, store.id);
  const destStart = await onHand(server, item.id, dest.id);

  const page = await env.page({ width: 1280, height: 800 });
  await signIn(page, DEMO.manager);
  await openTransfers(page, store);

  // 1. Six packs shipped; two arrive first.
  const first = await shipPasta(page, item, dest, 6);
  assert.equal(await onHand(server, item.id, store.id), storeStart - 6, 'shipping takes the stock out of the store');
  assert.equal(await first.card.getByLabel(`Received now of ${item.name}`).inputValue(), '6', 'what is still to come is proposed');
  await first.card.getByLabel(`Received now of ${item.name}`).fill('2');
  await first.card.getByRole('button', { name: 'Receive as counted' }).click();
  await first.card.getByRole('status').filter({ hasText: 'Receipt 1 booked: 4 still to come.' }).waitFor();
  await first.card.getByRole('heading', { name: /· partly received$/ }).waitFor();
  assert.deepEqual(await lineCells(first.card, item), ['6', '2', '0', '4']);
  assert.equal(await onHand(server, item.id, dest.id), destStart + 2);
  const listed = page.getByRole('table', { name: 'Transfers' }).getByRole('row', { name: new RegExp(first.number) });
  await listed.getByRole('cell', { name: 'partly received' }).waitFor();
  await page.context().close();

  // 2. Another device (nothing remembered there) finds it in the list by number and receives the rest.
  const other = await env.page({ width: 1280, height: 800 });
  await signIn(other, DEMO.manager);
  await openTransfers(other, store);
  await other.getByLabel('Show').selectOption('in_transit');
  await other.getByRole('button', { name: `Open transfer ${first.number}` }).click();
  const card = other.getByRole('region', { name: 'Transfer' });
  assert.equal(await card.getByLabel(`Received now of ${item.name}`).inputValue(), '4');
  await card.getByRole('button', { name: 'Receive all' }).click();
  await card.getByRole('status').filter({ hasText: 'Received in full.' }).waitFor();
  await card.getByRole('heading', { name: /· received$/ }).waitFor();
  assert.deepEqual(await lineCells(card, item), ['6', '6', '0', '0']);
  assert.equal(await card.getByRole('list', { name: 'Receipts' }).getByRole('listitem').count(), 2);
  assert.equal(await onHand(server, item.id, dest.id), destStart + 6);

  // 3. Five packs: three arrive sound, one damaged, and the last never comes (closed short).
  const second = await shipPasta(other, item, dest, 5);
  await second.card.getByLabel(`Received now of ${item.name}`).fill('3');
  await second.card.getByLabel(`Damaged now of ${item.name}`).fill('1');
  await second.card.getByRole('button', { name: 'Receive and close short' }).click();
  await second.card.getByRole('status').filter({ hasText: 'Received with a discrepancy: 1 short, 1 damaged.' }).waitFor();
  assert.deepEqual(await lineCells(second.card, item), ['5', '3', '1', '1']);
  await other.screenshot({ path: screenshotPath('backoffice-transfer.png') });

  const t = (await server.get('/api/v1/transfers?status=received')).json.transfers.find((x) => x.number === second.number);
  assert.deepEqual([t.lines[0].received, t.lines[0].damaged, t.lines[0].short, t.lines[0].outstanding], [3, 1, 1, 0]);
  assert.equal(await onHand(server, item.id, store.id), storeStart - 11);
  assert.equal(await onHand(server, item.id, dest.id), destStart + 6 + 3, 'only what arrived sound is on hand at the destination');
  const rows = other.getByRole('table', { name: 'Transfers' }).getByRole('row');
  await other.getByLabel('Show').selectOption('');
  await rows.filter({ hasText: second.number }).waitFor();
  assert.equal(await rows.count(), 3, 'both transfers listed, newest first (with the header row)');
  assert.match(await rows.nth(1).textContent(), new RegExp(second.number));
  await other.context().close();
});

test('a shipment in transit is cancelled with a reason, by keyboard, on a small laptop and an upright tablet', async () => {
  const { server, store } = env;
  const item = await itemByCode(server, PASTA);
  const dest = await secondSite(server, store.id);
  for (const [width, height] of [[1024, 768], [768, 1024]]) {
    const storeStart = await onHand(server, item.id, store.id);
    const destStart = await onHand(server, item.id, dest.id);
    const page = await env.page({ width, height });
    await signIn(page, DEMO.manager);
    await openTransfers(page, store);
    const shipped = await shipPasta(page, item, dest, 3);
    assert.equal(await onHand(server, item.id, store.id), storeStart - 3);

    // Escape keeps the shipment; nothing is cancelled.
    await shipped.card.getByRole('button', { name: 'Cancel shipment' }).click();
    const dialog = page.getByRole('dialog', { name: `Cancel shipment ${shipped.number}?` });
    await dialog.waitFor();
    await fits(page, `cancel dialog at ${width}×${height}`);
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
    assert.equal((await server.get('/api/v1/transfers?status=in_transit')).json.transfers.some((t) => t.number === shipped.number), true);

    // Enter without a reason asks for one; with one it cancels.
    await shipped.card.getByRole('button', { name: 'Cancel shipment' }).focus();
    await page.keyboard.press('Enter');
    await dialog.waitFor();
    await dialog.getByText('3 still in transit go back to').waitFor();
    assert.equal(await dialog.getByLabel('Reason').evaluate((e) => e === document.activeElement), true, 'the reason has the focus');
    await page.keyboard.press('Enter');
    await dialog.getByRole('alert').filter({ hasText: 'Say why the shipment is cancelled.' }).waitFor();
    await page.keyboard.type('Keyed the wrong store');
    await page.keyboard.press('Enter');
    await dialog.waitFor({ state: 'detached' });
    await shipped.card.getByRole('status').filter({ hasText: `Transfer ${shipped.number} cancelled: 3 went back to ${store.name}.` }).waitFor();
    await shipped.card.getByRole('heading', { name: /· Cancelled: Keyed the wrong store$/ }).waitFor();
    assert.deepEqual(await lineCells(shipped.card, item), ['3', '0', '0', '3'], 'shipped 3, returned 3');
    await shipped.card.getByRole('button', { name: 'Cancel shipment' }).waitFor({ state: 'detached' });
    const row = page.getByRole('table', { name: 'Transfers' }).getByRole('row', { name: new RegExp(shipped.number) });
    await row.getByRole('cell', { name: 'Cancelled: Keyed the wrong store' }).waitFor();
    await fits(page, `transfers after a cancel at ${width}×${height}`);
    if (width === 768) await page.screenshot({ path: screenshotPath('backoffice-transfer-cancelled.png') });

    const t = (await server.get('/api/v1/transfers?status=cancelled')).json.transfers.find((x) => x.number === shipped.number);
    assert.equal(t.cancel_reason, 'Keyed the wrong store');
    assert.equal(t.lines[0].returned, 3);
    assert.equal(await onHand(server, item.id, store.id), storeStart, 'the goods are back at the source');
    assert.equal(await onHand(server, item.id, dest.id), destStart);
    await page.context().close();
  }
});
