import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { VirtualClock } from '../../../drivers/common/clock.js';
import { silentLogger } from '../../../drivers/common/log.js';
import { FrameLink } from '../../../drivers/serial/frame-link.js';
import type { LinkToken, StreamDecoder } from '../../../drivers/serial/link-types.js';
import type { ByteTransport } from '../../../drivers/serial/transport.js';

/** Gate-style frames (STX CMD DATA ETX BCC, no length): enough of a decoder to drive 'reply' mode. */
class GateDecoder implements StreamDecoder<string> {
  private buf: number[] = [];
  push(bytes: Uint8Array): LinkToken<string>[] {
    const out: LinkToken<string>[] = [];
    for (const b of bytes) {
      if (this.buf.length === 0 && b === 0x06) out.push({ kind: 'ack' });
      else if (this.buf.length === 0 && b === 0x15) out.push({ kind: 'nak' });
      else if (this.buf.length > 0 || b === 0x02) {
        this.buf.push(b);
        const n = this.buf.length;
        if (n >= 4 && this.buf[n - 2] === 0x03) {
          const raw = Uint8Array.from(this.buf);
          this.buf = [];
          out.push({ kind: 'frame', frame: String.fromCharCode(raw[1]), raw });
        }
      }
    }
    return out;
  }
  expire(): LinkToken<string>[] {
    return [];
  }
  nextDeadline(): undefined {
    return undefined;
  }
  reset(): void {
    this.buf = [];
  }
}

class ScriptedTransport extends EventEmitter implements ByteTransport {
  readonly description = 'scripted';
  isOpen = false;
  readonly writes: string[] = [];
  constructor(private readonly answer: (bytes: Uint8Array, n: number) => number[] | undefined) {
    super();
  }
  async open(): Promise<void> {
    this.isOpen = true;
  }
  async close(): Promise<void> {
    this.isOpen = false;
  }
  async write(bytes: Uint8Array): Promise<void> {
    this.writes.push(Buffer.from(bytes).toString('hex'));
    const a = this.answer(bytes, this.writes.length);
    if (a) setImmediate(() => this.emit('data', Buffer.from(a)));
  }
}

describe('FrameLink in reply mode (gate: ACK/NAK replies)', () => {
  it('resolves on ACK, retransmits on NAK, emits unsolicited frames without ACKing them', async () => {
    const clock = new VirtualClock();
    // First try NAKed, second ACKed; a passage event follows.
    const t = new ScriptedTransport((_b, n) => (n === 1 ? [0x15] : n === 2 ? [0x06, 0x02, 0x50, 0x03, 0x51] : undefined));
    const link = new FrameLink<string>({ device: 'gate', transport: t, clock, logger: silentLogger, decoder: new GateDecoder(), handshake: 'reply' });
    const events: string[] = [];
    link.on('event', (f: string) => events.push(f));
    await link.open();
    const open = Uint8Array.from([0x02, 0x4f, 0x31, 0x03, 0x7f]);
    let reply: unknown;
    void link.send({ bytes: open, label: 'open', timeoutMs: 500, matches: () => false }).then((r) => (reply = r));
    await clock.runUntil(() => reply !== undefined && events.length > 0, 5000);
    expect(reply).toEqual({ kind: 'ack' });
    expect(t.writes).toEqual(['024f31037f', '024f31037f']);
    expect(events).toEqual(['P']);
  });

  it('fails with LINK_TIMEOUT after 1 + 3 silent tries', async () => {
    const clock = new VirtualClock();
    const t = new ScriptedTransport(() => undefined);
    const link = new FrameLink<string>({ device: 'gate', transport: t, clock, logger: silentLogger, decoder: new GateDecoder(), handshake: 'reply' });
    await link.open();
    let err: { code?: string } | undefined;
    link.send({ bytes: Uint8Array.of(0x02, 0x53, 0x03, 0x52), label: 'status', timeoutMs: 200 }).catch((e: { code?: string }) => (err = e));
    await clock.runUntil(() => err !== undefined, 5000);
    expect(err?.code).toBe('LINK_TIMEOUT');
    expect(t.writes).toHaveLength(4);
  });
});
