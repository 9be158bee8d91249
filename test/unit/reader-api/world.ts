/**
 * The reader API against the simulated world (kiosk/sim/world.ts): the real reader and PIN pad
 * drivers over the world's serial ports, the fixture cards, the PSAM with the demo keys. Real
 * clock with zero device delays and an instant wire, so HTTP and devices share one notion of time.
 */
import { realClock } from '../../../drivers/common/clock.js';
import { silentLogger, type Logger } from '../../../drivers/common/log.js';
import { createCardReader } from '../../../drivers/card-reader/driver.js';
import type { CardReader } from '../../../drivers/card-reader/interface.js';
import { createPinPad } from '../../../drivers/pinpad/driver.js';
import type { PinPad } from '../../../drivers/pinpad/interface.js';
import { openTransport } from '../../../drivers/serial/open-transport.js';
import { ReaderArbiter, arbitratedAccess } from '../../../kiosk/reader-api/arbiter.js';
import { createDriverSession, type PinPrompt } from '../../../kiosk/reader-api/driver-session.js';
import { type CardAccess, createReaderFunctions, type ReaderFunctions } from '../../../kiosk/reader-api/functions.js';
import { SimWorld } from '../../../kiosk/sim/world.js';
import type { SimCard } from '../../../drivers/card-reader/sim/chip/index.js';
import { loadFixtureCards } from '../../fixtures/cards/index.js';

export const TERMINAL_ID = 'YKT-SIM-0001';
export const DEVICE_ID = 'RDR-SIM-0001';
export const PSAM_SLOT = 1;

export interface World {
  world: SimWorld;
  reader: CardReader;
  pinpad: PinPad;
  arbiter: ReaderArbiter;
  access: CardAccess;
  fns: ReaderFunctions;
  prompts: PinPrompt[];
  /** Inserts fixture card `handle` into the motorized reader (it stays inside). */
  insert(handle: string): Promise<void>;
  /** Holds fixture card `handle` to the antenna for the rest of the test. */
  tap(handle: string): void;
  /** The PIN tries the simulated chip of `handle` has left. */
  triesLeft(handle: string): number;
  /** Waits until the pad asks for a PIN, then types `keys` (digits, or 'cancel') and Enter. */
  typeWhenAsked(keys: string): Promise<void>;
  close(): Promise<void>;
}

export async function until(cond: () => boolean, ms = 5_000): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 2));
  }
}

export async function setupWorld(opts: { logger?: Logger } = {}): Promise<World> {
  const clock = realClock;
  const logger = opts.logger ?? silentLogger;
  const world = new SimWorld({
    clock,
    readerPath: 'sim:reader',
    psamSlot: PSAM_SLOT,
    cards: loadFixtureCards(),
    readerDelays: { motor: 0, powerOn: 0, apdu: 0, other: 0 },
    instantWire: true,
  });
  const reader = createCardReader({
    transport: openTransport({ kind: 'sim', path: 'sim:reader', baudRate: 115200 }, { clock, logger, simRegistry: world.registry }),
    clock,
    logger,
    baudRate: 115200,
  });
  const pinpad = createPinPad({
    transport: openTransport({ kind: 'sim', path: world.pinpadPath, baudRate: 9600 }, { clock, logger, simRegistry: world.registry }),
    clock,
    logger,
    baudRate: 9600,
  });
  await reader.open();
  await pinpad.open();
  const arbiter = new ReaderArbiter();
  const prompts: PinPrompt[] = [];
  const access = arbitratedAccess(arbiter, () =>
    createDriverSession({
      reader,
      pinpad,
      psamSlot: PSAM_SLOT,
      entry: { minLength: 6, maxLength: 6, timeoutSec: 30 },
      onPinPrompt: (p) => prompts.push(p),
    }),
  );
  const fns = createReaderFunctions({ access, terminalId: TERMINAL_ID, deviceId: DEVICE_ID });
  return {
    world,
    reader,
    pinpad,
    arbiter,
    access,
    fns,
    prompts,
    async insert(handle) {
      await reader.enableInsertion();
      const r = world.insert(handle);
      if (!r.ok) throw new Error(`insert ${handle}: ${r.message}`);
      await reader.disableInsertion();
    },
    tap(handle) {
      const r = world.tap(handle, 600_000);
      if (!r.ok || !r.contactless) throw new Error(`tap ${handle}: ${r.message}`);
    },
    triesLeft(handle) {
      return (world.chip(handle) as SimCard).pinTriesLeft;
    },
    async typeWhenAsked(keys) {
      await until(() => world.pinpad.entry.phase === 'active');
      if (keys === 'cancel') {
        world.keys('cancel');
        return;
      }
      const r = world.keys(keys);
      if (!r.ok) throw new Error(`keys: ${r.message}`);
      world.keys('enter');
    },
    async close() {
      world.reader.setFieldCard(null);
      await reader.close().catch(() => undefined);
      await pinpad.close().catch(() => undefined);
      await world.close();
    },
  };
}
