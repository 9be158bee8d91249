import { describe, expect, it } from 'vitest';
import { visibleText } from '../../../flows/view/protocol.js';
import { CODE_HOLDER, codedError, HOLDER, startSession } from './harness.js';

/** Sessions without an inserted card (docs/flows.md): a tap on the antenna, a scanned e-card code. */

const NO_CARD_MOTION = ['ejectCard', 'retainCard'] as const;
const noCardMotion = (s: ReturnType<typeof startSession>) =>
  expect(s.names().filter((n) => (NO_CARD_MOTION as readonly string[]).includes(n))).toEqual([]);

describe('code session', () => {
  it('scan → checking the code → status → menu without a PIN; 结束 ends the visit without an eject', async () => {
    const s = startSession();
    await s.toIdle();
    expect(visibleText(s.view())).toContain('也可扫描电子社保卡二维码');
    s.send({ type: 'SCAN', text: 'YKTEC1.abc' });
    expect(s.screen()).toBe('reading');
    expect(s.card()).toBe('none');
    expect(s.snapshot().context.via).toBe('code');
    expect(s.calls.at(-1)).toEqual({ name: 'checkCode', input: { text: 'YKTEC1.abc' } });
    // The text is never kept in the context.
    expect(JSON.stringify(s.snapshot().context)).not.toContain('YKTEC1.abc');
    expect(s.view().controls[0]).toMatchObject({ id: 'finish', label: '结束' });
    await s.resolve('checkCode', CODE_HOLDER);
    expect(s.calls.at(-1)).toEqual({ name: 'checkCardStatus', input: { holder: CODE_HOLDER } });
    await s.resolve('checkCardStatus', { status: 'normal', source: 'backend' });
    expect(s.screen()).toBe('menu');
    expect(s.names()).not.toContain('verifyPin');
    const v = s.view();
    expect(visibleText(v)).toContain('已通过电子社保卡核验身份。');
    expect(visibleText(v)).toContain('办理完毕请点击“结束”。');
    expect(v.fields.find((f) => f.id === 'validity')?.value).toBe('– 2030-01-15');
    expect(v.controls.find((c) => c.id === 'pay-premiums')).toMatchObject({ disabled: true, note: '请插入社保卡办理' });
    expect(v.controls.find((c) => c.id === 'change-pin')).toMatchObject({ disabled: true, note: '请插入社保卡办理' });
    expect(v.controls.find((c) => c.id === 'report-loss')?.disabled).toBeUndefined();
    // A disabled service does nothing.
    s.touch('pay-premiums');
    s.touch('change-pin');
    expect(s.screen()).toBe('menu');
    // report-loss needs no PIN: the citizen proved themselves in the issuing app.
    s.touch('report-loss');
    expect(s.screen()).toBe('report-loss');
    expect(visibleText(s.view())).toContain('确认挂失后，这张卡将不能再使用。');
    s.touch('back');
    s.touch('finish');
    expect(s.screen()).toBe('idle');
    expect(s.snapshot().context.via).toBeUndefined();
    expect(s.snapshot().context.holder).toBeUndefined();
    noCardMotion(s);
  });

  it('a refused code shows its reason, then idle after cardErrorMs; nothing is ejected', async () => {
    const s = startSession();
    await s.toIdle();
    s.send({ type: 'SCAN', text: 'x' });
    await s.reject('checkCode', codedError('ECARD_EXPIRED'));
    expect(s.screen()).toBe('card-error');
    const text = visibleText(s.view());
    expect(text).toContain('二维码已过期，请在手机上刷新');
    expect(text).toContain('ECARD_EXPIRED');
    expect(text).not.toContain('取回');
    expect(s.controls()).toEqual(['finish', 'language']);
    expect(s.view().deadline).toBe(s.clock.now() + 30_000);
    await s.wait(30_000);
    expect(s.screen()).toBe('idle');
    noCardMotion(s);
  });

  it('the backend cannot confirm the code (ECARD_OFFLINE, or no answer in time): try later or insert the card', async () => {
    for (const how of ['offline', 'guard'] as const) {
      const s = startSession({ lang: 'en' });
      await s.toIdle();
      s.send({ type: 'SCAN', text: 'x' });
      if (how === 'offline') await s.reject('checkCode', codedError('ECARD_OFFLINE'));
      else await s.wait(20_000);
      expect(s.screen()).toBe('card-error');
      expect(visibleText(s.view())).toContain('The code must be checked online. Try again later or insert your card');
      s.touch('finish');
      expect(s.screen()).toBe('idle');
      noCardMotion(s);
    }
  });

  it('a blocked card status cannot be retained without a card: the explanation, then idle', async () => {
    const s = startSession();
    await s.toCodeChecked('lost');
    expect(s.screen()).toBe('card-blocked');
    expect(s.snapshot().matches({ cardBlocked: 'noCard' })).toBe(true);
    expect(visibleText(s.view())).toContain('这张卡已经办理了挂失，不能再使用。');
    expect(s.controls()).toEqual(['finish', 'language']);
    await s.wait(30_000);
    expect(s.screen()).toBe('idle');
    expect(s.card()).toBe('none');
    noCardMotion(s);
  });

  it('a card inserted during the visit starts a card visit: read, status and its own PIN', async () => {
    const s = startSession();
    await s.toCodeChecked();
    expect(s.snapshot().context.pinVerified).toBe(true);
    s.send({ type: 'CARD_INSERTED' });
    expect(s.screen()).toBe('reading');
    expect(s.card()).toBe('inside');
    expect(s.snapshot().context.via).toBe('card');
    expect(s.snapshot().context.pinVerified).toBeUndefined();
    await s.resolve('readCard', HOLDER);
    await s.resolve('checkCardStatus', { status: 'normal', source: 'backend' });
    expect(s.screen()).toBe('pin');
    expect(s.controls()[0]).toBe('finish');
    expect(s.view().controls[0]?.label).toBe('退卡');
  });

  it('a stray sensor event is not a card pulled out; TAP and SCAN are ignored outside idle', async () => {
    const s = startSession();
    await s.toCodeChecked();
    s.send({ type: 'CARD_REMOVED' });
    s.send({ type: 'TAP' });
    s.send({ type: 'SCAN', text: 'again' });
    expect(s.screen()).toBe('menu');
    expect(s.names().filter((n) => n === 'checkCode')).toHaveLength(1);
  });

  it('the menu left alone ends the visit after its warning, without an eject', async () => {
    const s = startSession();
    await s.toCodeChecked();
    await s.wait(40_000);
    expect(s.snapshot().matches({ menu: 'warning' })).toBe(true);
    expect(visibleText(s.view())).toContain('稍后将自动结束办理');
    await s.wait(20_000);
    expect(s.screen()).toBe('idle');
    noCardMotion(s);
  });
});

describe('tap session', () => {
  it('tap → read over the antenna → status → PIN presented over the antenna → menu', async () => {
    const s = startSession();
    await s.toIdle();
    s.send({ type: 'TAP' });
    expect(s.screen()).toBe('reading');
    expect(s.names().at(-1)).toBe('readTapped');
    expect(visibleText(s.view())).toContain('请保持卡片贴近感应区');
    await s.resolve('readTapped', HOLDER);
    expect(s.snapshot().context.via).toBe('tap');
    await s.resolve('checkCardStatus', { status: 'normal', source: 'backend' });
    expect(s.screen()).toBe('pin');
    expect(s.calls.at(-1)).toEqual({ name: 'verifyPin', input: { purpose: 'session', tap: true } });
    const text = visibleText(s.view());
    expect(text).toContain('按确认后，请将社保卡贴近感应区');
    expect(text).toContain('如不办理，请点击“取消”结束。');
    expect(s.controls()).toEqual(['finish', 'cancel', 'language']);
    await s.resolve('verifyPin');
    expect(s.screen()).toBe('menu');
    expect(s.view().controls.find((c) => c.id === 'pay-premiums')?.disabled).toBe(true);
    s.touch('finish');
    expect(s.screen()).toBe('idle');
    noCardMotion(s);
  });

  it('cancel at the PIN ends the visit; a wrong PIN asks again over the antenna', async () => {
    const s = startSession();
    await s.toTapChecked();
    await s.reject('verifyPin', codedError('PIN_WRONG', 'wrong', { triesLeft: 2 }));
    expect(s.screen()).toBe('pin');
    expect(s.calls.at(-1)).toEqual({ name: 'verifyPin', input: { purpose: 'session', tap: true } });
    s.touch('cancel');
    expect(s.screen()).toBe('idle');
    noCardMotion(s);
  });

  it('the card left the field mid-read: tap again or insert it', async () => {
    const s = startSession({ lang: 'en' });
    await s.toIdle();
    s.send({ type: 'TAP' });
    await s.reject('readTapped', codedError('CARD_REMOVED'));
    expect(s.screen()).toBe('card-error');
    expect(visibleText(s.view())).toContain('Tap it again and keep it on the reader, or insert it.');
    expect(s.controls()).toEqual(['confirm', 'language']);
    s.touch('confirm');
    expect(s.screen()).toBe('idle');
  });

  it('the card is not held to the reader again for the PIN: said so, then idle', async () => {
    const s = startSession();
    await s.toTapChecked();
    await s.reject('verifyPin', codedError('CARD_REMOVED'));
    expect(s.screen()).toBe('card-error');
    expect(visibleText(s.view())).toContain('没有检测到您的社保卡，本次未能验证密码。');
    await s.wait(10_000);
    expect(s.screen()).toBe('idle');
    noCardMotion(s);
  });

  it('a card the PSAM cannot check and a refused card: explained without a card to take', async () => {
    const s = startSession();
    await s.toIdle();
    s.send({ type: 'TAP' });
    await s.reject('readTapped', codedError('PSAM_ABSENT'));
    expect(s.snapshot().matches({ unavailable: 'noCard' })).toBe(true);
    expect(visibleText(s.view())).toContain('请到其他自助机或服务窗口办理。');
    s.touch('finish');
    s.send({ type: 'TAP' });
    await s.reject('readTapped', codedError('CARD_EXPIRED'));
    expect(s.snapshot().matches({ cardError: 'noCard' })).toBe(true);
    expect(s.view().title).toBe('卡片已过有效期');
    await s.wait(30_000);
    expect(s.screen()).toBe('idle');
    noCardMotion(s);
  });

  it('a loss report ends the visit without a card motion, even with retainAfterLossReport', async () => {
    const s = startSession({ config: { retainAfterLossReport: true } });
    await s.toTapChecked();
    await s.resolve('verifyPin');
    s.touch('report-loss');
    s.touch('confirm');
    await s.resolve('reportLoss', { ref: 'GS-1' });
    expect(s.snapshot().matches({ lossReported: 'noCard' })).toBe(true);
    const text = visibleText(s.view());
    expect(text).toContain('受理编号：GS-1');
    expect(text).toContain('请记下受理编号。');
    s.touch('finish');
    expect(s.screen()).toBe('idle');
    noCardMotion(s);
  });

  it('PIN locked: 结束 or the timer ends the visit', async () => {
    const s = startSession();
    await s.toTapChecked();
    await s.reject('verifyPin', codedError('PIN_LOCKED'));
    expect(s.screen()).toBe('pin-locked');
    expect(visibleText(s.view())).toContain('办理完毕请点击“结束”。');
    await s.wait(60_000);
    expect(s.screen()).toBe('idle');
    noCardMotion(s);
  });

  it('taps and codes are ignored when the configuration does not accept them', async () => {
    const s = startSession({ config: { acceptTap: false, acceptCode: false } });
    await s.toIdle();
    expect(visibleText(s.view())).not.toContain('感应区');
    s.send({ type: 'TAP' });
    s.send({ type: 'SCAN', text: 'x' });
    expect(s.screen()).toBe('idle');
  });
});

describe('a PIN proved in one visit never carries over to the next card', () => {
  it('loss reported, card taken, another card inserted at once: its PIN is asked before report-loss', async () => {
    const s = startSession({ config: { pinAtStart: false } });
    await s.toChecked();
    s.touch('report-loss');
    await s.resolve('verifyPin');
    s.touch('confirm');
    await s.resolve('reportLoss', { ref: 'GS-1' });
    await s.resolve('ejectCard');
    s.send({ type: 'CARD_REMOVED' });
    expect(s.snapshot().matches({ lossReported: 'taken' })).toBe(true);
    s.send({ type: 'CARD_INSERTED' });
    await s.resolve('readCard', { ...HOLDER, cardNumber: 'B00000001' });
    await s.resolve('checkCardStatus', { status: 'normal', source: 'backend' });
    expect(s.screen()).toBe('menu');
    s.touch('report-loss');
    expect(s.screen()).toBe('pin');
  });
});
