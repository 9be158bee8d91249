import { describe, expect, it } from 'vitest';
import { EscPosStreamDecoder, commandBoundaries, decodeEscPos } from '../../../drivers/printer/decoder.js';
import { encodeReceipt, escpos, type Receipt } from '../../../drivers/printer/escpos.js';

const statement: Receipt = {
  blocks: [
    { kind: 'text', text: '社会保险个人参保缴费证明', style: { align: 'center', bold: true, width: 2, height: 2 } },
    { kind: 'rule' },
    { kind: 'text', text: '姓名: 张*' },
    { kind: 'text', text: '社会保障号码: 110101********1234', style: { bold: true } },
    { kind: 'text', text: '' },
    { kind: 'text', text: '养老保险  2025-12  基数 4500.00', style: { align: 'right' } },
    { kind: 'feed', lines: 2 },
    { kind: 'qr', data: 'https://ykt.example/v/7F3A-92C1', size: 6, ec: 'M' },
    { kind: 'text', text: '验证码 7F3A-92C1', style: { align: 'center' } },
  ],
};

describe('decoder: round trip encode → decode', () => {
  it('recovers text lines with their style, QR payloads, feeds and the cut', () => {
    const { documents, statusRequests, incomplete } = decodeEscPos(encodeReceipt(statement));
    expect(documents).toHaveLength(1);
    expect(statusRequests).toEqual([]);
    expect(incomplete).toBe(0);
    const doc = documents[0];
    expect(doc.cut).toBe(true);
    expect(doc.unknown).toEqual([]);
    expect(doc.blocks.map((b) => b.kind)).toEqual(['line', 'line', 'line', 'line', 'line', 'line', 'feed', 'qr', 'line', 'cut']);
    const [title, rule, name, id, empty, pension, feed, qr, code] = doc.blocks;
    expect(title).toMatchObject({ kind: 'line', text: '社会保险个人参保缴费证明', align: 'center', segments: [{ bold: true, width: 2, height: 2 }] });
    expect(rule).toMatchObject({ text: '-'.repeat(48), align: 'left' });
    expect(name).toMatchObject({ text: '姓名: 张*', segments: [{ bold: false, width: 1, height: 1 }] });
    expect(id).toMatchObject({ segments: [{ bold: true }] });
    expect(empty).toMatchObject({ kind: 'line', text: '' });
    expect(pension).toMatchObject({ align: 'right' });
    expect(feed).toEqual({ kind: 'feed', lines: 2, dots: 60 });
    expect(qr).toEqual({ kind: 'qr', data: 'https://ykt.example/v/7F3A-92C1', size: 6, ec: 'M', model: 2, align: 'center' });
    expect(code).toMatchObject({ text: '验证码 7F3A-92C1', align: 'center' });
    expect(doc.text).toBe(
      [
        '社会保险个人参保缴费证明',
        '-'.repeat(48),
        '姓名: 张*',
        '社会保障号码: 110101********1234',
        '',
        '养老保险  2025-12  基数 4500.00',
        '[QR:https://ykt.example/v/7F3A-92C1]',
        '验证码 7F3A-92C1',
      ].join('\n'),
    );
  });

  it('gives the same operations whatever the chunking (split at every byte)', () => {
    const bytes = encodeReceipt(statement);
    const whole = new EscPosStreamDecoder().push(bytes);
    const dec = new EscPosStreamDecoder();
    const ops = [];
    for (const b of bytes) ops.push(...dec.push(Buffer.from([b])));
    // Text runs arrive byte by byte; compare after merging adjacent text.
    const merge = (list: typeof ops) =>
      list.reduce<typeof ops>((acc, op) => {
        const prev = acc[acc.length - 1];
        if (op.op === 'text' && prev?.op === 'text') acc[acc.length - 1] = { op: 'text', bytes: Buffer.concat([prev.bytes, op.bytes]) };
        else acc.push(op);
        return acc;
      }, []);
    expect(merge(ops)).toEqual(merge(whole));
    expect(dec.pending).toBe(0);
  });

  it('separates documents at each cut and keeps a trailing uncut one', () => {
    const two = Buffer.concat([encodeReceipt({ blocks: [{ kind: 'text', text: 'one' }] }), encodeReceipt({ blocks: [{ kind: 'text', text: 'two' }], cut: false })]);
    const { documents } = decodeEscPos(two);
    expect(documents.map((d) => [d.text, d.cut])).toEqual([
      ['one', true],
      ['two', false],
    ]);
  });

  it('finds real-time status requests between commands', () => {
    const b = Buffer.concat([escpos().init().text('A').build(), Buffer.from('100401', 'hex'), escpos().newline().build(), Buffer.from('100404', 'hex')]);
    const r = decodeEscPos(b);
    expect(r.statusRequests).toEqual([1, 4]);
    expect(r.documents[0].text).toBe('A');
  });

  it('the presenter request 10 04 05 is one whole command, printing nothing, however it arrives', () => {
    const job = escpos().init().text('A').newline().cut(0).build();
    const b = Buffer.concat([job.subarray(0, 2), Buffer.from('100405', 'hex'), job.subarray(2), Buffer.from('100405', 'hex')]);
    const r = decodeEscPos(b);
    expect(r.statusRequests).toEqual([5, 5]);
    expect(r.documents.map((d) => [d.text, d.cut, d.unknown])).toEqual([['A', true, []]]);
    expect(r.incomplete).toBe(0);
    // Split at every byte: the tokenizer holds 10 / 10 04 until the n arrives.
    const dec = new EscPosStreamDecoder();
    const ops = [...b].flatMap((x) => dec.push(Buffer.from([x])));
    expect(ops.filter((o) => o.op === 'status')).toEqual([{ op: 'status', n: 5 }, { op: 'status', n: 5 }]);
    // A raw job carrying it is never split inside it.
    expect(commandBoundaries(Buffer.from('1B40100405', 'hex'))).toEqual([2, 5]);
  });

  it('Chinese mode off decodes single bytes (Latin-1), on decodes GB18030', () => {
    const gb = escpos().text('中').build();
    const off = decodeEscPos(Buffer.concat([gb, Buffer.from([0x0a])])).documents[0];
    expect(off.text).toBe('\u00d6\u00d0');
    const on = decodeEscPos(Buffer.concat([Buffer.from([0x1c, 0x26]), gb, Buffer.from([0x0a])])).documents[0];
    expect(on.text).toBe('中');
  });
});

describe('decoder: tolerant of what it does not know', () => {
  it('records unknown commands, skips known-but-ignored ones, never throws', () => {
    const b = Buffer.concat([
      Buffer.from('1B40', 'hex'),
      Buffer.from('1B2101', 'hex'), // ESC ! n: ignored, length known
      Buffer.from('1B7A', 'hex'), // ESC z: unknown
      Buffer.from('1D28450300010203', 'hex'), // GS ( E: unknown function, skipped by its length
      Buffer.from('07', 'hex'), // BEL
      Buffer.from('OK\n'),
      Buffer.from('1D5601', 'hex'), // GS V 1: partial cut, no n
    ]);
    const { documents } = decodeEscPos(b);
    expect(documents).toHaveLength(1);
    expect(documents[0].text).toBe('OK');
    expect(documents[0].unknown.map((u) => u.hex)).toEqual(['1B7A', '1D2845030001020' + '3', '07']);
    expect(documents[0].blocks[1]).toEqual({ kind: 'cut', feedDots: 0, partial: true });
  });

  it('survives random bytes', () => {
    let seed = 7;
    const rnd = () => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) >> 16) & 0xff;
    for (let round = 0; round < 50; round++) {
      const junk = Buffer.from(Array.from({ length: 400 }, rnd));
      expect(() => decodeEscPos(junk)).not.toThrow();
    }
  });

  it('commandBoundaries never falls inside a command', () => {
    const bytes = Buffer.concat([escpos().init().align('center').text('抬头').newline().qr('abc').cut(10).build()]);
    expect(commandBoundaries(bytes)).toEqual([2, 5, 9, 10, 19, 27, 35, 46, 54, 58]);
  });
});
