/**
 * The kiosk's other ways into a visit besides the card slot: the reader's contactless antenna
 * (polled by the gate's TapPoller) and the QR scanner. Both are listened to only while the session
 * is idle: the poller runs only then (it must not talk to the reader during a card dialogue), and
 * the scanner drops codes otherwise.
 */
import type { ContactlessCard } from '../../drivers/card-reader/interface.js';
import type { Clock } from '../../drivers/common/clock.js';
import type { DeviceStatus } from '../../drivers/common/device-status.js';
import type { Logger } from '../../drivers/common/log.js';
import type { QrScanner } from '../../drivers/scanner/interface.js';
import type { KioskConfig } from '../config/schema.js';
import type { DeviceDeps } from '../devices/index.js';
import { createConfiguredScanner } from '../devices/scanner.js';
import { TapPoller, type TapPollerDeps } from '../gate/tap-poller.js';

/** The reader protocol's antenna poll interval. */
export const TAP_POLL_MS = 150;

export interface CardlessInputsDeps {
  config: KioskConfig;
  devices: DeviceDeps;
  reader: TapPollerDeps['reader'];
  clock: Clock;
  logger: Logger;
  /** Whether a new visit may start now (session idle, reader ok). */
  ready(): boolean;
  onTap(): void;
  onScan(text: string): void;
  /** The scanner's status changed (device `scanner`). */
  onStatus(state: string): void;
}

export class CardlessInputs {
  private readonly poller: TapPoller | undefined;
  readonly scanner: (QrScanner & { busy?(): boolean }) | undefined;
  private card: ContactlessCard | undefined;
  private polling = false;
  private stopped = false;

  constructor(private readonly d: CardlessInputsDeps) {
    const s = d.config.session;
    if (s.acceptTap) {
      this.poller = new TapPoller({
        reader: d.reader,
        clock: d.clock,
        logger: d.logger,
        pollMs: TAP_POLL_MS,
        wanted: () => d.ready(),
        onTap: (card) => {
          this.card = card;
          d.onTap();
          // Not taken after all (the session left idle meanwhile): keep listening.
          if (d.ready()) this.poller?.resume();
        },
      });
    }
    // A hardware kiosk whose config names no scanner port has none (the default is the simulator's).
    const simOnly = d.config.mode === 'hardware' && d.config.devices.scanner.transport.kind === 'sim';
    this.scanner = s.acceptCode && !simOnly ? createConfiguredScanner(d.config, d.devices) : undefined;
    if (this.scanner) {
      const scanner = this.scanner;
      scanner.disable();
      scanner.on('status', (st: DeviceStatus) => d.onStatus(st.state));
      scanner.on('scan', (e: { text: string }) => {
        if (d.ready()) d.onScan(e.text);
      });
      scanner.open().then(
        () => d.onStatus(scanner.status.state),
        (e: unknown) => {
          if (this.stopped) return;
          d.onStatus(scanner.status.state === 'ok' ? 'fault' : scanner.status.state);
          d.logger.error({ err: e, device: 'scanner' }, 'QR scanner could not be opened: codes not accepted');
        },
      );
    }
  }

  /** Device status of the scanner as the operator sees it. */
  scannerState(): string {
    return this.scanner ? this.scanner.status.state : 'not-configured';
  }

  /** The card the antenna activated for the last tap (readTapped reads it). */
  tapped(): ContactlessCard | undefined {
    return this.card;
  }

  /** Follow the session: listen while it is idle, not otherwise. */
  setIdle(idle: boolean): void {
    if (this.stopped) return;
    if (idle) {
      this.card = undefined;
      this.scanner?.enable();
      if (this.poller && !this.polling) {
        this.polling = true;
        // Paused after the tap that started the last visit: resume. The card that is still on the
        // antenna (same UID) counts again only once it has left.
        this.poller.resume();
        this.poller.start();
      }
    } else {
      this.scanner?.disable();
      if (this.poller && this.polling) {
        this.polling = false;
        this.poller.stop();
      }
    }
  }

  busy(): boolean {
    return (this.poller?.busy() ?? false) || (this.scanner?.busy?.() ?? false);
  }

  stop(): Promise<void> {
    this.stopped = true;
    this.poller?.stop();
    return this.scanner?.close().catch(() => undefined) ?? Promise.resolve();
  }

  kill(): void {
    void this.stop();
    this.scanner?.removeAllListeners();
  }
}
