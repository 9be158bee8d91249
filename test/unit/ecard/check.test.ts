import { describe, expect, it } from 'vitest';
import { VirtualClock } from '../../../drivers/common/clock.js';
import { BackendError, type EcardStatusResult } from '../../../kiosk/backend/interface.js';
import { checkEcardCode } from '../../../kiosk/ecard/check.js';
import { EcardConfigSchema, trustedEcardKeys } from '../../../kiosk/ecard/config.js';
import { DEMO_ECARD_PUBLIC_KEY_PEM, FOREIGN_ECARD_PUBLIC_KEY_PEM } from '../../../kiosk/ecard/demo-keys.js';
import { startRig } from '../backend/helpers.js';
import { claims, demoSigned, NOW_SEC, TRUSTED } from './helpers.js';

const holder = { status: 'valid', cardStatus: 'normal', ssn: '110101195001011234', name: '张三' } as const;

/** A backend whose ecardStatus answers (or fails) as told, counting calls. */
function fakeBackend(answer: () => Promise<EcardStatusResult>) {
  const calls: string[] = [];
  return {
    calls,
    ecardStatus: (jti: string) => {
      calls.push(jti);
      return answer();
    },
  };
}

describe('checkEcardCode: offline first, then online', () => {
  it('never asks the backend about a code refused offline', async () => {
    const clock = new VirtualClock();
    const backend = fakeBackend(async () => holder);
    const r = await checkEcardCode(demoSigned(claims({ iat: NOW_SEC - 300, exp: NOW_SEC - 240 })), { clock, publicKeys: TRUSTED, backend });
    expect(r).toMatchObject({ ok: false, error: { code: 'ECARD_EXPIRED' } });
    expect(backend.calls).toEqual([]);
  });

  it('adds the holder from a valid online answer; refuses revoked and unknown codes', async () => {
    const clock = new VirtualClock();
    const c = claims();
    const ok = await checkEcardCode(demoSigned(c), { clock, publicKeys: TRUSTED, backend: fakeBackend(async () => holder) });
    expect(ok).toEqual({ ok: true, claims: c, online: 'checked', holder: { ssn: holder.ssn, name: '张三', cardStatus: 'normal' } });
    const revoked = await checkEcardCode(demoSigned(c), { clock, publicKeys: TRUSTED, backend: fakeBackend(async () => ({ ...holder, status: 'revoked' })) });
    expect(revoked).toMatchObject({ ok: false, error: { code: 'ECARD_REVOKED' }, claims: c });
    const unknown = await checkEcardCode(demoSigned(c), { clock, publicKeys: TRUSTED, backend: fakeBackend(async () => ({ status: 'unknown' })) });
    expect(unknown).toMatchObject({ ok: false, error: { code: 'ECARD_UNKNOWN' } });
    if (!unknown.ok) expect(unknown.error.reason('en')).toMatch(/physical card/);
  });

  it('leaves the offline decision standing when the backend fails, is slow, or is not asked', async () => {
    const clock = new VirtualClock();
    const code = demoSigned();
    const down = await checkEcardCode(code, {
      clock,
      publicKeys: TRUSTED,
      backend: fakeBackend(async () => {
        throw new BackendError('BACKEND_UNAVAILABLE', 'ecardStatus', 'down');
      }),
    });
    expect(down).toMatchObject({ ok: true, online: 'unreachable', holder: null, onlineError: 'BACKEND_UNAVAILABLE' });

    const slow = checkEcardCode(code, { clock, publicKeys: TRUSTED, onlineBudgetMs: 500, backend: fakeBackend(() => new Promise(() => {})) });
    await clock.advance(500);
    expect(await slow).toMatchObject({ ok: true, online: 'unreachable', onlineError: 'BACKEND_TIMEOUT' });
    expect(clock.pendingTimers()).toBe(0);

    const fast = await checkEcardCode(code, { clock, publicKeys: TRUSTED, onlineBudgetMs: 500, backend: fakeBackend(async () => holder) });
    expect(fast).toMatchObject({ online: 'checked' });
    expect(clock.pendingTimers()).toBe(0);

    expect(await checkEcardCode(code, { clock, publicKeys: TRUSTED })).toMatchObject({ ok: true, online: 'skipped', holder: null });
  });

  it('runs end to end against the embedded backend through the HTTP client', async () => {
    const rig = await startRig();
    try {
      const { code } = rig.backend.issueEcardCode('330302198507152348');
      const r = await checkEcardCode(code, { clock: rig.clock, publicKeys: TRUSTED, backend: rig.client });
      expect(r).toMatchObject({ ok: true, online: 'checked', holder: { ssn: '330302198507152348', name: '李秀英', cardStatus: 'normal' } });
      rig.backend.issueEcardCode('330302198507152348'); // supersedes the first
      expect(await checkEcardCode(code, { clock: rig.clock, publicKeys: TRUSTED, backend: rig.client })).toMatchObject({
        ok: false,
        error: { code: 'ECARD_REVOKED' },
      });
    } finally {
      await rig.close();
    }
  });
});

describe('ecard config section', () => {
  it('defaults to no configured keys; sim mode then trusts the demo key, hardware mode nothing', () => {
    const cfg = EcardConfigSchema.parse({});
    expect(cfg).toEqual({ enabled: true, publicKeys: {}, skewMs: 30_000, onlineBudgetMs: 2_000 });
    expect(trustedEcardKeys(cfg, 'sim')).toEqual({ 'demo-1': DEMO_ECARD_PUBLIC_KEY_PEM });
    expect(trustedEcardKeys(cfg, 'hardware')).toEqual({});
    const own = EcardConfigSchema.parse({ publicKeys: { 'bj-2026': FOREIGN_ECARD_PUBLIC_KEY_PEM } });
    expect(trustedEcardKeys(own, 'sim')).toEqual({ 'bj-2026': FOREIGN_ECARD_PUBLIC_KEY_PEM });
  });

  it('refuses a key that is not an Ed25519 public key PEM, or a bad kid', () => {
    expect(EcardConfigSchema.safeParse({ publicKeys: { 'bj-1': 'garbage' } }).success).toBe(false);
    expect(EcardConfigSchema.safeParse({ publicKeys: { 'BJ 1': DEMO_ECARD_PUBLIC_KEY_PEM } }).success).toBe(false);
    expect(EcardConfigSchema.safeParse({ keys: {} }).success).toBe(false);
  });
});
