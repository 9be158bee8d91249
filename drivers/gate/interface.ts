import type { EventEmitter } from 'node:events';
import type { DeviceStatus } from '../common/device-status.js';
import type { BoardState, BoardStatus, Direction, Lights } from './codec.js';
import type { GateErrorCode, GateFaultKind } from './errors.js';

export type { BoardState, BoardStatus, Direction, Lights, GateErrorCode, GateFaultKind };

/** 'passage': one person went through an opened gate (the board closed itself). */
export interface PassageEvent {
  /** From the event when the board sends it, else the direction the host last opened for. */
  direction?: Direction;
}

/** 'tailgating': someone went through a closed gate, followed a passage, or forced the arms. */
export interface TailgatingEvent {
  direction?: Direction;
}

/** 'fault': the board reported a fault (`F` + two digits, docs/gate.md). */
export interface GateFaultEvent {
  /** The board's two ASCII digits, e.g. '01'. */
  code: string;
  kind: GateFaultKind;
  /** Stable error code (GATE_MOTOR_FAULT …), also in DeviceStatus.lastFault. */
  errorCode: GateErrorCode;
  text: string;
}

/**
 * Gate (turnstile) I/O board (XFS4IoT style: commands, events, status).
 *
 * Naming: like every other driver here (card reader, PIN pad, printer), open() / close() open and
 * close the *device* (the port); the turnstile's arms are openGate() / closeGate().
 *
 * Commands resolve when the board has acknowledged them (ACK), i.e. accepted — not when the arms
 * have moved. They reject with a GateError (GATE_*) when the host refuses (bad parameter, board in
 * fault) or cannot read the answer, and with a LinkError (LINK_NAK / LINK_TIMEOUT / LINK_GARBLED,
 * status `fault`; LINK_DISCONNECTED, status `unplugged`) when the link failed after retries.
 *
 * Events:
 *  - 'passage' (PassageEvent)        a person went through; the board closed the gate
 *  - 'tailgating' (TailgatingEvent)  unauthorised / forced passage
 *  - 'fault' (GateFaultEvent)        the board reported a fault; status becomes `fault`
 *  - 'status' (DeviceStatus)         device status changed (ok / unplugged / fault)
 *  - 'reconnecting' ({attempt, delayMs}), 'reconnected' ()   after an unplug
 */
export interface GateBoard extends EventEmitter {
  readonly status: DeviceStatus;
  /**
   * What the host last knew of the board: from the last status reply, updated by acknowledged
   * commands and by events. Undefined before the first status reply. The board closes by itself
   * after its auto-close time without telling: queryStatus() is the truth.
   */
  readonly board?: BoardStatus;
  /**
   * Opens the port and reads the board's status once. Rejects (LINK_OPEN_FAILED, status `unplugged`)
   * when the port cannot be opened — the link keeps trying in the background. A board that opens but
   * does not answer leaves open() resolved with status `fault`.
   */
  open(): Promise<void>;
  close(): Promise<void>;
  /** Opens the arms for one passage. Rejects GATE_FAULT at once (nothing sent) while the board reports a fault. */
  openGate(direction: Direction): Promise<void>;
  closeGate(): Promise<void>;
  lights(lights: Lights): Promise<void>;
  alarm(on: boolean): Promise<void>;
  /** Asks the board (`S`) and updates `board`; a non-fault answer clears a reported board fault. */
  queryStatus(): Promise<BoardStatus>;
  /** Whether a command is in progress or queued (lets a runner wait for quiescence). */
  busy(): boolean;
}
