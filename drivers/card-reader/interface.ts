import type { EventEmitter } from 'node:events';
import type { DeviceStatus } from '../common/device-status.js';

/** ST0: where the card is. */
export type CardPosition = 'none' | 'gate' | 'inside';

export interface ReaderSensors {
  position: CardPosition;
  binFull: boolean;
  insertionEnabled: boolean;
}

export type InitMode = 'eject' | 'retain' | 'keep';

export interface ContactlessCard {
  type: 'A' | 'B';
  uid: Uint8Array;
  ats: Uint8Array;
}

/**
 * Motorized IC card reader with PSAM slots (XFS4IoT CardReader split: commands, events, status).
 *
 * Events:
 *  - 'card-inserted' (sensors)   a card arrived inside the reader
 *  - 'card-at-gate' (sensors)    a card is at the gate (mouth)
 *  - 'card-removed' (sensors)    the card was taken from the gate (or pulled out)
 *  - 'card-retained' (sensors)   the card went into the capture bin (never reported as removed)
 *  - 'status' (DeviceStatus)     device status changed (ok / unplugged / fault ...)
 *
 * Every command rejects with a ReaderError (code READER_*) on a negative answer, and with a
 * DeviceError (LINK_*) when the link failed after retries.
 */
export interface CardReader extends EventEmitter {
  readonly status: DeviceStatus;
  open(): Promise<void>;
  close(): Promise<void>;
  initialize(mode: InitMode): Promise<ReaderSensors>;
  getSensors(): Promise<ReaderSensors>;
  moveToReadPosition(): Promise<ReaderSensors>;
  retain(): Promise<ReaderSensors>;
  eject(): Promise<ReaderSensors>;
  enableInsertion(): Promise<ReaderSensors>;
  disableInsertion(): Promise<ReaderSensors>;
  /** Cold reset of the user card; resolves with the ATR. */
  powerOn(): Promise<Uint8Array>;
  powerOff(): Promise<void>;
  /** C-APDU in, R-APDU (data + SW1 SW2) out. */
  transmit(apdu: Uint8Array): Promise<Uint8Array>;
  psamPowerOn(slot: number): Promise<Uint8Array>;
  psamTransmit(slot: number, apdu: Uint8Array): Promise<Uint8Array>;
  contactlessActivate(): Promise<ContactlessCard>;
  contactlessTransmit(apdu: Uint8Array): Promise<Uint8Array>;
  contactlessDeactivate(): Promise<void>;
  /** Whether a command is in progress or queued (lets a runner wait for quiescence). */
  busy?(): boolean;
}
