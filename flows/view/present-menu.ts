import { maskId } from '../../drivers/common/mask.js';
import { isCardless } from '../session/cardless.js';
import { menuWarningMs } from '../session/config.js';
import { offeredServices, unavailableBecause } from '../session/services.js';
import type { SessionSnapshot } from '../session/snapshot.js';
import type { ControlView, FieldView } from './protocol.js';
import type { RecordsBody } from './present-records.js';
import { CARDLESS_STRINGS } from './strings-cardless.js';
import { PAY_STRINGS } from './strings-pay.js';
import { printerReason, RECORDS_STRINGS } from './strings-records.js';
import { REGISTER_STRINGS } from './strings-register.js';
import { STRINGS } from './strings.js';

/** Validity as the card says it; a code session knows the expiry at most (claim `ce`). */
function validity(issue: string, expiry: string): string {
  if (issue && expiry) return `${issue} – ${expiry}`;
  return expiry ? `– ${expiry}` : '';
}

/** The menu: who the holder is, the services (disabled ones with the reason), the idle warning. */
export function presentMenu(snapshot: SessionSnapshot, since: number): RecordsBody {
  const { context } = snapshot;
  const t = STRINGS[context.lang];
  const c = CARDLESS_STRINGS[context.lang];
  const cardless = isCardless(context);
  const h = context.holder;
  const warning = snapshot.matches({ menu: 'warning' });
  const valid = h ? validity(h.issueDate, h.expiryDate) : '';
  const fields: FieldView[] = h
    ? [
        { id: 'name', label: t.menu.fields.name, value: h.name },
        { id: 'ssn', label: t.menu.fields.ssn, value: maskId(h.ssn) },
        { id: 'card-number', label: t.menu.fields.cardNumber, value: h.cardNumber },
        ...(valid ? [{ id: 'validity', label: t.menu.fields.validity, value: valid }] : []),
      ]
    : [];
  const r = RECORDS_STRINGS[context.lang];
  const labels: Record<string, string> = {
    ...t.services,
    ...r.services,
    ...PAY_STRINGS[context.lang].services,
    ...REGISTER_STRINGS[context.lang].services,
  };
  const services: ControlView[] = offeredServices(context).map((sv) => {
    const why = unavailableBecause(sv, context);
    // Shown but disabled, with the reason: the citizen learns it exists and why not now.
    const note = why === 'no-card' ? c.insertForService : r.records.printUnavailable(r.printer[printerReason(context.printer)]);
    return { id: sv.control, label: labels[sv.control] ?? sv.control, kind: 'secondary', ...(why ? { disabled: true, note } : {}) };
  });
  return {
    title: t.menu.title,
    lines: [
      ...(h ? [t.menu.greeting(h.name)] : []),
      ...(context.via === 'code' && cardless ? [c.viaCode] : []),
      ...(context.cardStatus === 'temp-lost' ? [t.menuStatus.tempLost] : []),
      warning ? (cardless ? c.menuWarning : t.menu.warning) : t.menuStatus.choose,
      ...(warning ? [] : [cardless ? c.menuHint : t.menu.hint]),
    ],
    fields,
    controls: warning ? [{ id: 'confirm', label: t.controls.continue, kind: 'primary' }, ...services] : services,
    tone: warning ? 'warning' : 'info',
    deadline: warning ? since + menuWarningMs(context.config) : since + context.config.menuIdleMs,
  };
}
