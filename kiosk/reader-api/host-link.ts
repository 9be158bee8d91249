/**
 * The reader API inside the kiosk host: one arbiter between the citizen's visit and the hospital
 * software's calls. A visit holds the reader from its first card command until it is back at the
 * idle screen; an API call holds it for that call only and is refused with the busy code (-90)
 * while a visit holds it. A visit that starts during an API call waits for that one call.
 */
import type { CardReader } from '../../drivers/card-reader/interface.js';
import type { Clock } from '../../drivers/common/clock.js';
import type { Logger } from '../../drivers/common/log.js';
import type { PinPad } from '../../drivers/pinpad/interface.js';
import { ReaderArbiter, arbitratedAccess, type Release } from './arbiter.js';
import type { KioskConfig } from '../config/schema.js';
import { createDriverSession } from './driver-session.js';
import { createReaderApiServer, type ReaderApiServer } from './server.js';

export interface ReaderApiLink {
  readonly url: string;
  /** The visit needs the reader now (resolves once it holds it). */
  holdForVisit(): Promise<void>;
  /** The visit is over (back at idle). */
  releaseVisit(): void;
  /** An API client holds the reader (the kiosk does not poll the antenna meanwhile). */
  apiHolding(): boolean;
  close(): Promise<void>;
}

export async function startReaderApi(h: { config: KioskConfig; reader: CardReader; pinpad: PinPad; clock: Clock; logger: Logger }): Promise<ReaderApiLink> {
  const pad = h.config.devices.pinpad;
  const d = {
    config: h.config.readerApi,
    reader: h.reader,
    pinpad: h.pinpad,
    psamSlot: h.config.devices.reader.psamSlot,
    entry: { minLength: pad.minLength, maxLength: pad.maxLength, timeoutSec: pad.entryTimeoutSec },
    terminalId: h.config.terminalId,
    clock: h.clock,
    logger: h.logger,
  };
  const arbiter = new ReaderArbiter();
  const access = arbitratedAccess(arbiter, () => createDriverSession({ reader: d.reader, pinpad: d.pinpad, psamSlot: d.psamSlot, entry: d.entry }));
  const server: ReaderApiServer = await createReaderApiServer({
    host: d.config.host,
    port: d.config.port,
    tokens: d.config.tokens,
    access,
    logger: d.logger.child({ mod: 'reader-api' }),
    terminalId: d.terminalId,
    deviceId: d.config.deviceId ?? d.terminalId,
    allowedOrigins: d.config.allowedOrigins,
    maxRequestsPerSecond: d.config.maxRequestsPerSecond,
    clock: d.clock,
  });
  let visit: Promise<Release> | undefined;
  return {
    url: server.url,
    holdForVisit: () => {
      visit ??= arbiter.acquire({ kind: 'kiosk' });
      return visit.then(() => undefined);
    },
    releaseVisit: () => {
      const held = visit;
      visit = undefined;
      void held?.then((release) => release());
    },
    apiHolding: () => arbiter.holder?.kind === 'api',
    close: () => server.close(),
  };
}
