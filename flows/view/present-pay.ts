import type { PremiumChoice, PremiumDue } from '../../kiosk/backend/interface.js';
import { CHOICE_CONTROL_PREFIX, dueOf, ITEM_CONTROL_PREFIX, maxPeriods, orderOf } from '../session/pay.js';
import type { SessionSnapshot } from '../session/snapshot.js';
import { yuan, type RecordsBody } from './present-records.js';
import type { ControlView, FieldView } from './protocol.js';
import { PAY_STRINGS, type PayStrings } from './strings-pay.js';

export interface PayEnv {
  since: number;
  labels: { back: string; cancel: string; confirm: string };
  /** The PIN screen's shared parts (dots, shield line). */
  pin: { shield: string; entered: string; dots: (n: number | undefined) => string };
}

function choiceLabel(c: PremiumChoice, due: PremiumDue, p: PayStrings): string {
  if (c.baseFen !== undefined) return p.amount.base(yuan(c.baseFen), yuan(c.amountFen), due.unit);
  if (c.gradeFen !== undefined) return p.amount.grade(yuan(c.gradeFen));
  return p.amount.yearly(yuan(c.amountFen));
}

function periodText(periods: string[], due: PremiumDue, p: PayStrings): string {
  return `${p.amount.count(periods.length, due.unit)}（${p.amount.range(periods[0] ?? '', periods[periods.length - 1] ?? '')}）`;
}

/** The payment journey's screens, or undefined when the snapshot is elsewhere. */
export function presentPay(snapshot: SessionSnapshot, env: PayEnv): RecordsBody | undefined {
  const { context } = snapshot;
  const p = PAY_STRINGS[context.lang];
  const cfg = context.config;
  const deadline = env.since + cfg.menuIdleMs;
  const back: ControlView = { id: 'back', label: env.labels.back, kind: 'secondary' };
  const due = dueOf(context);
  const order = orderOf(context);

  if (snapshot.matches('payLoading')) {
    return { title: p.loading.title, lines: [p.loading.line], controls: [{ id: 'cancel', label: env.labels.cancel, kind: 'secondary' }] };
  }
  if (snapshot.matches('payNothingDue')) {
    return { title: p.select.title, lines: p.select.nothingDue, controls: [back], deadline };
  }
  if (snapshot.matches('paySelect') && due) {
    const items: ControlView[] = (context.dues ?? []).map((d) => ({
      id: `${ITEM_CONTROL_PREFIX}${d.item}`,
      label: p.items[d.item],
      kind: 'tab',
      group: 'items',
      ...(d.item === due.item ? { selected: true } : {}),
    }));
    const fields: FieldView[] = [
      { id: 'payable', label: p.select.periods, value: p.amount.range(due.periods[0] ?? '', due.periods[due.periods.length - 1] ?? '') },
      ...(due.arrears.length ? [{ id: 'arrears', label: p.select.arrears, value: p.amount.count(due.arrears.length, due.unit) }] : []),
    ];
    return {
      title: p.select.title,
      lines: [p.select.intro],
      fields,
      controls: [...items, { id: 'confirm', label: p.select.next, kind: 'primary' }, back],
      deadline,
    };
  }
  if (snapshot.matches('payAmount') && due && order) {
    const choices: ControlView[] = due.choices.map((c) => ({
      id: `${CHOICE_CONTROL_PREFIX}${c.id}`,
      label: choiceLabel(c, due, p),
      kind: 'tab',
      group: 'choices',
      ...(c.id === order.choiceId ? { selected: true } : {}),
    }));
    const n = order.periods.length;
    const steps: ControlView[] = [
      { id: 'periods-less', label: p.amount.less, kind: 'secondary', group: 'periods', ...(n <= 1 ? { disabled: true } : {}) },
      { id: 'periods-more', label: p.amount.more, kind: 'secondary', group: 'periods', ...(n >= maxPeriods(due) ? { disabled: true } : {}) },
    ];
    return {
      title: p.amount.title,
      lines: [p.items[due.item], p.amount.intro],
      fields: [
        { id: 'periods', label: p.amount.periods, value: periodText(order.periods, due, p) },
        { id: 'amount', label: p.amount.total, value: `¥${yuan(order.amountFen)}` },
      ],
      controls: [...choices, ...steps, { id: 'confirm', label: p.select.next, kind: 'primary' }, back],
      deadline,
    };
  }
  if (snapshot.matches('payConfirm') && due && order) {
    const choice = due.choices.find((c) => c.id === order.choiceId)!;
    return {
      title: `${p.confirm.title}：¥${yuan(order.amountFen)}`,
      lines: p.confirm.lines,
      fields: [
        { id: 'amount', label: p.confirm.fields.amount, value: `¥${yuan(order.amountFen)}` },
        { id: 'item', label: p.confirm.fields.item, value: p.items[due.item] },
        { id: 'periods', label: p.confirm.fields.periods, value: periodText(order.periods, due, p) },
        { id: 'choice', label: p.confirm.fields.choice, value: choiceLabel(choice, due, p) },
        { id: 'account', label: p.confirm.fields.account, value: context.panMasked ?? '' },
      ],
      controls: [{ id: 'confirm', label: p.confirm.button, kind: 'primary' }, back],
      deadline,
    };
  }
  if (snapshot.matches('payPin')) {
    const notice = context.payPinNotice ? [p.pin.wrong(context.payPinNotice.triesLeft)] : [];
    return {
      title: p.pin.title,
      lines: [...notice, ...(order ? [p.pin.amount(yuan(order.amountFen))] : []), p.pin.enter, env.pin.shield, p.pin.cancel],
      fields: [{ id: 'pin', label: env.pin.entered, value: env.pin.dots(context.pinDigits) }],
      controls: [{ id: 'cancel', label: env.labels.cancel, kind: 'secondary' }],
      tone: notice.length ? 'warning' : 'info',
    };
  }
  if (snapshot.matches('paying')) {
    return { title: p.processing.title, lines: [p.processing.line] };
  }
  if (snapshot.matches('payDone')) {
    const o = context.payOutcome;
    const fields: FieldView[] =
      o?.status === 'approved'
        ? [
            { id: 'amount', label: p.done.fields.amount, value: `¥${yuan(o.amountFen)}` },
            { id: 'txn', label: p.done.fields.txn, value: o.txnId },
            { id: 'bank-ref', label: p.done.fields.bankRef, value: o.bankRef },
            { id: 'posting', label: p.done.fields.posting, value: o.postingRef ?? p.done.postingPending },
          ]
        : [];
    const line = snapshot.matches({ payDone: 'printing' })
      ? p.done.printing
      : snapshot.matches({ payDone: 'printed' })
        ? p.done.printed
        : p.done.noReceipt;
    const waiting = snapshot.matches({ payDone: 'printing' }) || snapshot.matches({ payDone: 'choosing' });
    return {
      title: p.done.title,
      lines: [line],
      fields,
      controls: waiting ? [] : [{ id: 'confirm', label: p.done.next, kind: 'primary' }],
      tone: 'success',
      ...(waiting ? {} : { deadline: env.since + (snapshot.matches({ payDone: 'printed' }) ? cfg.takeReceiptMs : cfg.menuIdleMs) }),
    };
  }
  if (snapshot.matches('payFailed')) {
    const o = context.payOutcome;
    const key = !o ? (context.lastError?.code ?? 'uncertain') : o.status === 'declined' ? o.reason : o.status;
    const text = p.failed.reasons[key === 'READER_TIMEOUT' ? 'uncertain' : key] ?? p.failed.generic;
    return {
      title: p.failed.title,
      lines: [...text, ...(o ? [p.failed.reference(o.txnId)] : []), p.failed.help],
      controls: [{ id: 'back', label: env.labels.back, kind: 'primary' }],
      tone: 'warning',
      deadline,
    };
  }
  if (snapshot.matches('reprinting')) return { title: p.reprinting.title, lines: [p.reprinting.line] };
  return undefined;
}
