/**
 * The embedded backend as the issuer of electronic social security card codes (docs/ecard.md).
 * A real agency's app issues them; here the demo, scenario runs and the /sim panel do, so that the
 * kiosk's scanner path runs against genuine, expired, tampered and foreign codes.
 *
 * Issued codes are kept (same SQLite database as the store) for the online status check. Issuing a
 * new code for a card revokes that card's earlier codes, as the app's refreshing code does: a
 * screenshot of an older code stops working online even before it expires.
 */
import { randomBytes } from 'node:crypto';
import { resolveCardProfile, type CardProfile } from '../../../drivers/card-reader/sim/card-profile.js';
import { cardIdCodeOf } from '../../../drivers/card-reader/sim/chip/ssc-files.js';
import type { Clock } from '../../../drivers/common/clock.js';
import { YktError } from '../../../drivers/common/errors.js';
import { maskId, maskName } from '../../../drivers/common/mask.js';
import { applySchema } from '../../journal/sqlite.js';
import {
  DEMO_ECARD_KID,
  DEMO_ECARD_PRIVATE_KEY_PEM,
  FOREIGN_ECARD_KID,
  FOREIGN_ECARD_PRIVATE_KEY_PEM,
} from '../../ecard/demo-keys.js';
import { assembleEcardCode, encodeEcardPayload, parseEcardCode, type EcardClaims } from '../../ecard/format.js';
import type { EcardKeyInput } from '../../ecard/keys.js';
import { signEcardCode } from '../../ecard/sign.js';
import type { CardStatus, EcardStatusResult } from '../interface.js';
import type { EcardIssueVariant } from '../wire.js';
import { ApiError } from './api-error.js';
import type { BackendStore } from './store.js';

/** Like the app's refreshing code: long enough to walk up and scan, short enough that a photo goes stale. */
export const ECARD_DEFAULT_TTL_SEC = 60;
/** An 'expired' code's exp lies this far in the past: beyond any clock skew a terminal allows. */
const EXPIRED_AGO_SEC = 600;

const SCHEMA = `
CREATE TABLE IF NOT EXISTS ecard_codes (
  jti TEXT PRIMARY KEY, ssn TEXT NOT NULL, card_number TEXT NOT NULL, card_id_code TEXT NOT NULL,
  kid TEXT NOT NULL, iat INTEGER NOT NULL, exp INTEGER NOT NULL, issued_at TEXT NOT NULL,
  revoked_at TEXT, revoke_reason TEXT);
CREATE INDEX IF NOT EXISTS ecard_codes_card ON ecard_codes (ssn, card_number);
`;

export interface EcardIssuerKey {
  kid: string;
  privateKey: EcardKeyInput;
}

export interface EcardIssuerOptions {
  /** The issuing key. Default: the demo key `demo-1`. */
  key?: EcardIssuerKey;
  /** Signs the 'foreign' variant. Default: the demo key `foreign-1`, which no terminal trusts. */
  foreignKey?: EcardIssuerKey;
  /** Default lifetime of a code (s). Default ECARD_DEFAULT_TTL_SEC. */
  ttlSec?: number;
  /** Simulated cards: their expiry goes into `ce` (the store keeps no card expiry; other cards get none). */
  cards?: readonly CardProfile[];
}

export interface IssueEcardOptions {
  /** Picks one of the holder's cards; default: a normal card if any, else any. */
  cardNumber?: string;
  ttlSec?: number;
  /** Default 'valid'. */
  variant?: EcardIssueVariant;
}

export interface IssuedEcardCode {
  code: string;
  jti: string;
  /** The code's expiry, Unix seconds. */
  exp: number;
}

interface CodeRow {
  jti: string;
  ssn: string;
  card_number: string;
  revoked_at: string | null;
}

/**
 * A valid code with its cid changed and the original signature kept. Still well-formed JSON with a
 * valid schema, so a verifier reports ECARD_TAMPERED and not ECARD_MALFORMED.
 */
export function tamperEcardCode(code: string): string {
  const { claims, signature } = parseEcardCode(code);
  const last = claims.cid.at(-1)!;
  // Stay within the cid alphabet (digits, or hex for a serial): the schema must still accept it.
  const swapped = last === '0' ? '1' : '0';
  const forged: EcardClaims = { ...claims, cid: claims.cid.slice(0, -1) + swapped };
  return assembleEcardCode(encodeEcardPayload(forged), signature);
}

export class EcardIssuer {
  private readonly key: EcardIssuerKey;
  private readonly foreignKey: EcardIssuerKey;
  private readonly ttlSec: number;
  private readonly expiries = new Map<string, string>();

  constructor(
    private readonly store: BackendStore,
    private readonly clock: Clock,
    opts: EcardIssuerOptions = {},
  ) {
    this.key = opts.key ?? { kid: DEMO_ECARD_KID, privateKey: DEMO_ECARD_PRIVATE_KEY_PEM };
    this.foreignKey = opts.foreignKey ?? { kid: FOREIGN_ECARD_KID, privateKey: FOREIGN_ECARD_PRIVATE_KEY_PEM };
    this.ttlSec = opts.ttlSec ?? ECARD_DEFAULT_TTL_SEC;
    if (!Number.isInteger(this.ttlSec) || this.ttlSec < 1) throw new YktError('ECARD_CONFIG_INVALID', `e-card ttlSec must be a positive integer, not ${this.ttlSec}`);
    for (const p of opts.cards ?? []) {
      const r = resolveCardProfile(p);
      this.expiries.set(cardIdCodeOf(r), r.expiry);
    }
    applySchema(store.db, SCHEMA);
  }

  private pickCard(ssn: string, cardNumber?: string): { card_number: string; card_id_code: string; status: CardStatus } {
    const row = this.store.db
      .prepare(
        `SELECT card_number, card_id_code, status FROM cards WHERE ssn = ? AND (? IS NULL OR card_number = ?)
         ORDER BY CASE status WHEN 'normal' THEN 0 ELSE 1 END, card_number LIMIT 1`,
      )
      .get(ssn, cardNumber ?? null, cardNumber ?? null) as { card_number: string; card_id_code: string; status: CardStatus } | undefined;
    if (!row) throw new ApiError(404, 'NOT_FOUND', `no card${cardNumber ? ` ${cardNumber}` : ''} for holder ${maskId(ssn)}`);
    return row;
  }

  /**
   * Issues a code for one of the holder's cards, whatever the card's status: a citizen whose card
   * is lost may still use the e-card (e.g. to report the loss); the terminal's policy decides.
   * Variants (demo aids): 'expired' has its exp in the past on this backend's clock; 'tampered' is
   * a valid code with one claim altered; 'foreign' is signed with the untrusted foreign key and
   * is not kept (this backend would not know another issuer's code).
   */
  issue(ssn: string, o: IssueEcardOptions = {}): IssuedEcardCode {
    const variant = o.variant ?? 'valid';
    const ttl = o.ttlSec ?? this.ttlSec;
    if (!Number.isInteger(ttl) || ttl < 1) throw new ApiError(400, 'BAD_REQUEST', 'ttlSec must be a positive integer', 'BAD_REQUEST');
    const holder = this.store.holderProfile(ssn);
    const card = this.pickCard(ssn, o.cardNumber);
    const nowSec = Math.floor(this.clock.now() / 1000);
    const exp = variant === 'expired' ? nowSec - EXPIRED_AGO_SEC : nowSec + ttl;
    const key = variant === 'foreign' ? this.foreignKey : this.key;
    const ce = this.expiries.get(card.card_id_code);
    const claims: EcardClaims = {
      kid: key.kid,
      cid: card.card_id_code,
      cno: card.card_number,
      nm: maskName(holder.name),
      ...(ce ? { ce } : {}),
      iat: exp - ttl,
      exp,
      jti: randomBytes(8).toString('hex'),
    };
    const signed = signEcardCode(claims, key.privateKey);
    if (variant !== 'foreign') this.record(ssn, claims, variant === 'valid');
    return { code: variant === 'tampered' ? tamperEcardCode(signed) : signed, jti: claims.jti, exp };
  }

  private record(ssn: string, c: EcardClaims, supersede: boolean): void {
    const now = new Date(this.clock.now()).toISOString();
    this.store.db.transaction(() => {
      if (supersede) {
        this.store.db
          .prepare("UPDATE ecard_codes SET revoked_at = ?, revoke_reason = 'superseded' WHERE ssn = ? AND card_number = ? AND revoked_at IS NULL")
          .run(now, ssn, c.cno);
      }
      this.store.db
        .prepare('INSERT INTO ecard_codes (jti, ssn, card_number, card_id_code, kid, iat, exp, issued_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)')
        .run(c.jti, ssn, c.cno, c.cid, c.kid, c.iat, c.exp, now);
    })();
  }

  /** The online answer for a jti: the card's and holder's current data, not what was signed. */
  status(jti: string): EcardStatusResult {
    const row = this.store.db.prepare('SELECT jti, ssn, card_number, revoked_at FROM ecard_codes WHERE jti = ?').get(jti) as CodeRow | undefined;
    if (!row) return { status: 'unknown' };
    const { status: cardStatus } = this.store.cardStatus(row.ssn, row.card_number);
    const { name } = this.store.holderProfile(row.ssn);
    return { status: row.revoked_at ? 'revoked' : 'valid', cardStatus, ssn: row.ssn, name };
  }

  /** Withdraws one code (tests, /sim). Returns false when the jti is unknown or already revoked. */
  revoke(jti: string, reason = 'revoked'): boolean {
    const now = new Date(this.clock.now()).toISOString();
    return this.store.db.prepare('UPDATE ecard_codes SET revoked_at = ?, revoke_reason = ? WHERE jti = ? AND revoked_at IS NULL').run(now, reason, jti).changes > 0;
  }
}

/** The scenario runner's and /sim panel's entry point: anything with the embedded backend's helper. */
export function issueEcardCode(
  backend: { issueEcardCode(ssn: string, o?: IssueEcardOptions): IssuedEcardCode },
  ssn: string,
  o: IssueEcardOptions = {},
): string {
  return backend.issueEcardCode(ssn, o).code;
}
