/**
 * The hospital profile's journeys on the real machine with fake actors: 挂号 (department → slot →
 * hold → confirm → pay → slip), a place lost before payment, every payment outcome's screen, the
 * slip's failure and retry, and 退号. The model test (hospital-model.test.ts) walks every state.
 */
import { describe, expect, it } from 'vitest';
import { visibleText } from '../../../flows/view/protocol.js';
import { codedError, startSession } from './harness.js';
import {
  CANCELLABLE,
  DEPARTMENTS,
  FREE_SLOT,
  FULL_SLOT,
  HOLD,
  NONE_CANCELLABLE,
  OTHER_SLOT,
  REGISTERED,
  REGISTRATION,
  SLOTS,
  SLOTS_TODAY_FULL,
  TOMORROW_SLOT,
} from './hospital-fixtures.js';

const HOSPITAL = { services: 'hospital' as const };

async function toSlot(s: ReturnType<typeof startSession>) {
  await s.toMenu();
  s.touch('register-visit');
  await s.resolve('loadDepartments', DEPARTMENTS);
  s.touch('confirm');
  await s.resolve('loadSlots', SLOTS);
}

async function toConfirm(s: ReturnType<typeof startSession>) {
  await toSlot(s);
  s.touch('confirm');
  await s.resolve('holdSlot', HOLD);
}

describe('hospital menu', () => {
  it('offers registration first, then cancellation and contributions; not the kiosk services', async () => {
    const s = startSession({ config: HOSPITAL });
    await s.toMenu();
    expect(s.controls()).toEqual(['finish', 'register-visit', 'cancel-registration', 'query-contributions', 'language']);
    expect(visibleText(s.view())).toContain('挂号');
  });

  it('keeps the kiosk menu unchanged by default', async () => {
    const s = startSession();
    await s.toMenu();
    expect(s.controls()).toEqual(['finish', 'query-contributions', 'print-statement', 'pay-premiums', 'change-pin', 'report-loss', 'language']);
  });

  it('names the hospital on the idle screen', async () => {
    const s = startSession({ config: HOSPITAL });
    await s.toIdle();
    const { presentSession } = await import('../../../flows/view/present.js');
    const view = presentSession(s.snapshot(), { terminalId: 'T', now: 0, venue: { zh: '示例医院', en: 'Demo Hospital' } });
    expect(visibleText(view)).toContain('示例医院 自助挂号');
  });
});

describe('register-visit', () => {
  it('department → slot → held → paid from the medical account → registered → slip printed and taken', async () => {
    const s = startSession({ config: HOSPITAL });
    await s.toMenu();
    s.touch('register-visit');
    expect(s.screen()).toBe('loading');
    await s.resolve('loadDepartments', DEPARTMENTS);
    expect(s.screen()).toBe('reg-department');
    expect(s.view().controls.find((c) => c.id === 'dept-internal')?.selected).toBe(true);
    s.touch('dept-surgery');
    expect(s.view().controls.find((c) => c.id === 'dept-surgery')?.selected).toBe(true);
    s.touch('dept-internal');
    s.touch('confirm');
    expect(s.calls.at(-1)).toEqual({ name: 'loadSlots', input: { departmentId: 'internal' } });
    await s.resolve('loadSlots', SLOTS);
    expect(s.screen()).toBe('reg-slot');
    const view = s.view();
    expect(view.controls.filter((c) => c.group === 'tabs').map((c) => c.id)).toEqual(['day-0', 'day-1', 'day-2', 'day-3', 'day-4', 'day-5', 'day-6']);
    const full = view.controls.find((c) => c.id === `slot-${FULL_SLOT.id}`)!;
    expect(full).toMatchObject({ disabled: true, note: '已满', group: 'doctor-internal-3' });
    expect(view.controls.find((c) => c.id === `slot-${FREE_SLOT.id}`)).toMatchObject({ selected: true, group: 'doctor-internal-4' });
    expect(visibleText(view)).toContain('赵磊');
    // A full slot does nothing; another free one is chosen.
    s.touch(`slot-${FULL_SLOT.id}`);
    expect(s.snapshot().context.reg?.slotId).toBe(FREE_SLOT.id);
    s.touch(`slot-${OTHER_SLOT.id}`);
    expect(s.snapshot().context.reg?.slotId).toBe(OTHER_SLOT.id);
    s.touch('day-1');
    expect(s.snapshot().context.reg?.slotId).toBe(TOMORROW_SLOT.id);
    s.touch('day-0');
    expect(s.snapshot().context.reg?.slotId).toBe(FREE_SLOT.id);
    s.touch('confirm');
    expect(s.calls.at(-1)).toEqual({ name: 'holdSlot', input: { slotId: FREE_SLOT.id } });
    await s.resolve('holdSlot', HOLD);
    expect(s.screen()).toBe('reg-confirm');
    const confirm = s.view();
    expect(confirm.title).toBe('请确认挂号：¥10.00');
    expect(confirm.controls.find((c) => c.id === 'pay-medical')?.selected).toBe(true);
    expect(confirm.fields.find((f) => f.id === 'location')?.value).toBe('门诊楼2层B区 4诊室');
    expect(visibleText(confirm)).toContain('保留到 14:05');
    s.touch('confirm');
    expect(s.screen()).toBe('reg-processing');
    expect(s.calls.at(-1)).toEqual({ name: 'payRegistration', input: { method: 'medical-account', holdId: HOLD.holdId } });
    // The printer is ready: the slip prints while reg-done shows the queue number.
    s.send({ type: 'DEVICE_STATUS', device: 'printer', status: 'ok' });
    await s.resolve('payRegistration', REGISTERED);
    expect(s.screen()).toBe('reg-done');
    expect(s.view().title).toBe('挂号成功：就诊序号 7 号');
    expect(s.calls.at(-1)).toEqual({ name: 'printSlip', input: { regId: REGISTRATION.regId } });
    await s.resolve('printSlip');
    expect(s.screen()).toBe('take-slip');
    s.send({ type: 'RECEIPT_TAKEN' });
    expect(s.screen()).toBe('menu');
    expect(s.controls()).toContain('reprint-slip');
  });

  it('preselects the first day with a free place', async () => {
    const s = startSession({ config: HOSPITAL });
    await s.toMenu();
    s.touch('register-visit');
    await s.resolve('loadDepartments', DEPARTMENTS);
    s.touch('confirm');
    await s.resolve('loadSlots', SLOTS_TODAY_FULL);
    expect(s.snapshot().context.reg).toMatchObject({ day: 1, slotId: TOMORROW_SLOT.id });
    s.touch('day-0');
    expect(s.view().controls.find((c) => c.id === 'confirm')?.disabled).toBe(true);
    s.touch('confirm');
    expect(s.screen()).toBe('reg-slot');
  });

  it.each([
    ['SLOT_TAKEN', undefined, '刚刚被约满'],
    ['SLOT_FULL', undefined, '已经约满'],
    ['REJECTED', 'ALREADY_REGISTERED', '已经挂过这位医生'],
  ])('a hold refused with %s goes back to reg-slot with a notice and reads the slots again (nothing charged)', async (code, reason, text) => {
    const s = startSession({ config: HOSPITAL });
    await toSlot(s);
    s.touch('confirm');
    await s.reject('holdSlot', codedError(code, code, reason ? { reason } : {}));
    expect(s.screen()).toBe('loading');
    await s.resolve('loadSlots', SLOTS);
    expect(s.screen()).toBe('reg-slot');
    expect(visibleText(s.view())).toContain(text);
    expect(visibleText(s.view())).toContain('没有扣费');
    expect(s.names()).not.toContain('payRegistration');
  });

  it('the HIS unreachable: service-unavailable, back to the menu', async () => {
    const s = startSession({ config: HOSPITAL });
    await s.toMenu();
    s.touch('register-visit');
    await s.reject('loadDepartments', codedError('HIS_UNAVAILABLE'));
    expect(s.screen()).toBe('service-unavailable');
    expect(visibleText(s.view())).toContain('暂时无法连接医院挂号系统');
    s.touch('back');
    expect(s.screen()).toBe('menu');
  });

  it('pays by bank card with the online PIN; a wrong PIN asks again; declined keeps the hold for another way', async () => {
    const s = startSession({ config: HOSPITAL });
    await toConfirm(s);
    s.touch('pay-card');
    expect(s.view().controls.find((c) => c.id === 'pay-card')?.selected).toBe(true);
    s.touch('confirm');
    await s.resolve('readBankAccount', { panMasked: '621700*********5678' });
    expect(s.screen()).toBe('pin');
    expect(visibleText(s.view())).toContain('本次挂号费 10.00 元');
    await s.resolve('captureOnlinePin');
    expect(s.calls.at(-1)).toEqual({ name: 'payRegistration', input: { method: 'bank-card', holdId: HOLD.holdId } });
    await s.resolve('payRegistration', { status: 'declined', txnId: 'T1', reason: 'WRONG_PIN', triesLeft: 2 });
    expect(s.screen()).toBe('pin');
    expect(visibleText(s.view())).toContain('还可输入 2 次');
    await s.resolve('captureOnlinePin');
    await s.resolve('payRegistration', { status: 'declined', txnId: 'T2', reason: 'INSUFFICIENT_FUNDS' });
    expect(s.screen()).toBe('reg-failed');
    expect(visibleText(s.view())).toContain('没有扣款');
    s.touch('confirm');
    expect(s.screen()).toBe('reg-confirm');
    expect(s.snapshot().context.reg?.hold?.holdId).toBe(HOLD.holdId);
  });

  it('a card without a bank account goes back to reg-confirm with the medical account', async () => {
    const s = startSession({ config: HOSPITAL });
    await toConfirm(s);
    s.touch('pay-card');
    s.touch('confirm');
    await s.reject('readBankAccount', codedError('CARD_NO_FINANCIAL'));
    expect(s.screen()).toBe('reg-confirm');
    expect(s.view().controls.find((c) => c.id === 'pay-card')?.disabled).toBe(true);
    expect(s.snapshot().context.reg?.method).toBe('medical-account');
  });

  it('refunded after paying (the place went meanwhile): says the money came back, then another slot', async () => {
    const s = startSession({ config: HOSPITAL });
    await toConfirm(s);
    s.touch('confirm');
    await s.resolve('payRegistration', { status: 'refunded', txnId: 'T3', code: 'HOLD_EXPIRED', reason: 'EXPIRED' });
    expect(s.screen()).toBe('reg-failed');
    expect(visibleText(s.view())).toContain('原路退回');
    s.touch('confirm');
    await s.resolve('loadSlots', SLOTS);
    expect(visibleText(s.view())).toContain('已付的挂号费已原路退回');
  });

  it('the printer out of paper: registered all the same, the slip is printed again on retry', async () => {
    const s = startSession({ config: HOSPITAL });
    s.send({ type: 'DEVICE_STATUS', device: 'printer', status: 'ok' });
    await toConfirm(s);
    s.touch('confirm');
    await s.resolve('payRegistration', REGISTERED);
    await s.reject('printSlip', codedError('PRINTER_PAPER_OUT'));
    expect(s.screen()).toBe('print-failed');
    expect(visibleText(s.view())).toContain('挂号已成功：就诊序号 7 号');
    expect(visibleText(s.view())).toContain('打印机缺纸');
    s.touch('retry');
    expect(s.screen()).toBe('printing');
    await s.resolve('printSlip');
    expect(s.screen()).toBe('take-slip');
  });

  it('the printer not ready at all: print-failed at once, retry disabled until it is', async () => {
    const s = startSession({ config: HOSPITAL });
    s.send({ type: 'DEVICE_STATUS', device: 'printer', status: 'paper-out' });
    await toConfirm(s);
    expect(visibleText(s.view())).toContain('打印机暂时无法打印');
    s.touch('confirm');
    await s.resolve('payRegistration', REGISTERED);
    expect(s.screen()).toBe('print-failed');
    expect(s.view().controls.find((c) => c.id === 'retry')?.disabled).toBe(true);
    s.send({ type: 'DEVICE_STATUS', device: 'printer', status: 'ok' });
    s.touch('retry');
    expect(s.calls.at(-1)).toEqual({ name: 'printSlip', input: { regId: REGISTRATION.regId } });
  });
});

describe('cancel-registration', () => {
  it('lists today’s registrations, confirms, cancels with a refund', async () => {
    const s = startSession({ config: HOSPITAL });
    await s.toMenu();
    s.touch('cancel-registration');
    await s.resolve('loadRegistrations', CANCELLABLE);
    expect(s.screen()).toBe('reg-cancel-list');
    expect(s.view().controls.find((c) => c.id === 'reg-gh20250301000007')?.selected).toBe(true);
    s.touch('reg-gh20250301000009');
    s.touch('confirm');
    expect(s.screen()).toBe('reg-cancel-confirm');
    expect(visibleText(s.view())).toContain('将退回您的医保个人账户');
    s.touch('confirm');
    expect(s.calls.at(-1)).toEqual({ name: 'cancelRegistration', input: { regId: 'GH20250301000009' } });
    await s.resolve('cancelRegistration', { regId: 'GH20250301000009', amountFen: 1000, method: 'medical-account', refund: 'refunded' });
    expect(s.screen()).toBe('reg-cancelled');
    expect(visibleText(s.view())).toContain('挂号费 ¥10.00 已退回您的医保个人账户');
    s.touch('confirm');
    expect(s.screen()).toBe('menu');
  });

  it('nothing to cancel: says so; a registration that started meanwhile: the list again with the reason', async () => {
    const s = startSession({ config: HOSPITAL });
    await s.toMenu();
    s.touch('cancel-registration');
    await s.resolve('loadRegistrations', NONE_CANCELLABLE);
    expect(s.controls()).toEqual(['finish', 'back', 'language']);
    s.touch('back');
    s.touch('cancel-registration');
    await s.resolve('loadRegistrations', CANCELLABLE);
    s.touch('confirm');
    s.touch('confirm');
    await s.reject('cancelRegistration', codedError('NOT_CANCELLABLE', 'started', { reason: 'STARTED' }));
    await s.resolve('loadRegistrations', CANCELLABLE);
    expect(visibleText(s.view())).toContain('不能退');
  });
});
