import { regControl } from '../session/register.js';
import type { SessionSnapshot } from '../session/snapshot.js';
import { loc, money, registrationFields, whenOf } from './present-reg-common.js';
import { yuan, type RecordsBody } from './present-records.js';
import type { ControlView } from './protocol.js';
import { REGISTER_STRINGS } from './strings-register.js';

/** The cancellation journey's screens (退号), or undefined when the snapshot is elsewhere. */
export function presentRegCancel(
  snapshot: SessionSnapshot,
  env: { since: number; labels: { back: string; cancel: string; confirm: string } },
): RecordsBody | undefined {
  const { context } = snapshot;
  const lang = context.lang;
  const s = REGISTER_STRINGS[lang];
  const c = s.cancel;
  const rc = context.regCancel;
  const deadline = env.since + context.config.menuIdleMs;
  const back: ControlView = { id: 'back', label: env.labels.back, kind: 'secondary' };
  const chosen = rc?.list?.find((r) => r.regId === rc.regId);

  if (snapshot.matches('cancelLoading')) {
    return { title: s.loading.title, lines: [s.loading.registrations], controls: [{ id: 'cancel', label: env.labels.cancel, kind: 'secondary' }] };
  }
  if (snapshot.matches('cancelList')) {
    const list = rc?.list ?? [];
    const items: ControlView[] = list.map((r) => ({
      id: regControl(r.regId),
      label: `${loc(r.department, lang)} ${r.doctor.name} ${whenOf(s, r)} ${money(r.feeFen, lang)}`,
      kind: 'tab',
      group: 'tabs',
      ...(r.regId === rc?.regId ? { selected: true } : {}),
    }));
    const notice = rc?.notice ? [c.notices[rc.notice]] : [];
    return {
      title: c.title,
      lines: [...notice, ...(list.length ? [c.intro] : c.none)],
      controls: [...items, ...(list.length ? [{ id: 'confirm', label: s.department.next, kind: 'primary' as const }] : []), { ...back, kind: list.length ? 'secondary' : 'primary' }],
      tone: notice.length ? 'warning' : 'info',
      deadline,
    };
  }
  if (snapshot.matches('cancelConfirm')) {
    const fee = yuan(chosen?.feeFen ?? 0);
    const refund = !chosen ? [] : rc?.refund === 'kiosk' ? [c.refundBy(fee, s.methods[chosen.method])] : [c.refundCounter(fee)];
    return {
      title: c.confirmTitle,
      lines: [...refund, c.final],
      fields: chosen ? registrationFields(chosen, lang) : [],
      controls: [{ id: 'confirm', label: c.button, kind: 'danger' }, back],
      tone: 'warning',
      deadline,
    };
  }
  if (snapshot.matches('cancelling')) return { title: s.processing.cancelTitle, lines: [s.processing.cancelLine] };
  if (snapshot.matches('regCancelled')) {
    const r = rc?.result;
    const fee = r ? yuan(r.amountFen) : '';
    const method = r ? s.methods[r.method] : '';
    const line = !r
      ? []
      : r.refund === 'refunded'
        ? [c.refunded(fee, method)]
        : r.refund === 'pending'
          ? [c.refundPending(fee, method)]
          : [c.refundAtCounter(fee, r.regId)];
    return {
      title: c.doneTitle,
      lines: [...line, ...(r ? [c.regId(r.regId)] : [])],
      controls: [{ id: 'confirm', label: env.labels.confirm, kind: 'primary' }],
      tone: 'success',
      deadline,
    };
  }
  return undefined;
}
