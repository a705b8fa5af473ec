// The customer's page for a substitution offer (issue 20, docs/orders.md): opened from the link
// in the shop's message, no sign-in (the token in the address is the proof). It says what is
// short, what is offered and what that does to the money, and takes Accept or Decline. Built
// for a phone: one column, big buttons.
import { useEffect, useState } from 'preact/hooks';
import { ApiError, message, orders, type SubstitutionOffer } from '../api';
import { Button, Notice } from '../shared/components';
import { qty } from '../shared/format';
import './public.css';

function amount(minor: number, decimals: number): string {
  const a = Math.abs(minor);
  if (decimals === 0) return String(a);
  const scale = 10 ** decimals;
  return `${Math.floor(a / scale)}.${String(a % scale).padStart(decimals, '0')}`;
}

function moneyLine(o: SubstitutionOffer): string {
  const d = o.price_difference;
  if (d === 0) return 'It costs the same.';
  if (!o.paid) return d > 0 ? `Your order costs ${amount(d, o.currency_decimals)} more.` : `Your order costs ${amount(d, o.currency_decimals)} less.`;
  return d > 0 ? `You pay ${amount(d, o.currency_decimals)} more when you collect.` : `You get ${amount(d, o.currency_decimals)} back when you collect.`;
}

const answered: Record<SubstitutionOffer['status'], string> = {
  offered: '',
  accepted: 'Thank you: we will pack it for you.',
  declined: 'Understood: we leave it out, and you are not charged for it.',
  withdrawn: 'The shop has withdrawn this offer (it may have sent you another one).',
};

export function SubstitutionPage({ token }: { token: string }) {
  const [offer, setOffer] = useState<SubstitutionOffer | null>(null);
  const [err, setErr] = useState('');
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    orders.offer(token).then(setOffer)
      .catch((e) => setErr(e instanceof ApiError && e.status === 404 ? 'This link is not valid. Please contact the shop.' : message(e)));
  }, [token]);
  const answer = async (accept: boolean) => {
    setBusy(true);
    try {
      setOffer(await (accept ? orders.acceptOffer(token) : orders.declineOffer(token)));
      setErr('');
    } catch (e) {
      setErr(e instanceof ApiError ? e.problem.detail : message(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <main class="public-page" aria-label="Substitute offer">
      <h1>{offer ? `Your order ${offer.number}` : 'Your order'}</h1>
      {err && <Notice kind="error">{err}</Notice>}
      {!offer && !err && <p role="status">Loading…</p>}
      {offer && (
        <>
          <p>{offer.customer_first_name ? `Hello ${offer.customer_first_name}, ` : ''}{offer.store ? `${offer.store} ` : 'the shop '}
            is out of <strong>{offer.short.quantity} × {offer.short.name}</strong>.</p>
          <p class="public-offer">Instead, we can give you <strong>{qty(offer.offered.quantity)} × {offer.offered.name}</strong>.</p>
          {offer.offered.has_photo && <img class="public-photo" src={orders.offerPhotoUrl(token)} alt={`Photo of ${offer.offered.name}`} />}
          <p>{moneyLine(offer)}</p>
          {offer.status === 'offered' ? (
            <div class="public-actions">
              <Button variant="primary" big disabled={busy} onClick={() => answer(true)}>Yes, accept {offer.offered.name}</Button>
              <Button big disabled={busy} onClick={() => answer(false)}>No thanks</Button>
            </div>
          ) : (
            <Notice kind={offer.status === 'withdrawn' ? 'info' : 'ok'}>{answered[offer.status]}</Notice>
          )}
        </>
      )}
    </main>
  );
}
