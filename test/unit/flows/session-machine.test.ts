import { createActor, fromPromise } from 'xstate';
import { describe, expect, it } from 'vitest';
import {
  classifyReadError,
  sessionMachine,
  toSessionError,
  type PrepareReaderOutput,
} from '../../../flows/session/index.js';
import { visibleText } from '../../../flows/view/protocol.js';
import { codedError, HOLDER, startSession } from './harness.js';

describe('session machine: happy path', () => {
  it('reads a card, shows the holder, returns the card and goes back to idle', async () => {
    const s = startSession();
    expect(s.screen()).toBe('starting');
    await s.toIdle();
    expect(s.screen()).toBe('idle');
    expect(s.card()).toBe('none');
    expect(visibleText(s.view())).toContain('请插入社会保障卡');
    expect(s.names()).toContain('enableInsertion');

    s.send({ type: 'CARD_INSERTED' });
    expect(s.screen()).toBe('reading');
    expect(s.card()).toBe('inside');
    expect(s.controls()).toContain('finish');

    await s.resolve('readCard', HOLDER);
    expect(s.screen()).toBe('reading');
    expect(s.calls.at(-1)).toEqual({ name: 'checkCardStatus', input: { holder: HOLDER } });
    await s.resolve('checkCardStatus', { status: 'normal', source: 'backend' });
    expect(s.screen()).toBe('pin');
    expect(s.calls.at(-1)).toEqual({ name: 'verifyPin', input: { purpose: 'session' } });
    expect(s.controls()).toEqual(['finish', 'cancel', 'language']);
    await s.resolve('verifyPin');
    expect(s.screen()).toBe('menu');
    const menu = s.view();
    expect(visibleText(menu)).toContain('张三');
    expect(menu.fields.find((f) => f.id === 'ssn')?.value).toBe('110101********1234');
    expect(menu.fields.find((f) => f.id === 'validity')?.value).toBe('2020-01-15 – 2030-01-15');
    expect(visibleText(menu)).not.toContain(HOLDER.ssn);
    expect(menu.controls.map((c) => c.id)).toEqual(['finish', 'query-contributions', 'print-statement', 'pay-premiums', 'change-pin', 'report-loss', 'language']);
    expect(menu.deadline).toBe(s.clock.now() + 60_000);

    s.touch('finish');
    expect(s.screen()).toBe('take-card');
    expect(s.card()).toBe('inside');
    await s.resolve('ejectCard');
    expect(s.screen()).toBe('take-card');
    expect(s.card()).toBe('at-gate');
    expect(s.controls()).not.toContain('finish');

    s.send({ type: 'CARD_REMOVED' });
    expect(s.screen()).toBe('idle');
    expect(s.card()).toBe('none');
    expect(s.snapshot().context.holder).toBeUndefined();
  });

  it('ejects by itself when the menu is left alone, warning first (WCAG 2.2.1)', async () => {
    const s = startSession();
    await s.toMenu();
    await s.wait(40_000 - 1);
    expect(s.snapshot().matches({ menu: 'active' })).toBe(true);
    await s.wait(1);
    expect(s.snapshot().matches({ menu: 'warning' })).toBe(true);
    expect(s.controls()).toEqual(['finish', 'confirm', 'query-contributions', 'print-statement', 'pay-premiums', 'change-pin', 'report-loss', 'language']);
    s.touch('confirm');
    expect(s.snapshot().matches({ menu: 'active' })).toBe(true);
    await s.wait(60_000);
    expect(s.snapshot().matches('ejecting')).toBe(true);
    expect(s.names().filter((n) => n === 'ejectCard')).toHaveLength(1);
  });

  it('respects a configured menu idle time', async () => {
    const s = startSession({ config: { menuIdleMs: 10_000 } });
    await s.toMenu();
    await s.wait(9_999);
    expect(s.screen()).toBe('menu');
    await s.wait(1);
    expect(s.snapshot().matches('ejecting')).toBe(true);
  });
});

describe('session machine: card errors', () => {
  const codes = [
    ['CARD_NO_ATR', '卡片无法识别'],
    ['READER_NO_ATR', '卡片无法识别'],
    ['CARD_NOT_SSC', '这不是社会保障卡'],
    ['CARD_EXPIRED', '卡片已过有效期'],
    ['CARD_NOT_GENUINE', '卡片验证未通过'],
    ['CARD_SECURITY', '卡片安全校验失败'],
    ['CARD_COMM', '读卡失败'],
    ['CARD_BAD_DATA', '卡片信息异常'],
    ['CARD_SW_6A82', '卡片无法使用'],
    ['SOMETHING_ELSE', '卡片无法读取'],
  ] as const;

  for (const [code, title] of codes) {
    it(`${code}: ejects, explains, and returns to idle once the card is taken`, async () => {
      const s = startSession();
      await s.toIdle();
      s.send({ type: 'CARD_INSERTED' });
      await s.reject('readCard', codedError(code, `driver says ${code}`));
      expect(s.screen()).toBe('card-error');
      expect(s.card()).toBe('inside');
      expect(s.controls()).toContain('finish');
      expect(s.names().at(-1)).toBe('ejectCard');
      await s.resolve('ejectCard');
      const v = s.view();
      expect(v.screen).toBe('card-error');
      expect(v.tone).toBe('error');
      expect(v.title).toBe(title);
      expect(s.card()).toBe('at-gate');
      expect(v.deadline).toBe(s.clock.now() + 30_000);
      s.send({ type: 'CARD_REMOVED' });
      expect(s.screen()).toBe('idle');
      expect(s.card()).toBe('none');
    });
  }

  it('an error without a code is a card the machine cannot read, not a crash', async () => {
    const s = startSession();
    await s.toIdle();
    s.send({ type: 'CARD_INSERTED' });
    await s.reject('readCard', new Error('boom'));
    expect(s.screen()).toBe('card-error');
    expect(s.snapshot().context.lastError?.code).toBe('INTERNAL');
  });

  it('retains a card left at the gate after an error, with the code in the reason', async () => {
    const s = startSession();
    await s.toIdle();
    s.send({ type: 'CARD_INSERTED' });
    await s.reject('readCard', codedError('CARD_EXPIRED'));
    await s.resolve('ejectCard');
    await s.wait(30_000);
    expect(s.calls.at(-1)).toEqual({ name: 'retainCard', input: { reason: 'error-not-taken:CARD_EXPIRED' } });
    await s.resolve('retainCard');
    expect(s.screen()).toBe('card-retained');
    expect(s.card()).toBe('retained');
  });

  it('classifies codes', () => {
    expect(classifyReadError('CARD_REMOVED')).toBe('removed');
    expect(classifyReadError('LINK_TIMEOUT')).toBe('fault');
    expect(classifyReadError('READER_JAMMED')).toBe('fault');
    expect(classifyReadError('PSAM_ABSENT')).toBe('psam');
    expect(classifyReadError('CARD_EXPIRED')).toBe('card');
    expect(toSessionError(codedError('READER_CARD_REMOVED')).code).toBe('CARD_REMOVED');
    expect(toSessionError('weird').code).toBe('INTERNAL');
  });
});

describe('session machine: card pulled out', () => {
  for (const how of ['event', 'read error'] as const) {
    it(`mid-read (${how}): tells the citizen, card none, back to idle after the notice`, async () => {
      const s = startSession();
      await s.toIdle();
      s.send({ type: 'CARD_INSERTED' });
      if (how === 'event') s.send({ type: 'CARD_REMOVED' });
      else await s.reject('readCard', codedError('READER_CARD_REMOVED'));
      const v = s.view();
      expect(v.screen).toBe('card-error');
      expect(visibleText(v)).toContain('读卡过程中卡片被取出');
      expect(s.card()).toBe('none');
      expect(s.controls()).toEqual(['confirm', 'language']);
      if (how === 'event') expect(s.aborted).toContain('readCard');
      await s.wait(10_000);
      expect(s.screen()).toBe('idle');
    });
  }

  it('confirm leaves the notice at once', async () => {
    const s = startSession();
    await s.toIdle();
    s.send({ type: 'CARD_INSERTED' });
    s.send({ type: 'CARD_REMOVED' });
    s.touch('confirm');
    expect(s.screen()).toBe('idle');
  });
});

describe('session machine: take-card timeout', () => {
  it('retains after takeCardMs, shows the notice with time, terminal and 12333, then idle', async () => {
    const s = startSession();
    await s.toMenu();
    s.touch('finish');
    await s.resolve('ejectCard');
    expect(s.view().deadline).toBe(s.clock.now() + 30_000);
    await s.wait(29_999);
    expect(s.isPending('retainCard')).toBe(false);
    await s.wait(1);
    expect(s.calls.at(-1)).toEqual({ name: 'retainCard', input: { reason: 'not-taken' } });
    expect(s.screen()).toBe('card-retained');
    expect(s.card()).toBe('at-gate');
    await s.resolve('retainCard');
    const v = s.view();
    expect(v.screen).toBe('card-retained');
    expect(s.card()).toBe('retained');
    const text = visibleText(v);
    expect(text).toContain('YKT-T-0001');
    expect(text).toContain('12333');
    expect(text).toMatch(/2025-03-01 \d\d:00:30/);
    expect(v.deadline).toBe(s.clock.now() + 10_000);
    await s.wait(10_000);
    expect(s.screen()).toBe('idle');
    expect(s.card()).toBe('retained');
    expect(visibleText(s.view())).toContain('回收');
    s.send({ type: 'CARD_INSERTED' });
    expect(s.card()).toBe('inside');
  });

  it('keeps prompting when retention is disabled', async () => {
    const s = startSession({ config: { retainOnTakeTimeout: false } });
    await s.toMenu();
    s.touch('finish');
    await s.resolve('ejectCard');
    expect(s.view().deadline).toBeUndefined();
    await s.wait(120_000);
    expect(s.names()).not.toContain('retainCard');
    expect(s.screen()).toBe('take-card');
    expect(s.card()).toBe('at-gate');
    s.send({ type: 'CARD_REMOVED' });
    expect(s.screen()).toBe('idle');
  });

  it('a card taken while being retained is simply gone', async () => {
    const s = startSession();
    await s.toMenu();
    s.touch('finish');
    await s.resolve('ejectCard');
    await s.wait(30_000);
    s.send({ type: 'CARD_REMOVED' });
    expect(s.screen()).toBe('idle');
    expect(s.card()).toBe('none');
    expect(s.aborted).toContain('retainCard');
  });
});

describe('session machine: reader faults', () => {
  it('fault mid-read → out-of-service → recovers → ejects the card still inside → take-card', async () => {
    const s = startSession({ config: { recoverIntervalMs: 3_000 } });
    await s.toIdle();
    s.send({ type: 'CARD_INSERTED' });
    await s.reject('readCard', codedError('LINK_TIMEOUT', 'no answer'));
    let v = s.view();
    expect(v.screen).toBe('out-of-service');
    expect(v.tone).toBe('warning');
    expect(visibleText(v)).toContain('LINK_TIMEOUT');
    expect(s.card()).toBe('inside');
    expect(s.controls()).toContain('finish');

    await s.reject('recoverReader', codedError('LINK_TIMEOUT'));
    expect(s.isPending('recoverReader')).toBe(false);
    await s.wait(3_000);
    expect(s.isPending('recoverReader')).toBe(true);
    await s.resolve('recoverReader');
    expect(s.screen()).toBe('starting');
    await s.resolve('prepareReader', { position: 'inside' });
    expect(s.names().at(-1)).toBe('ejectCard');
    await s.resolve('ejectCard');
    expect(s.screen()).toBe('take-card');
    expect(s.card()).toBe('at-gate');
    s.send({ type: 'CARD_REMOVED' });
    expect(s.screen()).toBe('idle');
  });

  it('READER_FAULT event from the menu, READER_OK recovers', async () => {
    const s = startSession();
    await s.toMenu();
    s.send({ type: 'READER_FAULT', code: 'LINK_UNPLUGGED', message: 'unplugged' });
    expect(s.screen()).toBe('out-of-service');
    expect(s.snapshot().context.lastError).toEqual({ code: 'LINK_UNPLUGGED', message: 'unplugged' });
    s.send({ type: 'READER_OK' });
    expect(s.screen()).toBe('starting');
  });

  it('finish while out of service with a card inside retries at once', async () => {
    const s = startSession();
    await s.toMenu();
    s.send({ type: 'READER_FAULT', code: 'LINK_UNPLUGGED', message: 'unplugged' });
    s.touch('finish');
    expect(s.screen()).toBe('starting');
    expect(s.aborted).toContain('recoverReader');
  });

  it('a read that hangs is a fault after readTimeoutMs', async () => {
    const s = startSession({ config: { readTimeoutMs: 5_000 } });
    await s.toIdle();
    s.send({ type: 'CARD_INSERTED' });
    await s.wait(5_000);
    expect(s.screen()).toBe('out-of-service');
    expect(s.snapshot().context.lastError?.code).toBe('READER_TIMEOUT');
    expect(s.aborted).toContain('readCard');
    expect(s.card()).toBe('inside');
  });

  it('an eject that fails puts the terminal out of service, card still inside', async () => {
    const s = startSession();
    await s.toMenu();
    s.touch('finish');
    await s.reject('ejectCard', codedError('READER_JAMMED'));
    expect(s.screen()).toBe('out-of-service');
    expect(s.card()).toBe('inside');
  });

  it('prepareReader failing at start → out-of-service', async () => {
    const s = startSession();
    await s.reject('prepareReader', codedError('LINK_NO_ANSWER'));
    expect(s.screen()).toBe('out-of-service');
  });

  it('a card found at the gate at start is offered for taking', async () => {
    const s = startSession();
    await s.resolve('prepareReader', { position: 'gate' });
    expect(s.screen()).toBe('take-card');
    expect(s.card()).toBe('at-gate');
  });

  it('a card found inside after a power cut is ejected', async () => {
    const s = startSession();
    await s.resolve('prepareReader', { position: 'inside' });
    expect(s.card()).toBe('inside');
    expect(s.controls()).toContain('finish');
    expect(s.names().at(-1)).toBe('ejectCard');
  });
});

describe('session machine: finish and language', () => {
  it('finish during reading aborts the read and ejects', async () => {
    const s = startSession();
    await s.toIdle();
    s.send({ type: 'CARD_INSERTED' });
    s.touch('finish');
    expect(s.aborted).toContain('readCard');
    expect(s.names().at(-1)).toBe('ejectCard');
    await s.resolve('ejectCard');
    expect(s.screen()).toBe('take-card');
    expect(s.card()).toBe('at-gate');
  });

  it('language toggles anywhere without leaving the screen', async () => {
    const s = startSession();
    s.touch('language');
    expect(s.snapshot().context.lang).toBe('en');
    expect(s.screen()).toBe('starting');
    await s.toIdle();
    expect(visibleText(s.view())).toContain('Please insert');
    s.send({ type: 'CARD_INSERTED' });
    await s.resolve('readCard', HOLDER);
    await s.resolve('checkCardStatus', { status: 'normal', source: 'backend' });
    expect(s.view().title).toBe('Please enter your PIN');
    await s.resolve('verifyPin');
    s.touch('language');
    expect(s.snapshot().context.lang).toBe('zh-CN');
    expect(s.screen()).toBe('menu');
    expect(s.view().title).toBe('请选择服务');
    expect(s.view().controls.find((c) => c.id === 'language')?.label).toBe('English');
  });

  it('ignores touches of controls not offered', async () => {
    const s = startSession();
    await s.toIdle();
    s.touch('finish');
    s.touch('confirm');
    s.touch('pay-premiums');
    expect(s.screen()).toBe('idle');
    expect(s.names().filter((n) => n === 'ejectCard')).toHaveLength(0);
  });

  it('starts in the configured language', () => {
    const s = startSession({ lang: 'en' });
    expect(s.view().title).toBe('Starting up');
  });
});

describe('session machine: defaults', () => {
  it('rejects with a clear "not provided" error when the host forgot an actor', async () => {
    const errors: unknown[] = [];
    const actor = createActor(sessionMachine, { input: { config: {} } });
    actor.subscribe({ error: (e) => errors.push(e) });
    actor.start();
    await new Promise((r) => setImmediate(r));
    expect(actor.getSnapshot().matches('outOfService')).toBe(true);
    expect(actor.getSnapshot().context.lastError?.message).toMatch(/prepareReader' not provided/);
    actor.stop();
  });

  it('fills config defaults', () => {
    const actor = createActor(
      sessionMachine.provide({ actors: { prepareReader: fromPromise<PrepareReaderOutput>(() => new Promise(() => undefined)) } }),
      { input: { config: { takeCardMs: 5 } } },
    );
    expect(actor.getSnapshot().context.config).toEqual({
      menuIdleMs: 60_000,
      takeCardMs: 5,
      retainOnTakeTimeout: true,
      cardErrorMs: 30_000,
      retainedNoticeMs: 10_000,
      recoverIntervalMs: 3_000,
      readTimeoutMs: 20_000,
      pinAtStart: true,
      statusPolicy: { lost: 'retain', blacklisted: 'retain', 'dead-holder': 'retain' },
      retainAfterLossReport: false,
      pinGuardMs: 90_000,
      backendTimeoutMs: 20_000,
      printGuardMs: 60_000,
      takeReceiptMs: 30_000,
      payGuardMs: 120_000,
      acceptTap: true,
      acceptCode: true,
      services: 'kiosk',
    });
  });
});
