import { describe, expect, it } from 'vitest';
import { encodeCommand, encodeEvent, encodeStatusReply, type GateFrame } from '../../../drivers/gate/codec.js';
import { GateStreamDecoder } from '../../../drivers/gate/decoder.js';
import type { LinkToken } from '../../../drivers/serial/link-types.js';
import { h, hex } from './harness.js';

/** Tokens as short strings: 'ack', 'nak', 'frame:<hex>', 'garbled:<reason>'. */
function show(tokens: LinkToken<GateFrame>[]): string[] {
  return tokens.map((t) => (t.kind === 'frame' ? `frame:${hex(t.raw)}` : t.kind === 'garbled' ? `garbled:${t.reason}` : t.kind));
}

function feed(bytes: Uint8Array, opts: { byByte?: boolean; now?: number } = {}): { d: GateStreamDecoder; out: string[] } {
  const d = new GateStreamDecoder();
  const out: string[] = [];
  if (opts.byByte) for (const b of bytes) out.push(...show(d.push(Uint8Array.of(b), opts.now ?? 0)));
  else out.push(...show(d.push(bytes, opts.now ?? 0)));
  return { d, out };
}

describe('gate stream decoder', () => {
  it('decodes the worked examples whole and byte by byte', () => {
    for (const byByte of [false, true]) {
      expect(feed(h('02 4F 31 03 7F 02 50 03 51'), { byByte }).out).toEqual(['frame:024F31037F', 'frame:02500351']);
    }
  });

  it('ACK and NAK outside frames; a BCC of 15 inside a frame is no NAK', () => {
    const status = encodeStatusReply({ state: 'open-in', lights: 'green', alarm: true });
    expect(hex(status).slice(-2)).toBe('15');
    expect(feed(Uint8Array.of(0x06, ...status, 0x15, 0x06), { byByte: true }).out).toEqual(['ack', `frame:${hex(status)}`, 'nak', 'ack']);
  });

  it('noise before a frame is one garbled token, then the frame', () => {
    expect(feed(h('FF 00 7E 02 50 03 51')).out).toEqual(['garbled:3 byte(s) outside a frame', 'frame:02500351']);
    expect(feed(h('86 06')).out).toEqual(['garbled:1 byte(s) outside a frame', 'ack']);
  });

  it('a false STX is dropped and the scan restarts at the next one', () => {
    expect(feed(h('02 02 50 03 51')).out).toEqual(['garbled:bad CMD', 'frame:02500351']);
    // A frame cut short by a new frame: the new frame survives.
    expect(feed(h('02 4F 31 02 54 03 55')).out).toEqual(['garbled:non-ASCII byte in frame', 'frame:02540355']);
    // A garbage "frame" whose BCC would be the next STX: rescanned from byte 1, the real frame is found.
    expect(feed(h('02 41 03 02 50 03 51')).out).toEqual(['garbled:BCC mismatch', 'frame:02500351']);
  });

  it('a wrong BCC is reported once, and the following frame still decodes', () => {
    expect(feed(h('02 4F 31 03 7E 06 02 50 03 51')).out).toEqual(['garbled:BCC mismatch', 'ack', 'frame:02500351']);
  });

  it('a frame broken by an ACK: garbled, then the ACK counts', () => {
    expect(feed(h('02 4F 31 06')).out).toEqual(['garbled:non-ASCII byte in frame', 'ack']);
  });

  it('a body longer than the longest DATA is corruption', () => {
    expect(feed(h('02 4F' + '31'.repeat(9))).out).toEqual(['garbled:no ETX']);
  });

  it('inter-byte timeout ends a partial frame; the next frame decodes', () => {
    const d = new GateStreamDecoder({ interByteMs: 100 });
    expect(show(d.push(h('02 4F 31'), 1_000))).toEqual([]);
    expect(d.nextDeadline()).toBe(1_100);
    expect(show(d.expire(1_050))).toEqual([]);
    expect(show(d.expire(1_100))).toEqual(['garbled:inter-byte timeout']);
    expect(d.nextDeadline()).toBeUndefined();
    expect(show(d.push(h('02 50 03 51'), 1_200))).toEqual(['frame:02500351']);
    // A frame waiting only for its BCC expires too.
    expect(show(d.push(h('02 50 03'), 2_000))).toEqual([]);
    expect(show(d.expire(2_100))).toEqual(['garbled:inter-byte timeout']);
  });

  it('reset() drops a partial frame', () => {
    const d = new GateStreamDecoder();
    d.push(h('02 4F'), 0);
    d.reset();
    expect(d.nextDeadline()).toBeUndefined();
    expect(show(d.push(h('31 03 7F'), 1))).toEqual(['garbled:3 byte(s) outside a frame']);
  });

  it('resynchronises after random noise (no STX/ACK/NAK in it): every frame comes through', () => {
    let seed = 42;
    const rnd = () => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff);
    const frames = [
      encodeCommand({ kind: 'open', direction: 'in' }),
      encodeEvent({ kind: 'passage' }),
      encodeEvent({ kind: 'fault', code: '03' }),
      encodeStatusReply({ state: 'closed', lights: 'red', alarm: false }),
      encodeEvent({ kind: 'tailgating' }),
    ];
    for (let round = 0; round < 50; round++) {
      const bytes: number[] = [];
      const expected: string[] = [];
      for (const f of frames) {
        const n = Math.floor(rnd() * 6);
        for (let i = 0; i < n; i++) {
          let b: number;
          do b = Math.floor(rnd() * 256);
          while (b === 0x02 || b === 0x06 || b === 0x15);
          bytes.push(b);
        }
        bytes.push(...f);
        expected.push(`frame:${hex(f)}`);
      }
      const d = new GateStreamDecoder();
      const out: string[] = [];
      let i = 0;
      while (i < bytes.length) {
        const n = 1 + Math.floor(rnd() * 4);
        out.push(...show(d.push(Uint8Array.from(bytes.slice(i, i + n)), 0)));
        i += n;
      }
      out.push(...show(d.expire(1_000)));
      expect(out.filter((t) => t.startsWith('frame:'))).toEqual(expected);
    }
  });
});
