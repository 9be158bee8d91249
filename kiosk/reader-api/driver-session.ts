/**
 * ReaderSession over the real drivers: the motorized reader (contact), its antenna (contactless),
 * its PSAM slot, and the encrypting PIN pad. It reuses the kiosk's card layer and PIN actors so an
 * API call reads, authenticates and handles the PIN exactly as a citizen's visit does — including
 * the rule that the PIN digits exist only inside the pad (docs/security.md).
 */
import type { CardReader, ContactlessCard } from '../../drivers/card-reader/interface.js';
import type { PinPad, PinSlot } from '../../drivers/pinpad/interface.js';
import { atrHistoricalBytes } from '../card/atr.js';
import { authenticateCard } from '../card/authenticate.js';
import { errorCodeOf } from '../card/card-error.js';
import type { CardInfo } from '../card/card-info.js';
import type { ApduPort, CardChannel } from '../card/channel.js';
import { contactlessChannel } from '../card/contactless.js';
import { presentPinCommand } from '../card/pin.js';
import { mapPsamPowerError } from '../card/psam-power.js';
import { powerOnCard, readCardInfo, selectSsse } from '../card/read-card.js';
import { PinFlowError, clearPad, secureEntry } from '../session/pin-actors.js';
import { ReaderApiError } from './errors.js';
import type { CardInterface, ReaderInfo } from './functions.js';
import type { OpenedSession } from './arbiter.js';

/** Which entry the citizen is asked for, so the host can show a prompt beside the pad's own. */
export type PinPrompt = 'verify' | 'old' | 'new' | 'confirm';

export interface DriverSessionDeps {
  reader: CardReader;
  pinpad: PinPad;
  psamSlot: number;
  /** devices.pinpad minLength / maxLength / entryTimeoutSec. */
  entry: { minLength: number; maxLength: number; timeoutSec: number };
  onPinPrompt?(prompt: PinPrompt): void;
}

/** Reader states in which a command cannot reach it at all. */
const OFFLINE = new Set(['unplugged', 'starting', 'not-configured']);
/** Answers of an antenna that has no card to activate (or no antenna). */
const NO_FIELD_CARD = new Set(['READER_NO_CONTACTLESS', 'READER_CONTACTLESS_COMM', 'READER_UNDEFINED_COMMAND']);

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex').toUpperCase();

/**
 * Historical bytes of an ATR (contact) or of an ISO 14443-4 ATS (`TL T0 [TA][TB][TC] T1..Tk`),
 * which carries the same bytes for a contactless card. Simulated cards answer activation with
 * their ATR, hence the first-byte test.
 */
export function historicalBytes(answer: Uint8Array): Uint8Array | null {
  if (answer[0] === 0x3b || answer[0] === 0x3f) return atrHistoricalBytes(answer);
  const tl = answer[0] ?? 0;
  if (tl < 1 || tl > answer.length) return null;
  if (tl === 1) return new Uint8Array(0);
  const t0 = answer[1]!;
  const start = 2 + [0x10, 0x20, 0x40].filter((bit) => t0 & bit).length;
  return start <= tl ? answer.slice(start, tl) : null;
}

export function createDriverSession(d: DriverSessionDeps): OpenedSession {
  const { reader, pinpad } = d;
  let activated: ContactlessCard | undefined;
  let contactPowered = false;
  const psam: ApduPort = { transmit: (a) => reader.psamTransmit(d.psamSlot, a) };
  const contact: CardChannel = {
    powerOn: async () => {
      const atr = await reader.powerOn();
      contactPowered = true;
      return atr;
    },
    transmit: (a) => reader.transmit(a),
  };

  const requireOnline = () => {
    if (OFFLINE.has(reader.status.state)) throw new ReaderApiError('READER_API_NOT_CONNECTED', `the reader is ${reader.status.state}`);
  };

  async function activate(): Promise<ContactlessCard | undefined> {
    if (activated) return activated;
    try {
      activated = await reader.contactlessActivate();
      return activated;
    } catch (e) {
      if (NO_FIELD_CARD.has(errorCodeOf(e) ?? '')) return undefined;
      throw e;
    }
  }

  async function hasCard(via: CardInterface): Promise<boolean> {
    if (via === 'contact') return (await reader.getSensors()).position === 'inside';
    return (await activate()) !== undefined;
  }

  async function fieldChannel(): Promise<CardChannel> {
    const card = await activate();
    if (!card) throw new ReaderApiError('READER_API_NO_CARD', 'no card on the antenna');
    return contactlessChannel(reader, card);
  }

  /** A fresh card (cold reset) with the social security application selected, for PIN commands. */
  async function openForPin(via: CardInterface): Promise<ApduPort> {
    const channel = via === 'contact' ? contact : await fieldChannel();
    await powerOnCard(channel);
    await selectSsse(channel);
    return channel;
  }

  const pinDeps = { reader, pinpad, entry: d.entry };
  const abandoned = () => new PinFlowError('PIN_CANCELLED', 'the caller went away');

  async function entry(prompt: PinPrompt, signal: AbortSignal): Promise<void> {
    d.onPinPrompt?.(prompt);
    await secureEntry(pinDeps, signal);
  }

  return {
    async cardPresent(order) {
      requireOnline();
      for (const via of order) if (await hasCard(via)) return via;
      return 'none';
    },

    async readCardInfo(via): Promise<CardInfo> {
      requireOnline();
      let info: CardInfo;
      let channel: CardChannel;
      if (via === 'contact') {
        channel = contact;
        info = await readCardInfo(channel);
      } else {
        channel = await fieldChannel();
        info = await readCardInfo(channel);
        const h = historicalBytes(activated!.ats);
        info = { ...info, atrHistorical: h ? hex(h) : '' };
      }
      // Powered for each read, as the kiosk does: a reader reset since the last call powers it down.
      await reader.psamPowerOn(d.psamSlot).catch((e: unknown) => {
        throw mapPsamPowerError(e);
      });
      await authenticateCard(channel, psam, info);
      return info;
    },

    async verifyPin(via, signal) {
      requireOnline();
      const port = await openForPin(via);
      try {
        await entry('verify', signal);
        const apdu = await pinpad.buildVerifyApdu();
        if (signal.aborted) {
          // Nobody waits for the answer: do not spend one of the card's tries.
          apdu.fill(0);
          throw abandoned();
        }
        await presentPinCommand(port, apdu);
      } finally {
        await clearPad(pinpad);
      }
    },

    async changePin(via, signal) {
      requireOnline();
      const port = await openForPin(via);
      const prompts: Record<PinSlot, PinPrompt> = { 1: 'old', 2: 'new', 3: 'confirm' };
      try {
        for (const slot of [1, 2, 3] as const) {
          await entry(prompts[slot], signal);
          await pinpad.storeEntry(slot);
        }
        await pinpad.checkNewPin();
        const apdu = await pinpad.buildChangePinApdu();
        if (signal.aborted) {
          apdu.fill(0);
          throw abandoned();
        }
        await presentPinCommand(port, apdu);
      } finally {
        // Wipes the buffer and the three slots whatever happened (docs/security.md).
        await clearPad(pinpad);
      }
    },

    async readerInfo(): Promise<ReaderInfo> {
      requireOnline();
      await reader.getSensors();
      await reader.psamPowerOn(d.psamSlot).catch((e: unknown) => {
        throw mapPsamPowerError(e);
      });
      // The reference reader reports no serial and the host does not read the PSAM's terminal
      // number file yet: both come from the configuration (docs/reader-api.md).
      return {};
    },

    async end() {
      // Leave nothing powered: a card left in a PIN-verified state would serve the next holder.
      if (activated) await reader.contactlessDeactivate().catch(() => undefined);
      if (contactPowered) await reader.powerOff().catch(() => undefined);
      activated = undefined;
      contactPowered = false;
    },
  };
}
