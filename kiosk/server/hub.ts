import type { HostSnapshot, Intent } from '../../flows/view/protocol.js';
import type { SimPanelState, SimResult } from './sim-protocol.js';

export type { SimPanelState, SimResult } from './sim-protocol.js';

/**
 * What the UI server needs from the host: the latest snapshot, a feed of new ones, and a sink for
 * what the citizen touched. The host owns all state; the server only relays.
 */
export interface SnapshotHub {
  current(): HostSnapshot;
  /** Returns the unsubscribe function. */
  subscribe(fn: (s: HostSnapshot) => void): () => void;
  intent(i: Intent): void;
}

/** The simulator controls behind `/sim/api/*`; only given when the host runs simulated devices. */
export interface SimPanelApi {
  state(): SimPanelState;
  insert(handle: string): Promise<SimResult>;
  take(): Promise<SimResult>;
  keys(keys: string): Promise<SimResult>;
  fault(device: string, kind: string): Promise<SimResult>;
  tap(handle: string, holdMs?: number): Promise<SimResult>;
  scan(what: { text: string } | { ecard: string; variant: 'valid' | 'expired' | 'tampered' | 'foreign' }): Promise<SimResult>;
  pass(tailgate: boolean): Promise<SimResult>;
  /** Takes the receipt waiting in the printer's exit; ok:false when there is none. */
  takeReceipt(): Promise<SimResult>;
  /**
   * A PNG of the last printed document, rendered once per document (a file the server streams and
   * must not modify), or undefined when nothing was printed.
   */
  receiptPng(): Promise<ReceiptPng | undefined>;
  /** Releases what the API holds (rendered files); called when the UI server closes. */
  dispose?(): Promise<void>;
}

export interface ReceiptPng {
  /** The document's id (SimPrinterDocument.id): same id, same picture. */
  id: string;
  file: string;
}
