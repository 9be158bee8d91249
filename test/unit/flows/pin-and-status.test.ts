import { describe, expect, it } from 'vitest';
import { classifyPinError } from '../../../flows/session/index.js';
import { visibleText } from '../../../flows/view/protocol.js';
import { codedError, HOLDER, startSession } from './harness.js';

const RETURN_ALL = { lost: 'return', blacklisted: 'return', 'dead-holder': 'return' } as const;
const pinField = (s: ReturnType<typeof startSession>) => s.view().fields.find((f) => f.id === 'pin')?.value;

describe('card status before the PIN', () => {
  for (const [status, title] of [
    ['lost', '此卡已挂失'],
    ['blacklisted', '此卡暂停使用'],
    ['dead-holder', '此卡已停止使用'],
  ] as const) {
    it(`${status}, policy retain (default): card-blocked, retained with reason status:${status}, notice, idle`, async () => {
      const s = startSession();
      await s.toChecked(status);
      expect(s.screen()).toBe('card-blocked');
      expect(s.view().title).toBe(title);
      expect(s.calls.at(-1)).toEqual({ name: 'retainCard', input: { reason: `status:${status}` } });
      // Kept by policy: no 退卡 that would not be honoured.
      expect(s.controls()).toEqual(['language']);
      expect(s.names()).not.toContain('verifyPin');
      await s.resolve('retainCard');
      const v = s.view();
      expect(v.screen).toBe('card-retained');
      expect(v.title).toBe(title);
      expect(visibleText(v)).toContain('12333');
      expect(visibleText(v)).toContain('YKT-T-0001');
      expect(s.card()).toBe('retained');
      await s.wait(10_000);
      expect(s.screen()).toBe('idle');
    });
  }

  it('policy return: card-blocked, card handed back, retained only if not taken', async () => {
    const s = startSession({ config: { statusPolicy: RETURN_ALL } });
    await s.toChecked('blacklisted');
    expect(s.screen()).toBe('card-blocked');
    expect(s.names().at(-1)).toBe('ejectCard');
    await s.resolve('ejectCard');
    expect(s.card()).toBe('at-gate');
    expect(visibleText(s.view())).toContain('请从插卡口取回您的卡片');
    await s.wait(30_000);
    expect(s.calls.at(-1)).toEqual({ name: 'retainCard', input: { reason: 'not-taken:status:blacklisted' } });
  });

  it('policy return, card taken: back to idle', async () => {
    const s = startSession({ config: { statusPolicy: { ...RETURN_ALL, lost: 'retain' } } });
    await s.toChecked('dead-holder');
    await s.resolve('ejectCard');
    s.send({ type: 'CARD_REMOVED' });
    expect(s.screen()).toBe('idle');
    expect(s.names()).not.toContain('retainCard');
  });

  it('a deceased holder’s card is worded for a relative, with what to do', async () => {
    const s = startSession();
    await s.toChecked('dead-holder');
    const zh = visibleText(s.view());
    expect(zh).toContain('家属');
    expect(zh).toContain('服务窗口');
    expect(zh).toContain('如登记信息有误');
    s.touch('language');
    expect(visibleText(s.view())).toContain('relative');
  });

  it('temp-lost goes on to the PIN; the menu says so and offers lift-loss', async () => {
    const s = startSession();
    await s.toChecked('temp-lost');
    expect(s.screen()).toBe('pin');
    await s.resolve('verifyPin');
    expect(s.controls()).toEqual(['finish', 'query-contributions', 'print-statement', 'pay-premiums', 'change-pin', 'report-loss', 'lift-loss', 'language']);
    expect(visibleText(s.view())).toContain('临时挂失状态');
  });

  it('the status check failing returns the card: service-unavailable, not a card error', async () => {
    const s = startSession();
    await s.toIdle();
    s.send({ type: 'CARD_INSERTED' });
    await s.resolve('readCard', HOLDER);
    await s.reject('checkCardStatus', codedError('BACKEND_DOWN'));
    expect(s.screen()).toBe('service-unavailable');
    expect(s.view().title).toBe('暂时无法核验卡片');
    expect(s.names().at(-1)).toBe('ejectCard');
  });

  it('a status check that hangs ends after backendTimeoutMs', async () => {
    const s = startSession({ config: { backendTimeoutMs: 5_000 } });
    await s.toIdle();
    s.send({ type: 'CARD_INSERTED' });
    await s.resolve('readCard', HOLDER);
    await s.wait(5_000);
    expect(s.screen()).toBe('service-unavailable');
    expect(s.snapshot().context.lastError?.code).toBe('BACKEND_TIMEOUT');
    expect(s.aborted).toContain('checkCardStatus');
  });
});

describe('PIN at the start of the visit', () => {
  it('shows dots for the digits keyed, never the digits', async () => {
    const s = startSession();
    await s.toChecked();
    expect(pinField(s)).toBe('尚未输入');
    s.send({ type: 'PIN_KEYS', count: 4 });
    expect(pinField(s)).toBe('●●●●');
    s.send({ type: 'PIN_KEYS', count: 6 });
    expect(pinField(s)).toBe('●●●●●●');
    expect(s.screen()).toBe('pin');
    expect(visibleText(s.view())).toMatch(/取消/);
  });

  it('wrong then right: tries left shown, the entry starts again, then the menu', async () => {
    const s = startSession();
    await s.toChecked();
    s.send({ type: 'PIN_KEYS', count: 6 });
    await s.reject('verifyPin', codedError('PIN_WRONG', 'wrong', { triesLeft: 2 }));
    expect(s.screen()).toBe('pin');
    expect(visibleText(s.view())).toContain('密码错误，还可输入 2 次');
    expect(s.view().tone).toBe('warning');
    expect(pinField(s)).toBe('尚未输入');
    expect(s.names().filter((n) => n === 'verifyPin')).toHaveLength(2);
    await s.reject('verifyPin', codedError('PIN_WRONG', 'wrong', { triesLeft: 1 }));
    expect(visibleText(s.view())).toContain('再次输错，密码将被锁定');
    await s.resolve('verifyPin');
    expect(s.screen()).toBe('menu');
    expect(s.snapshot().context.pinVerified).toBe(true);
  });

  it('three wrong → pin-locked: where to reset it, finish returns the card; never a dead end', async () => {
    const s = startSession();
    await s.toChecked();
    await s.reject('verifyPin', codedError('PIN_LOCKED'));
    const v = s.view();
    expect(v.screen).toBe('pin-locked');
    const text = visibleText(v);
    for (const where of ['服务窗口', '12333', '银行', '身份证件']) expect(text).toContain(where);
    expect(s.controls()).toEqual(['finish', 'language']);
    s.touch('finish');
    expect(s.names().at(-1)).toBe('ejectCard');
  });

  it('pin-locked left alone returns the card after menuIdleMs', async () => {
    const s = startSession();
    await s.toChecked();
    await s.reject('verifyPin', codedError('PIN_LOCKED'));
    await s.wait(60_000);
    expect(s.snapshot().matches('ejecting')).toBe(true);
  });

  it('cancel on the screen stops the entry and returns the card', async () => {
    const s = startSession();
    await s.toChecked();
    s.touch('cancel');
    expect(s.aborted).toContain('verifyPin');
    expect(s.screen()).toBe('take-card');
    await s.resolve('ejectCard');
    expect(s.card()).toBe('at-gate');
  });

  for (const code of ['PIN_CANCELLED', 'PIN_TIMEOUT']) {
    it(`${code} from the pad returns the card`, async () => {
      const s = startSession();
      await s.toChecked();
      await s.reject('verifyPin', codedError(code));
      expect(s.snapshot().matches('ejecting')).toBe(true);
    });
  }

  for (const code of ['PINPAD_HARDWARE', 'LINK_UNPLUGGED', 'PINPAD_NO_KEY']) {
    it(`pin pad fault ${code}: PIN services unavailable, card handed back`, async () => {
      const s = startSession();
      await s.toChecked();
      await s.reject('verifyPin', codedError(code));
      const v = s.view();
      expect(v.screen).toBe('service-unavailable');
      expect(v.title).toBe('密码服务暂不可用');
      expect(visibleText(v)).toContain('您的卡片没有问题');
      expect(visibleText(v)).toContain(code);
      await s.resolve('ejectCard');
      s.send({ type: 'CARD_REMOVED' });
      expect(s.screen()).toBe('idle');
    });
  }

  it('a reader fault while the card checks the PIN: out of service, card handed back on recovery', async () => {
    const s = startSession();
    await s.toChecked();
    await s.reject('verifyPin', codedError('READER_JAMMED'));
    expect(s.screen()).toBe('out-of-service');
    expect(s.card()).toBe('inside');
  });

  it('a hung pad cannot hold the card: pinGuardMs returns it', async () => {
    const s = startSession({ config: { pinGuardMs: 10_000 } });
    await s.toChecked();
    await s.wait(10_000);
    expect(s.aborted).toContain('verifyPin');
    expect(s.snapshot().matches('ejecting')).toBe(true);
  });

  it('the card pulled out during the PIN: card-error notice', async () => {
    const s = startSession();
    await s.toChecked();
    s.send({ type: 'CARD_REMOVED' });
    expect(s.screen()).toBe('card-error');
    expect(s.card()).toBe('none');
  });

  it('PIN_KEYS outside a PIN entry changes nothing', async () => {
    const s = startSession();
    await s.toMenu();
    const before = s.snapshot().context;
    s.send({ type: 'PIN_KEYS', count: 3 });
    expect(s.snapshot().context).toEqual(before);
  });

  it('classifies PIN codes', () => {
    expect(classifyPinError('PIN_WRONG')).toBe('wrong');
    expect(classifyPinError('PIN_TIMEOUT')).toBe('cancelled');
    expect(classifyPinError('PINPAD_TIMEOUT')).toBe('unavailable');
    expect(classifyPinError('READER_TIMEOUT')).toBe('reader');
    expect(classifyPinError('CARD_REMOVED')).toBe('removed');
  });
});

describe('PSAM', () => {
  for (const code of ['PSAM_ABSENT', 'PSAM_FAILED']) {
    it(`${code}: card functions out of service with an operator message, the card handed back`, async () => {
      const s = startSession();
      await s.toIdle();
      s.send({ type: 'CARD_INSERTED' });
      await s.reject('readCard', codedError(code));
      const v = s.view();
      expect(v.screen).toBe('service-unavailable');
      expect(v.title).toBe('暂停办理卡片业务');
      expect(visibleText(v)).toContain('您的卡片没有问题');
      expect(visibleText(v)).toContain(`【工作人员】`);
      expect(visibleText(v)).toContain(code);
      expect(s.names().at(-1)).toBe('ejectCard');
      await s.resolve('ejectCard');
      await s.wait(30_000);
      expect(s.calls.at(-1)).toEqual({ name: 'retainCard', input: { reason: `error-not-taken:${code}` } });
    });
  }
});

describe('PIN only when a service needs it (pinAtStart false)', () => {
  it('menu at once; report-loss asks the PIN first; cancel goes back to the menu', async () => {
    const s = startSession({ config: { pinAtStart: false } });
    await s.toMenu();
    expect(s.screen()).toBe('menu');
    expect(s.names()).not.toContain('verifyPin');
    s.touch('report-loss');
    expect(s.screen()).toBe('pin');
    expect(s.calls.at(-1)).toEqual({ name: 'verifyPin', input: { purpose: 'report-loss' } });
    expect(visibleText(s.view())).toContain('“取消”返回');
    s.touch('cancel');
    expect(s.screen()).toBe('menu');
    expect(s.card()).toBe('inside');
    s.touch('report-loss');
    await s.resolve('verifyPin');
    expect(s.screen()).toBe('report-loss');
    s.touch('back');
    s.touch('report-loss');
    // Proved once in this visit.
    expect(s.screen()).toBe('report-loss');
  });

  it('PIN_TIMEOUT for a service goes back to the menu, the card stays', async () => {
    const s = startSession({ config: { pinAtStart: false } });
    await s.toMenu('temp-lost');
    s.touch('lift-loss');
    expect(s.calls.at(-1)).toEqual({ name: 'verifyPin', input: { purpose: 'lift-loss' } });
    await s.reject('verifyPin', codedError('PIN_TIMEOUT'));
    expect(s.screen()).toBe('menu');
  });
});

describe('change PIN', () => {
  it('old → new → confirm → applied → pin-changed → menu', async () => {
    const s = startSession();
    await s.toMenu();
    s.touch('change-pin');
    expect(s.screen()).toBe('change-pin');
    expect(s.calls.at(-1)).toEqual({ name: 'capturePin', input: { phase: 'old' } });
    expect(visibleText(s.view())).toContain('第 1 步');
    expect(s.controls()).toEqual(['finish', 'cancel', 'language']);
    s.send({ type: 'PIN_KEYS', count: 2 });
    expect(pinField(s)).toBe('●●');
    await s.resolve('capturePin');
    expect(s.calls.at(-1)).toEqual({ name: 'capturePin', input: { phase: 'new' } });
    expect(pinField(s)).toBe('尚未输入');
    expect(visibleText(s.view())).toContain('第 2 步');
    await s.resolve('capturePin');
    expect(s.calls.at(-1)).toEqual({ name: 'capturePin', input: { phase: 'confirm' } });
    await s.resolve('capturePin');
    expect(s.names().at(-1)).toBe('applyPinChange');
    expect(s.controls()).toEqual(['finish', 'language']);
    s.touch('language');
    expect(s.snapshot().context.lang).toBe('en');
    await s.resolve('applyPinChange');
    expect(s.screen()).toBe('pin-changed');
    expect(s.view().tone).toBe('success');
    s.touch('confirm');
    expect(s.screen()).toBe('menu');
  });

  for (const [reason, line] of [
    ['repeated', '相同的数字'],
    ['sequence', '连续的数字'],
    ['initial', '初始密码'],
  ] as const) {
    it(`a weak new PIN (${reason}) goes back to phase new with the reason`, async () => {
      const s = startSession();
      await s.toMenu();
      s.touch('change-pin');
      await s.resolve('capturePin');
      await s.resolve('capturePin');
      await s.reject('capturePin', codedError('PIN_WEAK', 'weak', { reason }));
      expect(s.snapshot().matches({ changePin: 'new' })).toBe(true);
      expect(s.calls.at(-1)).toEqual({ name: 'capturePin', input: { phase: 'new' } });
      expect(visibleText(s.view())).toContain(line);
    });
  }

  it('the two new PINs differ: phase new again', async () => {
    const s = startSession();
    await s.toMenu();
    s.touch('change-pin');
    await s.resolve('capturePin');
    await s.resolve('capturePin');
    await s.reject('capturePin', codedError('PIN_MISMATCH'));
    expect(s.snapshot().matches({ changePin: 'new' })).toBe(true);
    expect(visibleText(s.view())).toContain('两次输入的新密码不一样');
    await s.resolve('capturePin');
    expect(visibleText(s.view())).not.toContain('两次输入的新密码不一样');
  });

  it('old PIN wrong: phase old again with tries left; locked: pin-locked', async () => {
    const s = startSession();
    await s.toMenu();
    s.touch('change-pin');
    for (let i = 0; i < 3; i++) await s.resolve('capturePin');
    await s.reject('applyPinChange', codedError('PIN_WRONG', 'wrong', { triesLeft: 2 }));
    expect(s.snapshot().matches({ changePin: 'old' })).toBe(true);
    expect(visibleText(s.view())).toContain('原密码错误，还可输入 2 次');
    for (let i = 0; i < 3; i++) await s.resolve('capturePin');
    await s.reject('applyPinChange', codedError('PIN_LOCKED'));
    expect(s.screen()).toBe('pin-locked');
  });

  it('cancel (screen or pad) goes back to the menu', async () => {
    const s = startSession();
    await s.toMenu();
    s.touch('change-pin');
    await s.resolve('capturePin');
    s.touch('cancel');
    expect(s.aborted).toContain('capturePin');
    expect(s.screen()).toBe('menu');
    s.touch('change-pin');
    await s.reject('capturePin', codedError('PIN_TIMEOUT'));
    expect(s.screen()).toBe('menu');
  });

  it('pin pad unplugged mid-entry: PIN services unavailable, card handed back', async () => {
    const s = startSession();
    await s.toMenu();
    s.touch('change-pin');
    s.send({ type: 'PIN_KEYS', count: 3 });
    await s.reject('capturePin', codedError('LINK_UNPLUGGED'));
    expect(s.screen()).toBe('service-unavailable');
    expect(s.names().at(-1)).toBe('ejectCard');
  });
});

describe('report loss (挂失) with the card in hand', () => {
  it('explains plainly, asks, reports, shows the reference, hands the card back', async () => {
    const s = startSession();
    await s.toMenu();
    s.touch('report-loss');
    const ask = s.view();
    expect(ask.screen).toBe('report-loss');
    expect(visibleText(ask)).toContain('全部功能都会停止使用');
    expect(visibleText(ask)).toContain('银行功能');
    expect(visibleText(ask)).toContain('补办新卡');
    expect(ask.controls.map((c) => c.id)).toEqual(['finish', 'confirm', 'back', 'language']);
    expect(ask.controls.find((c) => c.id === 'confirm')?.kind).toBe('danger');
    s.touch('back');
    expect(s.screen()).toBe('menu');
    expect(s.names()).not.toContain('reportLoss');
    s.touch('report-loss');
    s.touch('confirm');
    expect(s.names().at(-1)).toBe('reportLoss');
    await s.resolve('reportLoss', { ref: 'GS-0001' });
    expect(s.screen()).toBe('loss-reported');
    expect(visibleText(s.view())).toContain('受理编号：GS-0001');
    expect(s.names().at(-1)).toBe('ejectCard');
    await s.resolve('ejectCard');
    expect(s.card()).toBe('at-gate');
    s.send({ type: 'CARD_REMOVED' });
    expect(s.screen()).toBe('loss-reported');
    expect(visibleText(s.view())).toContain('GS-0001');
    s.touch('confirm');
    expect(s.screen()).toBe('idle');
  });

  it('retainAfterLossReport keeps the card with reason loss-reported', async () => {
    const s = startSession({ config: { retainAfterLossReport: true } });
    await s.toMenu();
    s.touch('report-loss');
    s.touch('confirm');
    await s.resolve('reportLoss', { ref: 'GS-0002' });
    expect(s.calls.at(-1)).toEqual({ name: 'retainCard', input: { reason: 'loss-reported' } });
    expect(s.controls()).toEqual(['language']);
    await s.resolve('retainCard');
    expect(s.screen()).toBe('card-retained');
    expect(visibleText(s.view())).toContain('GS-0002');
    expect(s.card()).toBe('retained');
  });

  it('a backend error: service-unavailable with back to the menu, the card stays', async () => {
    const s = startSession();
    await s.toMenu();
    s.touch('report-loss');
    s.touch('confirm');
    await s.reject('reportLoss', codedError('BACKEND_UNAVAILABLE'));
    const v = s.view();
    expect(v.screen).toBe('service-unavailable');
    expect(visibleText(v)).toContain('请稍后再试');
    expect(s.controls()).toEqual(['finish', 'back', 'language']);
    expect(s.card()).toBe('inside');
    s.touch('back');
    expect(s.screen()).toBe('menu');
  });
});

describe('lift loss (解挂)', () => {
  it('temp-lost: explains, confirms, lifted, the menu no longer offers it', async () => {
    const s = startSession();
    await s.toMenu('temp-lost');
    s.touch('lift-loss');
    expect(s.screen()).toBe('lift-loss');
    expect(s.controls()).toEqual(['finish', 'confirm', 'back', 'language']);
    s.touch('confirm');
    await s.resolve('liftLoss', { ref: 'JG-0003' });
    expect(s.screen()).toBe('loss-lifted');
    expect(visibleText(s.view())).toContain('JG-0003');
    s.touch('confirm');
    expect(s.screen()).toBe('menu');
    expect(s.controls()).not.toContain('lift-loss');
    expect(visibleText(s.view())).not.toContain('临时挂失状态');
  });

  it('not offered (and ignored) for a normal card', async () => {
    const s = startSession();
    await s.toMenu();
    s.touch('lift-loss');
    expect(s.screen()).toBe('menu');
  });

  it('a backend timeout: service-unavailable, then back to the menu by itself', async () => {
    const s = startSession({ config: { backendTimeoutMs: 5_000 } });
    await s.toMenu('temp-lost');
    s.touch('lift-loss');
    s.touch('confirm');
    await s.wait(5_000);
    expect(s.screen()).toBe('service-unavailable');
    expect(s.snapshot().context.lastError?.code).toBe('BACKEND_TIMEOUT');
    await s.wait(60_000);
    expect(s.screen()).toBe('menu');
  });
});
