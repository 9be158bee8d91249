/**
 * Simulated serial QR scanner on a SimPortRegistry line (default path 'sim:scanner', 9600 8N1).
 * scan() writes the code's UTF-8 bytes and its terminator on the far side of the port, so every
 * byte crosses the wire with its wire time and goes through the host's real line splitter.
 */
import type { SimDevice, SimPortRegistry } from '../../serial/sim-binding.js';
import { garbleBytes, type GarbleKind } from './garble.js';

export type ScanTerminator = 'CR' | 'LF' | 'CRLF';
export const SIM_SCANNER_PATH = 'sim:scanner';

const TERMINATORS: Readonly<Record<ScanTerminator, Buffer>> = {
  CR: Buffer.of(0x0d),
  LF: Buffer.of(0x0a),
  CRLF: Buffer.of(0x0d, 0x0a),
};

export interface SerialScannerSimOptions {
  /** Suffix after each code (default CR, as devices.md §4). */
  terminator?: ScanTerminator;
}

export class SerialScannerSim implements SimDevice {
  private send: (bytes: Buffer) => void = () => undefined;
  private line?: { registry: SimPortRegistry; path: string };
  private garbleNext?: GarbleKind;
  private readonly terminator: ScanTerminator;
  /** Bytes the host wrote to the scanner (the reference scanner has no commands; kept for tests). */
  readonly received: Buffer[] = [];
  /** Codes sent since creation. */
  scans = 0;

  constructor(opts: SerialScannerSimOptions = {}) {
    this.terminator = opts.terminator ?? 'CR';
  }

  /** Registers on `registry` at `path`; unplug()/replug() then work on that line. */
  attach(registry: SimPortRegistry, path = SIM_SCANNER_PATH, baudRate = 9600): this {
    registry.register(path, this, { baudRate });
    this.line = { registry, path };
    return this;
  }

  // ---- SimDevice ----------------------------------------------------------------------------

  connect(send: (bytes: Buffer) => void): void {
    this.send = send;
  }

  receive(bytes: Buffer): void {
    this.received.push(Buffer.from(bytes));
  }

  // ---- the scanner --------------------------------------------------------------------------

  /** A code held under the scanner. While unplugged it is lost, as on the real line. */
  scan(text: string, opts: { terminator?: ScanTerminator } = {}): void {
    let bytes: Uint8Array = Buffer.from(text, 'utf8');
    if (this.garbleNext) {
      bytes = garbleBytes(bytes, this.garbleNext);
      this.garbleNext = undefined;
    }
    this.scans++;
    this.send(Buffer.concat([bytes, TERMINATORS[opts.terminator ?? this.terminator]]));
  }

  /** Raw bytes on the line (noise, a code without terminator). */
  sendRaw(bytes: Uint8Array): void {
    this.send(Buffer.from(bytes));
  }

  /** The next code arrives damaged ('alter': different text; 'invalid': not UTF-8). */
  garble(kind: GarbleKind = 'alter'): void {
    this.garbleNext = kind;
  }

  unplug(): void {
    this.requireLine().registry.unplug(this.requireLine().path);
  }

  replug(): void {
    this.requireLine().registry.replug(this.requireLine().path);
  }

  get plugged(): boolean {
    return this.line ? this.line.registry.isPlugged(this.line.path) : true;
  }

  private requireLine(): { registry: SimPortRegistry; path: string } {
    if (!this.line) throw new Error('SerialScannerSim: attach() it to a SimPortRegistry before unplug()/replug()');
    return this.line;
  }
}
