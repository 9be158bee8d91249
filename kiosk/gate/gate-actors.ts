import { fromPromise } from 'xstate';
import type { CardReader, ContactlessCard } from '../../drivers/card-reader/interface.js';
import type { Clock } from '../../drivers/common/clock.js';
import type { Logger } from '../../drivers/common/log.js';
import type { GateBoard } from '../../drivers/gate/interface.js';
import type { GateConfig, GateDecision, GateIdentity } from '../../flows/gate/index.js';
import type { SocialSecurityBackend } from '../backend/interface.js';
import type { Blacklist } from '../blacklist/blacklist.js';
import { authenticateCard } from '../card/authenticate.js';
import { mapPsamPowerError } from '../card/psam-power.js';
import { contactlessChannel, readTransitIdentity } from '../card/contactless.js';
import { checkEcardCode } from '../ecard/check.js';
import type { Passback } from './passback.js';

export interface GateActorDeps {
  reader: CardReader;
  gate: GateBoard;
  clock: Clock;
  logger: Logger;
  config: GateConfig;
  psamSlot: number;
  blacklist: Blacklist;
  passback: Passback;
  backend: Pick<SocialSecurityBackend, 'ecardStatus'>;
  ecardKeys: Readonly<Record<string, string>>;
  ecardSkewMs: number;
  /** The card the antenna has just activated (set by the tap poller before TAP is sent). */
  tapped(): ContactlessCard | undefined;
}

/** Card statuses the backend reports that keep a citizen out. */
const BLOCKED: Readonly<Record<string, 'card-lost' | 'blacklisted'>> = { lost: 'card-lost', 'temp-lost': 'card-lost', blacklisted: 'blacklisted', 'dead-holder': 'blacklisted' };

const today = (now: number) => new Date(now).toISOString().slice(0, 10);

/**
 * The gate machine's actors. Everything on the tap → open path is local: the card dialogue, the
 * PSAM, an in-memory blacklist and anti-passback map. Only a scanned code asks the backend, within
 * a budget, and decides offline when the answer is late.
 */
export function gateActors(d: GateActorDeps) {
  let psamUp = false;
  const psam = { transmit: (a: Uint8Array) => d.reader.psamTransmit(d.psamSlot, a) };
  const powerPsam = async () => {
    await d.reader.psamPowerOn(d.psamSlot).catch((e: unknown) => {
      throw mapPsamPowerError(e);
    });
    psamUp = true;
  };

  return {
    identifyCard: fromPromise<GateIdentity>(async () => {
      const card = d.tapped();
      if (!card) throw Object.assign(new Error('no tapped card'), { code: 'READER_NO_CONTACTLESS' });
      const channel = contactlessChannel(d.reader, card);
      try {
        const id = await readTransitIdentity(channel);
        if (d.config.authenticate) {
          // Powered once and kept: a gate has no time to power the PSAM on every tap.
          if (!psamUp) await powerPsam();
          try {
            await authenticateCard(channel, psam, id);
          } catch (e) {
            if ((e as { code?: string }).code !== 'PSAM_FAILED') throw e;
            // A reader reset powers the PSAM down: power it again once.
            await powerPsam();
            await authenticateCard(channel, psam, id);
          }
        }
        return { via: 'card', cardIdCode: id.cardIdCode, cardNumber: id.cardNumber, expiryDate: id.expiryDate };
      } finally {
        // Off the critical path: the gate board is on its own line.
        d.reader.contactlessDeactivate().catch(() => undefined);
      }
    }),

    identifyCode: fromPromise<GateIdentity, { text: string }>(async ({ input }) => {
      const r = await checkEcardCode(input.text, {
        publicKeys: d.ecardKeys,
        skewMs: d.ecardSkewMs,
        clock: d.clock,
        ...(d.config.codeOnlineBudgetMs > 0 ? { backend: d.backend, onlineBudgetMs: d.config.codeOnlineBudgetMs } : {}),
      });
      if (!r.ok) throw r.error;
      const c = r.claims;
      const expiry = c.ce ? `${c.ce.slice(0, 4)}-${c.ce.slice(4, 6)}-${c.ce.slice(6, 8)}` : '9999-12-31';
      return {
        via: 'code',
        cardIdCode: c.cid,
        cardNumber: c.cno,
        expiryDate: expiry,
        jti: c.jti,
        ...(r.online === 'checked' ? { onlineStatus: r.holder.cardStatus } : {}),
      };
    }),

    decide: fromPromise<GateDecision, { identity: GateIdentity }>(async ({ input }) => {
      const id = input.identity;
      const now = d.clock.now();
      const online = id.onlineStatus !== undefined;
      if (d.blacklist.has(id.cardIdCode)) return { allow: false, reason: 'blacklisted', online };
      const blocked = id.onlineStatus ? BLOCKED[id.onlineStatus] : undefined;
      if (blocked) return { allow: false, reason: blocked, online };
      if (id.expiryDate < today(now)) return { allow: false, reason: 'card-expired', online };
      if (d.passback.blocks(id.cardIdCode, now)) return { allow: false, reason: 'passback', online };
      return { allow: true, online };
    }),

    openGate: fromPromise<void>(async () => {
      await d.gate.openGate(d.config.direction);
      d.gate.lights('green').catch((e: unknown) => d.logger.warn({ err: e }, 'gate lights failed'));
    }),

    closeGate: fromPromise<void>(async () => {
      await d.gate.closeGate();
    }),
  };
}
