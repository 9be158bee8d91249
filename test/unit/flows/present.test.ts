import { describe, expect, it } from 'vitest';
import { cardPlace, presentSession, screenOf } from '../../../flows/view/present.js';
import { ScreenView, visibleText } from '../../../flows/view/protocol.js';
import { cardErrorText, STRINGS } from '../../../flows/view/strings.js';
import { codedError, HOLDER, startSession } from './harness.js';

describe('presentSession', () => {
  it('menu shows the full name, masked ssn, card number, validity and a greeting', async () => {
    const s = startSession({ lang: 'en' });
    await s.toMenu();
    const v = ScreenView.parse(presentSession(s.snapshot(), { terminalId: 'T1', now: 5_000, enteredAt: 1_000 }));
    expect(v.fields).toEqual([
      { id: 'name', label: 'Name', value: '张三' },
      { id: 'ssn', label: 'Social security number', value: '110101********1234' },
      { id: 'card-number', label: 'Card number', value: HOLDER.cardNumber },
      { id: 'validity', label: 'Valid', value: '2020-01-15 – 2030-01-15' },
    ]);
    expect(v.lines[0]).toBe('Hello, 张三');
    expect(v.deadline).toBe(1_000 + 60_000);
    expect(screenOf(s.snapshot())).toBe('menu');
    expect(cardPlace(s.snapshot())).toBe('inside');
  });

  it('keeps a state’s deadline fixed across re-renders and restarts it on a new state', async () => {
    const s = startSession();
    await s.toMenu();
    const env = (now: number) => ({ terminalId: 'T1', now });
    const first = presentSession(s.snapshot(), env(10_000)).deadline;
    expect(presentSession(s.snapshot(), env(25_000)).deadline).toBe(first);
    s.touch('finish');
    presentSession(s.snapshot(), env(26_000));
    await s.resolve('ejectCard');
    expect(presentSession(s.snapshot(), env(27_000)).deadline).toBe(27_000 + 30_000);
  });

  it('gives every card error code its own message in both languages, with the code for staff', () => {
    const codes = ['CARD_NO_ATR', 'CARD_NOT_SSC', 'CARD_EXPIRED', 'CARD_NOT_GENUINE', 'CARD_SECURITY', 'CARD_COMM', 'CARD_BAD_DATA', 'CARD_REMOVED'];
    for (const lang of ['zh-CN', 'en'] as const) {
      const titles = codes.map((c) => cardErrorText(c, lang).title);
      expect(new Set(titles).size).toBe(codes.length);
      expect(cardErrorText('CARD_SW_6982', lang)).toBe(STRINGS[lang].cardErrors.CARD_SW);
      expect(cardErrorText('WHATEVER', lang)).toBe(STRINGS[lang].cardErrors.default);
      expect(cardErrorText('default', lang)).toBe(STRINGS[lang].cardErrors.default);
    }
  });

  it('card-error screen says what happened, to take the card, and shows the code', async () => {
    const s = startSession({ lang: 'en' });
    await s.toIdle();
    s.send({ type: 'CARD_INSERTED' });
    await s.reject('readCard', codedError('CARD_NOT_SSC'));
    expect(visibleText(s.view())).toContain('Returning your card');
    await s.resolve('ejectCard');
    const text = visibleText(s.view());
    expect(s.view().title).toBe('Not a social security card');
    expect(text).toContain('Please take your card');
    expect(text).toContain('CARD_NOT_SSC');
  });

  it('out-of-service tells the citizen their card is still inside and offers 退卡', async () => {
    const s = startSession();
    await s.toMenu();
    s.send({ type: 'READER_FAULT', code: 'LINK_UNPLUGGED', message: 'x' });
    const v = s.view();
    expect(v.tone).toBe('warning');
    expect(visibleText(v)).toContain('您的卡片仍在机内');
    expect(visibleText(v)).toContain('12333');
    expect(v.controls[0]).toMatchObject({ id: 'finish', label: '退卡' });
  });
});
