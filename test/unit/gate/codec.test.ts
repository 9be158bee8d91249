import { describe, expect, it } from 'vitest';
import {
  bcc,
  decodeFrame,
  encodeCommand,
  encodeEvent,
  encodeFrame,
  encodeStatusReply,
  parseCommand,
  parseEvent,
  parseStatusReply,
} from '../../../drivers/gate/codec.js';
import { GateError, faultInfo } from '../../../drivers/gate/errors.js';
import { h, hex } from './harness.js';

const frameOf = (s: string) => {
  const d = decodeFrame(h(s));
  if (!d.ok) throw new Error(d.reason);
  return d.frame;
};

describe('gate codec (devices.md §5 worked examples)', () => {
  it('BCC is the XOR of STX..ETX; both spec examples agree with the rule', () => {
    expect(bcc(h('02 4F 31 03'))).toBe(0x7f);
    expect(bcc(h('02 50 03'))).toBe(0x51);
  });

  it('open for one passage inward: 02 4F 31 03 7F', () => {
    expect(hex(encodeCommand({ kind: 'open', direction: 'in' }))).toBe('024F31037F');
    expect(parseCommand(frameOf('02 4F 31 03 7F'))).toEqual({ kind: 'open', direction: 'in' });
  });

  it('passage completed (event): 02 50 03 51', () => {
    expect(hex(encodeEvent({ kind: 'passage' }))).toBe('02500351');
    expect(parseEvent(frameOf('02 50 03 51'))).toEqual({ kind: 'passage' });
  });

  it('every command, byte for byte', () => {
    expect(hex(encodeCommand({ kind: 'open', direction: 'out' }))).toBe('024F32037C');
    expect(hex(encodeCommand({ kind: 'close' }))).toBe('02430342');
    expect(hex(encodeCommand({ kind: 'lights', lights: 'green' }))).toBe('024C47030A');
    expect(hex(encodeCommand({ kind: 'lights', lights: 'red' }))).toBe('024C52031F');
    expect(hex(encodeCommand({ kind: 'lights', lights: 'off' }))).toBe('024C30037D');
    expect(hex(encodeCommand({ kind: 'alarm', on: true }))).toBe('0241310371');
    expect(hex(encodeCommand({ kind: 'alarm', on: false }))).toBe('0241300370');
    expect(hex(encodeCommand({ kind: 'status' }))).toBe('02530352');
  });

  it('commands round-trip through the board side; bad data is no command', () => {
    for (const c of [
      { kind: 'open', direction: 'out' },
      { kind: 'close' },
      { kind: 'lights', lights: 'red' },
      { kind: 'alarm', on: true },
      { kind: 'alarm', on: false },
      { kind: 'status' },
    ] as const) {
      const d = decodeFrame(encodeCommand(c));
      expect(d.ok && parseCommand(d.frame)).toEqual(c);
    }
    expect(parseCommand({ cmd: 0x4f, data: h('33') })).toBeUndefined(); // direction '3'
    expect(parseCommand({ cmd: 0x4c, data: h('59') })).toBeUndefined(); // lights 'Y'
    expect(parseCommand({ cmd: 0x41, data: new Uint8Array(0) })).toBeUndefined();
    expect(parseCommand({ cmd: 0x43, data: h('31') })).toBeUndefined();
    expect(parseCommand({ cmd: 0x5a, data: new Uint8Array(0) })).toBeUndefined(); // 'Z'
  });

  it('status reply S <state> <lights> <alarm> (ours, docs/gate.md)', () => {
    const closed = encodeStatusReply({ state: 'closed', lights: 'red', alarm: false });
    expect(hex(closed)).toBe('025330523003' + '00');
    // BCC 15 = NAK: inside a frame it is just the BCC.
    const open = encodeStatusReply({ state: 'open-in', lights: 'green', alarm: true });
    expect(hex(open)).toBe('025331473103' + '15');
    expect(hex(encodeStatusReply({ state: 'fault', lights: 'off', alarm: false }))).toBe('0253393030036B');
    expect(parseStatusReply(frameOf('02 53 30 52 30 03 00'))).toEqual({ state: 'closed', lights: 'red', alarm: false });
    expect(parseStatusReply(frameOf(hex(open)))).toEqual({ state: 'open-in', lights: 'green', alarm: true });
    expect(parseStatusReply(frameOf('02 53 32 30 30 03 ' + hex(Uint8Array.of(bcc(h('0253323030 03'))))))).toEqual({ state: 'open-out', lights: 'off', alarm: false });
    expect(parseStatusReply({ cmd: 0x53, data: h('3852 30') })).toBeUndefined(); // state '8'
    expect(parseStatusReply({ cmd: 0x53, data: h('30') })).toBeUndefined();
  });

  it('events: tailgating, fault with two digits, optional direction', () => {
    expect(hex(encodeEvent({ kind: 'tailgating' }))).toBe('02540355');
    expect(hex(encodeEvent({ kind: 'fault', code: '01' }))).toBe('024630310346');
    expect(parseEvent(frameOf('02 54 03 55'))).toEqual({ kind: 'tailgating' });
    expect(parseEvent(frameOf('02 46 30 31 03 46'))).toEqual({ kind: 'fault', code: '01' });
    const d = decodeFrame(encodeEvent({ kind: 'passage', direction: 'out' }));
    expect(d.ok && parseEvent(d.frame)).toEqual({ kind: 'passage', direction: 'out' });
    expect(parseEvent({ cmd: 0x46, data: h('31') })).toBeUndefined();
    expect(parseEvent({ cmd: 0x53, data: new Uint8Array(0) })).toBeUndefined();
    expect(() => encodeEvent({ kind: 'fault', code: '1' })).toThrow(RangeError);
  });

  it('decodeFrame refuses what is not one frame', () => {
    expect(decodeFrame(h('02 4F 31 03 7E'))).toEqual({ ok: false, reason: 'BCC mismatch' });
    expect(decodeFrame(h('02 4F 31 04 7F'))).toEqual({ ok: false, reason: 'no ETX' });
    expect(decodeFrame(h('03 4F 03 4F'))).toEqual({ ok: false, reason: 'no STX' });
    expect(decodeFrame(h('02 03 01'))).toEqual({ ok: false, reason: 'too short' });
    const lower = Uint8Array.of(0x02, 0x6f, 0x31, 0x03, 0);
    lower[4] = bcc(lower, 0, 4);
    expect(decodeFrame(lower)).toEqual({ ok: false, reason: 'bad CMD' });
    expect(() => encodeFrame(0x6f)).toThrow(RangeError);
    expect(() => encodeFrame(0x4f, h('06'))).toThrow(RangeError);
  });

  it('fault table (ours): 01 motor, 02 sensor, 03 power, 04 emergency, others unknown', () => {
    expect(faultInfo('01')).toMatchObject({ kind: 'motor', code: 'GATE_MOTOR_FAULT' });
    expect(faultInfo('02')).toMatchObject({ kind: 'sensor', code: 'GATE_SENSOR_FAULT' });
    expect(faultInfo('03')).toMatchObject({ kind: 'power', code: 'GATE_POWER_FAULT' });
    expect(faultInfo('04')).toMatchObject({ kind: 'emergency', code: 'GATE_EMERGENCY' });
    expect(faultInfo('77')).toEqual({ kind: 'unknown', code: 'GATE_UNKNOWN_FAULT', text: 'unknown fault 77' });
    const e = new GateError('GATE_FAULT', { command: 'open', faultCode: '01' });
    expect(e).toMatchObject({ code: 'GATE_FAULT', device: 'gate', faultCode: '01', name: 'GateError' });
    expect(e.message).toContain('[F01]');
  });
});
