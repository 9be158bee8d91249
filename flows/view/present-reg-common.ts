import { DOCTOR_TITLE_LABELS } from '../../kiosk/his/interface.js';
import type { Doctor, LocalizedText, RegSummary, Slot } from '../session/register-types.js';
import type { Lang } from '../session/types.js';
import { yuan } from './present-records.js';
import type { FieldView } from './protocol.js';
import { REGISTER_STRINGS, type RegisterStrings } from './strings-register.js';

/** Shared pieces of the hospital screens: labels of the HIS's data in the visit's language. */
export const loc = (t: LocalizedText | undefined, lang: Lang): string => (t ? (lang === 'en' ? t.en : t.zh) : '');
export const titleOf = (title: Doctor['title'], lang: Lang): string => loc(DOCTOR_TITLE_LABELS[title], lang);
export const money = (fen: number, lang: Lang): string => (lang === 'en' ? `CNY ${yuan(fen)}` : `¥${yuan(fen)}`);

/** A day as its tab says it: 今天 / 明天 / 1月7日 周三. */
export function dayLabel(s: RegisterStrings, n: number, date: string): string {
  return n === 0 ? `${s.slot.today} ${s.slot.date(date)}` : n === 1 ? `${s.slot.tomorrow} ${s.slot.date(date)}` : s.slot.date(date);
}

/** 1月5日 周一 10:00–10:30 */
export const whenOf = (s: RegisterStrings, x: { date: string; start: string; end: string }): string => `${s.slot.date(x.date)} ${x.start}–${x.end}`;

/** Where to go: the department's area and the doctor's room (as the HIS writes a registration's location). */
export function placeOf(deptLocation: LocalizedText | undefined, room: number | undefined, lang: Lang): string {
  const area = loc(deptLocation, lang);
  if (room === undefined) return area;
  return lang === 'en' ? `${area}, room ${room}` : `${area} ${room}诊室`;
}

/** An ISO instant as Beijing time of day (the hospital's clock): 09:05. */
export function beijingTime(iso: string): string {
  const ms = Date.parse(iso);
  return Number.isFinite(ms) ? new Date(ms + 8 * 3600_000).toISOString().slice(11, 16) : '';
}

/** A slot's control label: the window, the doctor with title, the fee. */
export function slotLabel(slot: Slot, doctor: Doctor | undefined, lang: Lang): string {
  const who = doctor ? ` ${doctor.name} ${titleOf(doctor.title, lang)}` : '';
  return `${slot.start}–${slot.end}${who} ${money(slot.fee.totalFen, lang)}`;
}

export const paidWith = (fen: number, method: string, lang: Lang): string =>
  lang === 'en' ? `${money(fen, lang)} (${method})` : `${money(fen, lang)}（${method}）`;

/** The fields of a registration (reg-done, take-slip, reg-cancel-confirm). */
export function registrationFields(r: RegSummary, lang: Lang): FieldView[] {
  const s = REGISTER_STRINGS[lang];
  const c = s.confirm.fields;
  return [
    { id: 'queue-number', label: s.done.fields.queue, value: String(r.queueNumber) },
    { id: 'doctor', label: c.doctor, value: `${loc(r.department, lang)} ${r.doctor.name} ${titleOf(r.doctor.title, lang)}` },
    { id: 'time', label: c.time, value: whenOf(s, r) },
    { id: 'location', label: c.location, value: loc(r.location, lang) },
    { id: 'fee', label: s.done.fields.paid, value: paidWith(r.feeFen, s.methods[r.method], lang) },
    { id: 'reg-id', label: s.done.fields.regId, value: r.regId },
  ];
}
