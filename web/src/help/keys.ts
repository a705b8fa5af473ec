// The register's function keys, as data. The register binds its keys and labels its buttons
// from this table, and the printed cheat sheets list it: one definition, so a sheet on the
// counter can never promise a key the screen does not have.
import { permission, type Permission } from '../api';

export type RegisterAction = 'help' | 'newSale' | 'pay' | 'park' | 'return' | 'void' | 'parked' | 'training';

export interface RegisterKey {
  key: string;
  action: RegisterAction;
  /** The button's words on the register. */
  label: string;
  /** What it does, for the cheat sheet. */
  what: string;
  /** Needed to finish what the key starts; without it a manager's approval is asked for. */
  needs?: Permission;
}

export const registerKeys: readonly RegisterKey[] = [
  { key: 'F1', action: 'help', label: 'Help', what: 'This sheet, on screen.' },
  { key: 'F2', action: 'newSale', label: 'New sale', what: 'Start the next sale. A cart with items is parked or kept — you are asked.' },
  { key: 'F4', action: 'pay', label: 'Pay', what: 'Take payment: the cursor is in the amount tendered. Enter = cash.' },
  { key: 'F6', action: 'park', label: 'Park sale', what: 'Put the sale aside (customer fetching something) and serve the next one.' },
  { key: 'F7', action: 'return', label: 'Return', what: 'A return: scan the receipt barcode or type its number.' },
  { key: 'F8', action: 'void', label: 'Void last sale', what: 'Cancel the sale just completed, with a reason. Stock goes back.', needs: permission.sales_void },
  { key: 'F9', action: 'parked', label: 'Parked sales', what: 'Bring a parked sale back.' },
  { key: 'F10', action: 'training', label: 'Training mode', what: 'Practice: sales in training mode never touch stock or the books.' },
];

function registerKey(action: RegisterAction): RegisterKey {
  const k = registerKeys.find((r) => r.action === action);
  if (!k) throw new Error(`no key for ${action}`);
  return k;
}
export const keyFor = (action: RegisterAction) => registerKey(action).key;
export const labelFor = (action: RegisterAction) => registerKey(action).label;
