/**
 * The host side of visits without an inserted card: the tap session's PIN over the antenna
 * (kiosk/session/tap-pin.ts) and the holder a scanned code gives (kiosk/session/cardless-actors.ts).
 */
import { describe, expect, it } from 'vitest';
import { createActor, toPromise } from 'xstate';
import { resolveCardProfile } from '../../../drivers/card-reader/sim/card-profile.js';
import { createSimCard, DEMO_KEYS, type SimChip } from '../../../drivers/card-reader/sim/chip/index.js';
import { VirtualClock } from '../../../drivers/common/clock.js';
import { silentLogger } from '../../../drivers/common/log.js';
import { BackendError, type EcardStatusResult } from '../../../kiosk/backend/interface.js';
import { cardlessActors, holderOfCode } from '../../../kiosk/session/cardless-actors.js';
import { presentPinByTap, type TapPinDeps } from '../../../kiosk/session/tap-pin.js';
import { loadFixtureCards } from '../../fixtures/cards/index.js';
import { claims, demoSigned, NOW_SEC, TRUSTED } from '../ecard/helpers.js';

const fixtures = loadFixtureCards();
const chipOf = (handle: string) => createSimCard(resolveCardProfile(fixtures[handle]!), DEMO_KEYS);
const hex = (b: Uint8Array) => Buffer.from(b).toString('hex').toUpperCase();
const noCard = () => Object.assign(new Error('no card in the field'), { code: 'READER_NO_CONTACTLESS' });

/** The reader's antenna over simulated chips: what is in the field, what was sent. */
function antenna() {
  let field: SimChip | null = null;
  let active = false;
  const log: string[] = [];
  return {
    log,
    place(chip: SimChip | null) {
      field = chip;
      active = false;
    },
    async contactlessActivate() {
      log.push('activate');
      if (!field) throw noCard();
      field.powerOn();
      active = true;
      return { type: 'A' as const, uid: Uint8Array.of(1, 2, 3, 4), ats: Uint8Array.of(0x3b) };
    },
    async contactlessTransmit(apdu: Uint8Array) {
      if (!field || !active) throw noCard();
      log.push(hex(apdu).slice(0, 8));
      return field.transmit(apdu);
    },
    async contactlessDeactivate() {
      log.push('deactivate');
      active = false;
    },
  };
}

/** A pad holding a completed PIN: builds VERIFY `00 20 00 00 03 <BCD>` when asked. */
function pad(pin: string) {
  const built: Uint8Array[] = [];
  return {
    built,
    async buildVerifyApdu() {
      const apdu = Uint8Array.from(Buffer.from(`0020000003${pin}`, 'hex'));
      built.push(apdu);
      return apdu;
    },
  };
}

function rig(pin: string, holderHandle = 'valid-gen3') {
  const clock = new VirtualClock();
  const reader = antenna();
  const pinpad = pad(pin);
  const own = chipOf(holderHandle);
  const d: TapPinDeps = {
    reader,
    pinpad,
    clock,
    logger: silentLogger,
    waitMs: 20_000,
    cardIdCode: () => own.cardIdCode,
  };
  return { clock, reader, pinpad, own, d };
}

async function outcome(p: Promise<void>): Promise<{ ok: true } | { ok: false; code: string; triesLeft?: number }> {
  return p.then(
    () => ({ ok: true as const }),
    (e: { code: string; triesLeft?: number }) => ({ ok: false as const, code: e.code, ...(e.triesLeft !== undefined ? { triesLeft: e.triesLeft } : {}) }),
  );
}

describe('tap session PIN: the VERIFY waits for the card on the antenna', () => {
  it('polls until the card is held there, checks it is the visit’s card, then the pad builds the VERIFY', async () => {
    const r = rig('654321');
    const p = outcome(presentPinByTap(r.d, new AbortController().signal));
    await r.clock.advance(1_000);
    expect(r.pinpad.built).toHaveLength(0);
    expect(r.reader.log.filter((l) => l === 'activate').length).toBeGreaterThanOrEqual(6);
    r.reader.place(r.own);
    await r.clock.advance(200);
    expect(await p).toEqual({ ok: true });
    expect(r.pinpad.built).toHaveLength(1);
    // Zeroed once sent.
    expect(hex(r.pinpad.built[0]!)).toMatch(/^0+$/);
    expect(r.reader.log.filter((l) => l.startsWith('0020'))).toHaveLength(1);
    expect(r.reader.log.at(-1)).toBe('deactivate');
    expect(r.own.pinTriesLeft).toBe(3);
  });

  it('a wrong PIN is the card’s answer, with the tries it has left', async () => {
    const r = rig('111111');
    r.reader.place(r.own);
    expect(await outcome(presentPinByTap(r.d, new AbortController().signal))).toEqual({ ok: false, code: 'PIN_WRONG', triesLeft: 2 });
  });

  it('the card never comes back: CARD_REMOVED after tapPinWaitMs; nothing was built or sent, no try used', async () => {
    const r = rig('111111');
    const p = outcome(presentPinByTap(r.d, new AbortController().signal));
    await r.clock.advance(20_200);
    expect(await p).toEqual({ ok: false, code: 'CARD_REMOVED' });
    expect(r.pinpad.built).toHaveLength(0);
    expect(r.own.pinTriesLeft).toBe(3);
    expect(r.clock.pendingTimers()).toBe(0);
  });

  it('another card on the antenna is let go; the VERIFY goes only to the visit’s card', async () => {
    const r = rig('654321');
    const other = chipOf('valid');
    r.reader.place(other);
    const p = outcome(presentPinByTap(r.d, new AbortController().signal));
    await r.clock.advance(500);
    expect(r.pinpad.built).toHaveLength(0);
    expect(other.pinTriesLeft).toBe(3);
    r.reader.place(r.own);
    await r.clock.advance(300);
    expect(await p).toEqual({ ok: true });
  });

  it('left (cancel, 结束) while waiting: PIN_CANCELLED, nothing built', async () => {
    const r = rig('654321');
    const ac = new AbortController();
    const p = outcome(presentPinByTap(r.d, ac.signal));
    await r.clock.advance(400);
    ac.abort();
    expect(await p).toEqual({ ok: false, code: 'PIN_CANCELLED' });
    expect(r.pinpad.built).toHaveLength(0);
  });
});

describe('code session: the holder comes from the code and the backend', () => {
  const HOLDER = { status: 'valid', cardStatus: 'normal', ssn: '110101195001011234', name: '张三' } as const;

  it('builds a CardInfo from the claims and the online holder, nothing made up', () => {
    const info = holderOfCode(claims({ ce: '20330601' }), HOLDER);
    expect(info).toMatchObject({
      cardIdCode: '110100D15600000599110145',
      regionCode: '110100',
      cardNumber: 'A12345678',
      ssn: HOLDER.ssn,
      name: '张三',
      expiryDate: '2033-06-01',
      issueDate: '',
      birthDate: '1950-01-01',
    });
    expect(holderOfCode(claims({ ce: undefined }), HOLDER).expiryDate).toBe('');
  });

  function actors(answer: () => Promise<EcardStatusResult>, enabled = true) {
    const clock = new VirtualClock(NOW_SEC * 1000);
    const journal: { type: string; status: string; data: Record<string, unknown> }[] = [];
    const a = cardlessActors({
      reader: {} as never,
      clock,
      logger: silentLogger,
      journal: { append: (type: string, status: string, data: Record<string, unknown>) => journal.push({ type, status, data }) } as never,
      terminalId: 'T1',
      psamSlot: 1,
      backend: { ecardStatus: answer },
      ecard: { enabled, publicKeys: TRUSTED, skewMs: 30_000, onlineBudgetMs: 2_000 },
      tapped: () => undefined,
    });
    const run = (text: string) => {
      const actor = createActor(a.checkCode, { input: { text } });
      actor.subscribe({ error: () => undefined });
      actor.start();
      return toPromise(actor).then(
        (v) => ({ ok: true as const, v }),
        (e: { code: string }) => ({ ok: false as const, code: e.code }),
      );
    };
    return { run, journal };
  }

  it('accepts a code the backend confirms; refuses and journals a bad one; ECARD_OFFLINE without the backend', async () => {
    const ok = actors(async () => HOLDER);
    expect(await ok.run(demoSigned())).toMatchObject({ ok: true, v: { ssn: HOLDER.ssn, name: '张三' } });

    const expired = actors(async () => HOLDER);
    expect(await expired.run(demoSigned(claims({ iat: NOW_SEC - 300, exp: NOW_SEC - 240 })))).toEqual({ ok: false, code: 'ECARD_EXPIRED' });
    expect(expired.journal.at(-1)).toMatchObject({ type: 'card-refused', status: 'code', data: { reason: 'ECARD_EXPIRED', cardNumber: 'A12345678' } });
    // The code's text is never journaled.
    expect(JSON.stringify(expired.journal)).not.toContain('YKTEC1');

    const down = actors(async () => {
      throw new BackendError('BACKEND_UNAVAILABLE', 'ecardStatus', 'down');
    });
    expect(await down.run(demoSigned())).toEqual({ ok: false, code: 'ECARD_OFFLINE' });

    const off = actors(async () => HOLDER, false);
    expect(await off.run(demoSigned())).toEqual({ ok: false, code: 'ECARD_FOREIGN' });
  });
});
