import {
  dateOfDay,
  DAYS,
  DEPT_PREFIX,
  departmentOf,
  DAY_PREFIX,
  doctorOf,
  medicalAvailable,
  defaultMethod,
  isFree,
  selectedSlot,
  slotsOfDay,
  SLOT_PREFIX,
} from '../session/register.js';
import { isCardless } from '../session/cardless.js';
import type { PaymentMethod, RegPayOutcome } from '../session/register-types.js';
import { printerReady } from '../session/services.js';
import type { SessionSnapshot } from '../session/snapshot.js';
import {
  beijingTime,
  dayLabel,
  loc,
  money,
  placeOf,
  registrationFields,
  slotLabel,
  titleOf,
  whenOf,
} from './present-reg-common.js';
import { yuan, type RecordsBody } from './present-records.js';
import type { ControlView, FieldView, TableView } from './protocol.js';
import { PAY_STRINGS } from './strings-pay.js';
import { printerReason, RECORDS_STRINGS } from './strings-records.js';
import { REGISTER_STRINGS } from './strings-register.js';

export interface RegisterEnv {
  since: number;
  labels: { back: string; cancel: string; confirm: string };
  /** The PIN screen's shared parts (dots, shield line). */
  pin: { shield: string; entered: string; dots: (n: number | undefined) => string };
}

/** What reg-failed says about the money, by outcome. */
function failedKey(o: RegPayOutcome | undefined, errorCode: string | undefined): string {
  if (!o) return errorCode === 'READER_TIMEOUT' ? 'uncertain' : 'error';
  if (o.status === 'declined') return o.reason;
  return o.status;
}

/** The registration journey's screens (挂号 and its slip), or undefined when the snapshot is elsewhere. */
export function presentRegister(snapshot: SessionSnapshot, env: RegisterEnv): RecordsBody | undefined {
  const { context } = snapshot;
  const lang = context.lang;
  const s = REGISTER_STRINGS[lang];
  const cfg = context.config;
  const reg = context.reg;
  const deadline = env.since + cfg.menuIdleMs;
  const back: ControlView = { id: 'back', label: env.labels.back, kind: 'secondary' };
  const cancel: ControlView = { id: 'cancel', label: env.labels.cancel, kind: 'secondary' };
  const loading = (line: string, controls: ControlView[] = []): RecordsBody => ({ title: s.loading.title, lines: [line], controls });

  if (snapshot.matches('regLoading')) return loading(s.loading.departments, [cancel]);
  if (snapshot.matches('regSlotsLoading')) return loading(s.loading.slots, [cancel]);
  if (snapshot.matches('regHolding')) return loading(s.loading.holding);
  if (snapshot.matches('regAccount')) return loading(s.loading.account);

  if (snapshot.matches('regDepartment')) {
    const depts: ControlView[] = (reg?.departments ?? []).map((d) => ({
      id: `${DEPT_PREFIX}${d.id}`,
      label: loc(d.name, lang),
      kind: 'tab',
      group: 'tabs',
      ...(d.id === reg?.deptId ? { selected: true } : {}),
    }));
    const dept = departmentOf(reg);
    return {
      title: s.department.title,
      lines: [s.department.intro],
      fields: dept ? [{ id: 'location', label: s.department.location, value: loc(dept.location, lang) }] : [],
      controls: [...depts, { id: 'confirm', label: s.department.next, kind: 'primary' }, back],
      deadline,
    };
  }

  if (snapshot.matches('regSlot')) {
    const day = reg?.day ?? 0;
    const today = reg?.today ?? '';
    const slots = slotsOfDay(reg, day);
    const days: ControlView[] = Array.from({ length: DAYS }, (_, n) => ({
      id: `${DAY_PREFIX}${n}`,
      label: today ? dayLabel(s, n, dateOfDay(today, n)) : String(n),
      kind: 'tab' as const,
      group: 'tabs',
      ...(n === day ? { selected: true } : {}),
    }));
    const doctors = (reg?.doctors ?? []).filter((d) => slots.some((x) => x.doctorId === d.id));
    const slotControls: ControlView[] = doctors.flatMap((d) =>
      slots
        .filter((x) => x.doctorId === d.id)
        .map((x) => ({
          id: `${SLOT_PREFIX}${x.id}`,
          label: slotLabel(x, d, lang),
          kind: 'tab' as const,
          group: `doctor-${d.id}`,
          ...(x.id === reg?.slotId ? { selected: true } : {}),
          ...(isFree(x) ? {} : { disabled: true, note: s.slot.full }),
        })),
    );
    const table: TableView = {
      id: 'doctors',
      caption: dayLabel(s, day, today ? dateOfDay(today, day) : ''),
      columns: [
        { label: s.slot.columns.doctor, align: 'left' },
        { label: s.slot.columns.title, align: 'left' },
        { label: s.slot.columns.specialty, align: 'left' },
        { label: s.slot.columns.fee, align: 'right' },
        { label: s.slot.columns.free, align: 'right' },
      ],
      rows: doctors.map((d) => {
        const mine = slots.filter((x) => x.doctorId === d.id);
        const free = mine.reduce((n, x) => n + x.remaining, 0);
        return {
          cells: [d.name, titleOf(d.title, lang), loc(d.specialty, lang), yuan(mine[0]?.fee.totalFen ?? 0), s.slot.freeCount(free)],
          tone: free > 0 ? ('info' as const) : ('warning' as const),
        };
      }),
      empty: s.slot.none,
    };
    const chosen = slots.find((x) => x.id === reg?.slotId && isFree(x));
    const who = chosen ? doctorOf(reg, chosen.doctorId) : undefined;
    const fields: FieldView[] = chosen
      ? [{ id: 'selected', label: s.slot.selected, value: `${whenOf(s, chosen)} ${who ? `${who.name} ${titleOf(who.title, lang)} ` : ''}${money(chosen.fee.totalFen, lang)}` }]
      : [];
    return {
      title: s.slot.title,
      lines: [...(reg?.notice ? [s.slot.notices[reg.notice]] : []), slots.some(isFree) ? s.slot.intro : s.slot.none],
      fields,
      tables: [table],
      controls: [...days, ...slotControls, { id: 'confirm', label: s.department.next, kind: 'primary', ...(chosen ? {} : { disabled: true }) }, back],
      tone: reg?.notice ? 'warning' : 'info',
      deadline,
    };
  }

  if (snapshot.matches('regConfirm')) {
    const slot = selectedSlot(reg);
    const doctor = doctorOf(reg, slot?.doctorId);
    const dept = departmentOf(reg);
    const method = defaultMethod(context);
    const fee = slot?.fee;
    const cardless = isCardless(context);
    const choice = (m: PaymentMethod, id: 'pay-medical' | 'pay-card'): ControlView => {
      const why = m === 'medical-account' ? (medicalAvailable(context) ? undefined : s.confirm.needsPin) : cardless ? s.confirm.needsCard : reg?.cardNotice === 'CARD_NO_FINANCIAL' ? s.confirm.cardNotice('CARD_NO_FINANCIAL') : undefined;
      // In the action bar (not a group above the fields): the details stay on the stage.
      return { id, label: s.methodButtons[m], kind: 'tab', ...(method === m ? { selected: true } : {}), ...(why ? { disabled: true, note: why } : {}) };
    };
    // Four fields (two rows) and one line, the source choice with the actions: what a patient
    // checks stays on a 1280×1024 stage without scrolling.
    const fields: FieldView[] = [
      { id: 'doctor', label: s.confirm.fields.doctor, value: doctor ? `${loc(dept?.name, lang)} ${doctor.name} ${titleOf(doctor.title, lang)}` : loc(dept?.name, lang) },
      { id: 'time', label: s.confirm.fields.time, value: slot ? whenOf(s, slot) : '' },
      { id: 'location', label: s.confirm.fields.location, value: placeOf(dept?.location, doctor?.room, lang) },
      { id: 'fee', label: s.confirm.fields.fee, value: fee ? s.confirm.fee(yuan(fee.totalFen), yuan(fee.registrationFen), yuan(fee.consultationFen)) : '' },
    ];
    const from = method ? s.confirm.from[method](method === 'bank-card' ? reg?.panMasked : undefined) : '';
    const held = reg?.hold ? s.confirm.heldUntil(beijingTime(reg.hold.expiresAt)) : '';
    return {
      title: s.confirm.title(yuan(fee?.totalFen ?? 0)),
      lines: [
        ...(reg?.cardNotice && reg.cardNotice !== 'CARD_NO_FINANCIAL' ? [s.confirm.cardNotice(reg.cardNotice)] : []),
        [from, held].filter(Boolean).join(lang === 'en' ? ' ' : ''),
        ...(printerReady(context) ? [] : [s.confirm.noPrinter]),
      ],
      fields,
      controls: [
        choice('medical-account', 'pay-medical'),
        choice('bank-card', 'pay-card'),
        { id: 'confirm', label: s.confirm.button, kind: 'primary', ...(method ? {} : { disabled: true }) },
        back,
      ],
      deadline,
    };
  }

  if (snapshot.matches('regPin')) {
    const p = PAY_STRINGS[lang];
    const notice = reg?.pinNotice ? [p.pin.wrong(reg.pinNotice.triesLeft)] : [];
    const fee = selectedSlot(reg)?.fee.totalFen;
    return {
      title: p.pin.title,
      lines: [...notice, ...(fee !== undefined ? [s.pin.amount(yuan(fee))] : []), p.pin.enter, env.pin.shield, p.pin.cancel],
      fields: [{ id: 'pin', label: env.pin.entered, value: env.pin.dots(context.pinDigits) }],
      controls: [cancel],
      tone: notice.length ? 'warning' : 'info',
    };
  }
  if (snapshot.matches('regPaying')) return { title: s.processing.title, lines: [s.processing.line] };

  if (snapshot.matches('regDone')) {
    const r = context.registration;
    const o = reg?.outcome;
    if (snapshot.matches({ regDone: 'pending' }) || !r) {
      return {
        title: s.done.pendingTitle,
        lines: [...s.done.pending, ...(o ? [s.done.reference(o.txnId)] : [])],
        controls: [{ id: 'confirm', label: s.done.next, kind: 'primary' }],
        tone: 'success',
        deadline,
      };
    }
    return {
      title: s.done.titled(s.done.queue(r.queueNumber)),
      lines: [s.done.go(whenOf(s, r), loc(r.location, lang)), s.done.printing],
      fields: registrationFields(r, lang),
      tone: 'success',
    };
  }
  if (snapshot.matches('takeSlip')) {
    const r = context.registration;
    return {
      title: s.takeSlip.title,
      lines: [...(r ? [s.done.queue(r.queueNumber), s.done.go(whenOf(s, r), loc(r.location, lang))] : []), ...s.takeSlip.lines],
      fields: r ? registrationFields(r, lang).filter((f) => f.id === 'queue-number' || f.id === 'location') : [],
      controls: [{ id: 'confirm', label: s.takeSlip.done, kind: 'primary' }],
      tone: 'success',
      deadline: env.since + cfg.takeReceiptMs,
    };
  }
  if (snapshot.matches('slipFailed')) {
    const r = context.registration;
    const rs = RECORDS_STRINGS[lang];
    const code = context.lastError?.code ?? 'PRINTER_ERROR';
    const ready = printerReady(context);
    return {
      title: s.slipFailed.title,
      lines: [
        ...(r ? [s.slipFailed.registered(s.done.queue(r.queueNumber)), s.done.go(whenOf(s, r), loc(r.location, lang))] : []),
        s.slipFailed.reason(rs.printer[printerReason(code)]),
        ...(code.endsWith('_MID_JOB') ? [s.slipFailed.partial] : []),
        s.slipFailed.later,
        rs.printFailed.code(code),
      ],
      controls: [
        { id: 'retry', label: s.slipFailed.retry, kind: 'primary', ...(ready ? {} : { disabled: true, note: rs.records.printUnavailable(rs.printer[printerReason(context.printer)]) }) },
        back,
      ],
      tone: 'warning',
      deadline,
    };
  }
  if (snapshot.matches('slipPrinting')) {
    const rs = RECORDS_STRINGS[lang];
    return { title: rs.printing.title, lines: [s.done.printing, rs.printing.wait] };
  }
  if (snapshot.matches('regFailed')) {
    const o = reg?.outcome;
    const key = failedKey(o, context.lastError?.code);
    const kept = o?.status === 'declined' || o?.status === 'failed';
    const gone = o?.status === 'refunded';
    return {
      title: s.failed.title,
      lines: [...(s.failed.reasons[key] ?? s.failed.generic), ...(o ? [s.failed.reference(o.txnId)] : [])],
      controls: [
        ...(kept ? [{ id: 'confirm', label: s.failed.otherWay, kind: 'primary' as const }] : []),
        ...(gone ? [{ id: 'confirm', label: s.failed.chooseAgain, kind: 'primary' as const }] : []),
        { ...back, kind: kept || gone ? 'secondary' : 'primary' },
      ],
      tone: 'warning',
      deadline,
    };
  }
  if (snapshot.matches('regUnavailable')) {
    const code = context.lastError?.code;
    const rs = RECORDS_STRINGS[lang];
    return {
      title: s.unavailable.title,
      lines: [...s.unavailable.lines, ...(context.regCancel?.sent ? [s.unavailable.cancelSent] : []), ...(code ? [rs.printFailed.code(code)] : [])],
      controls: [{ ...back, kind: 'primary' }],
      tone: 'warning',
      deadline,
    };
  }
  return undefined;
}
