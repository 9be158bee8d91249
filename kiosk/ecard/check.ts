/**
 * The host's decision on a scanned e-card code: offline first (signature and lifetime: a refused
 * code never costs a network round trip), then the backend's status when it answers in time.
 *
 * The online step can only refuse (revoked, unknown) or add the holder; a backend that does not
 * answer leaves the offline decision standing with `online: 'unreachable'`. Whether that is enough
 * is the caller's policy: a gate opens on it (with its local blacklist of cids), a kiosk cannot
 * start a session without the ssn only the backend gives.
 */
import type { Clock } from '../../drivers/common/clock.js';
import { BackendError, type BackendErrorCode, type CardStatus, type SocialSecurityBackend } from '../backend/interface.js';
import { EcardError } from './errors.js';
import type { EcardClaims } from './format.js';
import { verifyEcardCode, type EcardVerifyOptions } from './verify.js';

export interface EcardHolder {
  ssn: string;
  name: string;
  /** The card's status now (a code of a lost card is genuine; the caller's status policy applies). */
  cardStatus: CardStatus;
}

export type EcardCheck =
  | { ok: true; claims: EcardClaims; online: 'checked'; holder: EcardHolder }
  | {
      ok: true;
      claims: EcardClaims;
      /** skipped: no backend given; unreachable: it failed or ran past the budget. */
      online: 'skipped' | 'unreachable';
      holder: null;
      /** Why the backend gave no answer (BACKEND_TIMEOUT when the budget ran out). */
      onlineError?: BackendErrorCode;
    }
  | { ok: false; error: EcardError; claims?: EcardClaims };

export interface EcardCheckOptions extends Omit<EcardVerifyOptions, 'now'> {
  /** Supplies `now` for the offline step and the timer for the budget. */
  clock: Clock;
  backend?: Pick<SocialSecurityBackend, 'ecardStatus'>;
  /**
   * Longest wait for the backend on `clock`; past it the check settles offline-only (the call
   * itself is abandoned, not cancelled). Left out: the client's own deadline applies.
   */
  onlineBudgetMs?: number;
}

const TIMED_OUT = Symbol('timed out');

export async function checkEcardCode(text: string, opts: EcardCheckOptions): Promise<EcardCheck> {
  const offline = verifyEcardCode(text, { publicKeys: opts.publicKeys, skewMs: opts.skewMs, now: opts.clock.now() });
  if (!offline.ok) return offline;
  const { claims } = offline;
  if (!opts.backend) return { ok: true, claims, online: 'skipped', holder: null };

  let timer: ReturnType<Clock['setTimeout']> | undefined;
  const budget =
    opts.onlineBudgetMs === undefined
      ? undefined
      : new Promise<typeof TIMED_OUT>((resolve) => {
          timer = opts.clock.setTimeout(() => resolve(TIMED_OUT), opts.onlineBudgetMs!);
        });
  const call = opts.backend.ecardStatus(claims.jti);
  // An abandoned call may still fail later; nobody awaits it then, so keep that quiet.
  call.catch(() => {});
  let answer;
  try {
    answer = await (budget ? Promise.race([call, budget]) : call);
  } catch (err) {
    if (err instanceof BackendError) return { ok: true, claims, online: 'unreachable', holder: null, onlineError: err.code };
    throw err;
  } finally {
    opts.clock.clearTimeout(timer);
  }
  if (answer === TIMED_OUT) return { ok: true, claims, online: 'unreachable', holder: null, onlineError: 'BACKEND_TIMEOUT' };
  if (answer.status === 'unknown') {
    return { ok: false, error: new EcardError('ECARD_UNKNOWN', `backend does not know code ${claims.jti}`), claims };
  }
  if (answer.status === 'revoked') {
    return { ok: false, error: new EcardError('ECARD_REVOKED', `backend revoked code ${claims.jti}`), claims };
  }
  return { ok: true, claims, online: 'checked', holder: { ssn: answer.ssn, name: answer.name, cardStatus: answer.cardStatus } };
}
