import { describe, expect, it } from 'vitest';
import { encodeCommand, encodeResponse } from '../../../drivers/card-reader/codec.js';
import { ReaderStreamDecoder } from '../../../drivers/card-reader/decoder.js';
import type { LinkToken } from '../../../drivers/serial/link-types.js';
import type { ReaderFrame } from '../../../drivers/card-reader/codec.js';

const status = encodeCommand(0x31, 0x30);
const answer = encodeResponse(0x51, 0x33, {
  kind: 'positive',
  sensors: { position: 'inside', binFull: false, insertionEnabled: false },
  data: Uint8Array.of(0x06, 0x15, 0x05, 0x04, 0x90, 0x00), // control-byte values inside the payload
});
const cat = (...parts: Uint8Array[]) => Uint8Array.from(parts.flatMap((p) => [...p]));
const kinds = (ts: LinkToken<ReaderFrame>[]) => ts.map((t) => (t.kind === 'frame' ? `frame:${t.frame.type}` : t.kind));

describe('ReaderStreamDecoder', () => {
  it('returns control bytes and whole frames in order', () => {
    const d = new ReaderStreamDecoder();
    expect(kinds(d.push(cat(Uint8Array.of(0x06), status, Uint8Array.of(0x05, 0x15, 0x04)), 0))).toEqual(['ack', 'frame:C', 'enq', 'nak', 'eot']);
  });

  it('skips garbage before a frame', () => {
    const d = new ReaderStreamDecoder();
    const ts = d.push(cat(Uint8Array.of(0x00, 0xff, 0x33, 0x43), answer), 0);
    expect(kinds(ts)).toEqual(['frame:P']);
    expect(d.nextDeadline()).toBeUndefined();
  });

  it('reports a corrupted BCC once, without taking payload bytes for control bytes, then resyncs', () => {
    const d = new ReaderStreamDecoder();
    const bad = answer.slice();
    bad[bad.length - 1] ^= 0x01;
    const ts = d.push(cat(bad, Uint8Array.of(0x06), answer), 0);
    expect(kinds(ts)).toEqual(['garbled', 'ack', 'frame:P']);
    expect(ts[0].kind === 'garbled' && ts[0].reason).toBe('BCC mismatch');
  });

  it('recovers when a corrupted byte became a false STX inside the frame', () => {
    const d = new ReaderStreamDecoder();
    const bad = answer.slice();
    bad[6] = 0xf2;
    expect(kinds(d.push(cat(bad, answer), 0))).toEqual(['garbled', 'frame:P']);
  });

  it('assembles a frame split across chunks, byte by byte', () => {
    const d = new ReaderStreamDecoder();
    const out: LinkToken<ReaderFrame>[] = [];
    answer.forEach((byte, i) => out.push(...d.push(Uint8Array.of(byte), i)));
    expect(kinds(out)).toEqual(['frame:P']);
    const f = out[0];
    expect(f.kind === 'frame' && f.frame.type === 'P' && [...f.frame.data]).toEqual([0x06, 0x15, 0x05, 0x04, 0x90, 0x00]);
  });

  it('ends a partial frame after the inter-byte timeout and decodes the next one', () => {
    const d = new ReaderStreamDecoder({ interByteMs: 100 });
    expect(d.push(answer.subarray(0, 7), 1000)).toEqual([]);
    expect(d.nextDeadline()).toBe(1100);
    expect(d.expire(1099)).toEqual([]);
    const ts = d.expire(1100);
    expect(kinds(ts)).toEqual(['garbled']);
    expect(ts[0].kind === 'garbled' && ts[0].reason).toBe('inter-byte timeout');
    expect(d.nextDeadline()).toBeUndefined();
    expect(kinds(d.push(answer, 1200))).toEqual(['frame:P']);
  });

  it('does not wait for an absurd length', () => {
    const d = new ReaderStreamDecoder({ maxLength: 1024 });
    expect(kinds(d.push(cat(Uint8Array.of(0xf2, 0x00, 0x7f, 0xff), status), 0))).toEqual(['garbled', 'frame:C']);
  });

  it('rejects frames for another address', () => {
    const d = new ReaderStreamDecoder();
    expect(kinds(d.push(encodeCommand(0x31, 0x30, undefined, 0x01), 0))).toEqual(['garbled']);
  });
});
