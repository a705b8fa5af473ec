// One-page cheat sheets per role (issue 22, "training that sticks"): the register's keys come
// from ./keys (the same table the register binds), the screens from the back office's own
// section titles (passed in), the "when…" lines describe only what the product does.
import { type Permission, permission } from '../api';
import { type RegisterKey, registerKeys } from './keys';

export type SheetRole = 'cashier' | 'shift_lead' | 'buyer' | 'clerk' | 'manager';

export interface When { when: string; then: string }

export interface Sheet {
  role: SheetRole;
  title: string;
  /** One sentence: what this person is there for. */
  intro: string;
  /** Whether the register's keys are on this sheet. */
  registerKeys: boolean;
  /** Back-office screens this role works in (titles as in the navigation). */
  screens: string[];
  whens: When[];
  /** What the role may finish alone; a key that needs more says "ask a lead". */
  may: Permission[];
}

export const sheets: readonly Sheet[] = [
  {
    role: 'cashier',
    title: 'Cashier',
    intro: 'Scan, take payment, hand over the receipt. The screen tells you when something needs a lead.',
    registerKeys: true,
    screens: [],
    may: [permission.sales_create, permission.returns_create],
    whens: [
      { when: 'A barcode will not scan', then: 'Type the digits in “Scan or search”, or type a word of the name and pick with ↑ ↓ Enter.' },
      { when: 'The screen says “Offline since …”', then: 'Keep selling for cash or card (type the terminal’s reference): each sale gets its receipt number and is sent by itself when the network is back. Store credit waits.' },
      { when: '“Waiting for the network — the sale is locked”', then: 'Do nothing and do not sell it again: it is sent exactly as shown as soon as the server answers.' },
      { when: 'A return without a receipt', then: 'F7, No receipt, scan the item; a shift lead approves on your screen with their PIN.' },
      { when: 'You rang up the wrong thing', then: 'Before payment: − on the line or remove it. After: ask a lead to void (F8) and ring it again.' },
      { when: 'Your sign-in has expired', then: 'Sign in again in the box that appears: the cart stays as it was.' },
      { when: 'You want to practise', then: 'F10 training mode: the screen turns striped and nothing touches stock or the books.' },
    ],
  },
  {
    role: 'shift_lead',
    title: 'Shift lead',
    intro: 'Everything a cashier does, plus the corrections: voids, returns without a receipt, larger discounts, stock adjustments.',
    registerKeys: true,
    screens: ['Stock', 'Sales journal', 'Labels'],
    may: [permission.sales_create, permission.returns_create, permission.sales_void, permission.returns_no_receipt, permission.stock_adjust],
    whens: [
      { when: 'A sale was wrong after payment (post-void correction)', then: 'F8 Void last sale with the reason, then ring the sale again. The void puts the stock back.' },
      { when: 'A cashier asks for approval', then: 'Type your user name, password or PIN and the reason in the approval box on their screen: it counts for that one action only.' },
      { when: 'Damaged goods', then: 'Stock → the item → adjust with reason “damage” and a note. Never just leave it on the shelf.' },
      { when: 'The register was offline', then: 'When the banner says “Back online — 0 sales waiting”, everything has been sent.' },
      { when: 'Closing the till', then: 'Close till on the register: count the drawer tender by tender, then close.' },
    ],
  },
  {
    role: 'buyer',
    title: 'Buyer',
    intro: 'Keep the item master clean and the shelves stocked: suggestions and purchase orders. A clerk receives the deliveries.',
    registerKeys: false,
    screens: ['Items', 'Suppliers', 'Reorder', 'Purchase orders', 'Price changes', 'Labels', 'Weekly review'],
    may: [permission.items_create],
    whens: [
      { when: 'What to order', then: 'Reorder: each suggestion says why (sales, lead time, case pack). Accept it into a draft order in one click.' },
      { when: 'A delivery arrived short', then: 'Purchase orders → the order: what was not received stays open. Wait for the rest, or close it short with a reason.' },
      { when: 'Shelves keep running empty', then: 'Weekly review: the stockout rate and the worst items; then Reorder for those items.' },
      { when: 'A price must change', then: 'Price changes: request it with a date; a manager approves. Print the new labels the same day.' },
      { when: 'An item has no barcode', then: 'Items → the item → add its barcode (the supplier’s GTIN from the case or the price list).' },
    ],
  },
  {
    role: 'clerk',
    title: 'Back-room clerk',
    intro: 'Unpack deliveries against their orders, count the shelves you are given, pick online orders and print the labels.',
    registerKeys: false,
    screens: ['Receiving', 'Counts', 'Pick online orders', 'Labels', 'Stock'],
    may: [permission.purchasing_receive, permission.counts_count, permission.orders_pick, permission.labels_print],
    whens: [
      { when: 'A delivery arrives', then: 'Receiving → its order: scan each case or item as you unpack; a case barcode counts the whole case.' },
      { when: 'Something is missing or damaged', then: 'Receive what is there and mark the damaged units damaged: the order keeps the rest open, the buyer sees it.' },
      { when: 'More came than was ordered', then: 'The screen stops you past the tolerance: ask a manager to approve, or leave the extra aside.' },
      { when: 'Today’s count', then: 'Counts → today: count what is on the shelf and type or scan it. You are not shown what the system expects.' },
      { when: 'An online order waits', then: 'Pick online orders: pick by scanning each item; a wrong item is refused. Short? Offer a substitute.' },
      { when: 'New prices or new stock', then: 'Labels: print the shelf labels the same day so the shelf and the till agree.' },
    ],
  },
  {
    role: 'manager',
    title: 'Manager',
    intro: 'Approve what moves money and stock, and read the week: counts, price changes, the audit trail.',
    registerKeys: true,
    screens: ['Counts', 'Price changes', 'Weekly review', 'Stock', 'Registers', 'Audit log'],
    may: [permission.counts_approve, permission.prices_approve, permission.sales_void, permission.returns_no_receipt, permission.stock_adjust],
    whens: [
      { when: 'A count shows differences', then: 'Counts → Review: recount what is flagged before you approve; approving books the difference.' },
      { when: 'A price change waits', then: 'Price changes: approve or refuse. The person who asked cannot approve it.' },
      { when: 'Something does not add up', then: 'Audit log: every change with who, when and from where.' },
      { when: 'A new person starts', then: 'Ask the admin to add them with the smallest role that lets them work; give them their sheet and ten minutes in training mode (F10).' },
      { when: 'Monday morning', then: 'Weekly review: the five numbers (stockouts, sell-through, days of supply, shrink, GMROI), the worst items, and the actions you set.' },
    ],
  },
];

export function sheetFor(role: string): Sheet {
  return sheets.find((s) => s.role === role) ?? (role === 'admin' ? sheets.find((s) => s.role === 'manager')! : sheets[0]);
}

/** The register keys as this role meets them: what it may do alone, and what needs a lead. */
export function keysFor(sheet: Sheet): { key: RegisterKey; alone: boolean }[] {
  if (!sheet.registerKeys) return [];
  return registerKeys.map((key) => ({ key, alone: !key.needs || sheet.may.includes(key.needs) }));
}
