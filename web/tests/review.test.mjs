// The weekly review (issue 18) on a tablet, portrait 768×1024 and landscape 1024×768: the five
// numbers with their working and a sparkline each, the worst items by name (never an id), and an
// action added with an owner, a due date, a note and a photo, then closed with its outcome — by
// touch-sized targets and by the keyboard.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { DEMO, PASTA, itemByCode, screenshotPath, setup, signIn, fits } from './lib.mjs';

let env;
before(async () => { env = await setup(); });
after(async () => { await env?.close(); });

// The smallest honest PNG: 1×1, one grey pixel.
const PNG = Buffer.from('89504e470d0a1a0a0000000d4948445200000001000000010800000000' +
  '3a7e9b550000000a49444154789c63680000008200815d3d2bb30000000049454e44ae426082', 'hex');
const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/i;

async function openReview(page) {
  await page.getByRole('link', { name: 'Back office' }).click();
  await page.getByRole('navigation', { name: 'Back office' }).getByRole('link', { name: 'Weekly review', exact: true }).click();
  await page.getByRole('heading', { level: 1, name: 'Weekly review' }).waitFor();
}

let sold = false;
for (const [label, viewport] of [['portrait', { width: 768, height: 1024 }], ['landscape', { width: 1024, height: 768 }]]) {
  test(`the weekly review on a tablet in ${label}: five numbers, worst items, an action from note to outcome`, async () => {
    const { server, store } = env;
    if (!sold) {  // something sold today, so sell-through and the worst items have figures
      const pasta = await itemByCode(server, PASTA);
      const r = await server.post('/api/v1/sales', { location_id: store.id, lines: [{ item_id: pasta.id, quantity: 2 }], tenders: [{ type: 'cash', amount: 5000 }] });
      assert.equal(r.status, 201, r.text);
      sold = true;
    }
    const page = await env.page(viewport);
    await signIn(page, DEMO.manager);
    await openReview(page);
    for (const name of ['Stockout rate', 'Sell-through', 'Days of supply', 'Shrink', 'GMROI']) {
      const card = page.getByRole('article', { name });
      await card.waitFor();
      assert.equal(await card.getByRole('img').count(), 1, `${name} has its sparkline`);
    }
    const sell = page.getByRole('article', { name: 'Sell-through' });
    await sell.getByText(/sold of/).waitFor();
    assert.match(await sell.innerText(), /\d+(\.\d+)? %/);
    const worstSell = page.getByRole('list', { name: 'Worst items by sell-through' });
    await worstSell.getByRole('listitem').first().waitFor();
    await fits(page, `review (${label})`);

    // An action: note, owner, due date, a photo; added with the keyboard (Enter submits).
    const note = `Refill the pasta shelf before noon (${label})`;
    await page.getByLabel('What is to be done').fill(note);
    await page.getByLabel('Owner').selectOption({ label: 'Morgan Manager' });
    await page.getByLabel('Due', { exact: true }).fill('2030-01-31');
    await page.getByLabel('About').selectOption({ label: 'Sell-through' });
    await page.getByLabel('Add a photo of the shelf').setInputFiles({ name: 'shelf.png', mimeType: 'image/png', buffer: PNG });
    await page.getByRole('button', { name: 'Add action' }).focus();
    await page.keyboard.press('Enter');
    const item = page.getByRole('list', { name: 'Actions' }).getByRole('listitem').filter({ hasText: note });
    await item.waitFor();
    await item.getByRole('img', { name: `Photo 1 for: ${note}` }).waitFor();
    assert.equal(await item.getByRole('img').evaluate((img) => img.decode().then(() => img.naturalWidth)), 1, 'the photo is served back');
    await fits(page, `review with an action (${label})`);
    await page.screenshot({ path: screenshotPath(`review-tablet-${label}.png`) });

    await item.getByLabel('Outcome').fill('Shelf refilled; a second facing added');
    await item.getByRole('button', { name: 'Done' }).click();
    await item.getByText('Outcome: Shelf refilled; a second facing added').waitFor();
    const text = await page.evaluate(() => document.body.innerText);
    assert.equal(text.match(UUID), null, 'the review shows no id');

    const stored = (await server.get('/api/v1/reports/actions')).json.actions.find((a) => a.note === note);
    assert.deepEqual([stored.status, stored.due_on, stored.kpi, stored.photos.length], ['done', '2030-01-31', 'sell_through', 1]);
    await page.context().close();
  });
}
