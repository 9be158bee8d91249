/** Card validity checks a flow runs after reading the card. */
import { CardError } from './card-error.js';
import type { CardInfo } from './card-info.js';

/** The kiosk's calendar day: expiry is a local date, valid through its last day. */
function localDay(d: Date): string {
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}`;
}

/** Rejects with CARD_EXPIRED when the card's expiry date lies before `today`. */
export function checkValidity(info: CardInfo, today: Date): void {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(info.expiryDate)) throw new CardError('CARD_BAD_DATA', 'expiry date is not YYYY-MM-DD');
  if (info.expiryDate < localDay(today)) {
    throw new CardError('CARD_EXPIRED', `card expired on ${info.expiryDate}`);
  }
}
