import { describe, expect, it } from 'vitest';
import { VirtualClock } from '../../../drivers/common/clock.js';
import { encodeGb18030, encodeReceipt, escpos, plainTextFloorBytes, textWidth, type Receipt, type ReceiptBlock } from '../../../drivers/printer/escpos.js';
import { PrinterSimulator } from '../../../drivers/printer/sim/printer-sim.js';
import type { Statement } from '../../../kiosk/backend/interface.js';
import { SAMPLE_VERIFY_URL_BASE, sampleStatement, statementQrPayload, statementReceipt } from '../../../kiosk/print/index.js';

const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex').toUpperCase();
const gb = (s: string): string => hex(encodeGb18030(s));

type TextBlock = Extract<ReceiptBlock, { kind: 'text' }>;
const textBlocks = (r: Receipt): TextBlock[] => r.blocks.filter((b): b is TextBlock => b.kind === 'text');
const texts = (r: Receipt): string[] => textBlocks(r).map((b) => b.text);

const detail = sampleStatement('detail');
const zh = statementReceipt(detail, { lang: 'zh', verifyUrlBase: SAMPLE_VERIFY_URL_BASE });
const zhBytes = encodeReceipt(zh);
const PAYLOAD = 'https://ykt.example/verify/K7QF-3M9X-T2PV-8HJD';

describe('statement receipt: layout', () => {
  const all: [string, Receipt][] = [];
  for (const lang of ['zh', 'en'] as const) {
    for (const kind of ['proof', 'detail'] as const) {
      all.push([`${lang}/${kind}`, statementReceipt(sampleStatement(kind), { lang, verifyUrlBase: SAMPLE_VERIFY_URL_BASE })]);
    }
  }

  it.each(all)('%s: every line fits its columns and none ends in a space', (_, r) => {
    for (const b of textBlocks(r)) {
      expect(textWidth(b.text) * (b.style?.width ?? 1), b.text).toBeLessThanOrEqual(48);
      expect(b.text, b.text).not.toMatch(/\s$/);
    }
  });

  it('header: double-size centered bold title, holder, masked ID, wrapped long employer, agency', () => {
    expect(zh.blocks[0]).toEqual({ kind: 'text', text: '社会保险个人缴费明细', style: { align: 'center', bold: true, width: 2, height: 2 } });
    expect(zh.blocks[1]).toEqual({ kind: 'rule' });
    expect(texts(zh).slice(1, 6)).toEqual([
      '姓名：欧阳明轩    性别：男',
      '社会保障号码：110108********3516',
      '单位：北京智汇未来信息技术股份有限公司海淀分公司',
      '      第三研发中心',
      '经办机构：北京市海淀区社会保险事业管理中心',
    ]);
  });

  it('never puts the full ID number on paper (a statement left in the tray must not leak it)', () => {
    expect(zhBytes.includes(Buffer.from(detail.holder.ssn))).toBe(false);
    expect(zhBytes.includes(Buffer.from('110108********3516'))).toBe(true);
    for (const lang of ['zh', 'en'] as const) {
      const b = encodeReceipt(statementReceipt(detail, { lang }));
      expect(b.includes(Buffer.from(detail.holder.ssn))).toBe(false);
    }
  });

  it('summaries: one per type in the canonical order; a type in arrears is bold', () => {
    const t = texts(zh);
    const at = t.indexOf('参保缴费情况');
    expect(t.slice(at + 1, at + 5)).toEqual([
      '养老保险（城镇职工）  参保缴费',
      '  2012-07 至 2025-12  缴费 160 个月  欠缴 2 个月',
      '医疗保险（城镇职工）  参保缴费',
      '  2012-07 至 2025-12  缴费 160 个月  欠缴 2 个月',
    ]);
    expect(t.slice(at + 9, at + 11)).toEqual(['生育保险（城镇职工）  参保缴费', '  2016-03 至 2025-12  缴费 116 个月  欠缴 2 个月']);
    const arrearsSummary = textBlocks(zh).find((b) => b.text.includes('欠缴 2 个月'));
    expect(arrearsSummary?.style).toEqual({ bold: true });
    // Shuffled input prints in the same order.
    const shuffled: Statement = { ...detail, summaries: [...detail.summaries].reverse() };
    expect(texts(statementReceipt(shuffled, { lang: 'zh' })).slice(at, at + 11)).toEqual(t.slice(at, at + 11));
  });

  it('detail: 24 months × 5 types, right-aligned yuan columns, arrears bold and marked 欠缴', () => {
    const t = texts(zh);
    const head = t.indexOf('缴费明细 2024-01 至 2025-12（单位：元）');
    expect(head).toBeGreaterThan(0);
    expect(t[head + 1]).toBe('年月     险种      基数     个人     单位');
    const rows = textBlocks(zh).slice(head + 2, head + 2 + 120);
    expect(rows.map((r) => r.text.slice(0, 7))).toEqual(detail.lines.map((l) => l.yearMonth));
    expect(rows[0]!.text).toBe('2024-01  养老  12000.00   960.00  1920.00');
    expect(rows[62]!.text).toBe('2025-01  失业  12860.00    64.30    64.30');
    expect(rows[63]!.text).toBe('2025-01  工伤  12860.00     0.00    51.44');
    const arrears = rows.filter((r) => r.text.endsWith(' 欠缴'));
    expect(arrears).toHaveLength(10);
    expect(arrears.every((r) => r.style?.bold === true && /^2025-1[12]/.test(r.text))).toBe(true);
    expect(arrears[0]!.text).toBe('2025-11  养老  12860.00  1028.80  2057.60 欠缴');
    expect(rows.filter((r) => !r.text.endsWith(' 欠缴')).every((r) => r.style === undefined)).toBe(true);
  });

  it('footer: time in CST, terminal, masking note, bold code, QR with quiet lines, how to verify', () => {
    const i = zh.blocks.findIndex((b) => b.kind === 'qr');
    expect(zh.blocks.slice(i - 5, i + 4)).toEqual([
      { kind: 'text', text: '打印时间：2026-01-15 14:30:12' },
      { kind: 'text', text: '终端编号：YKT-BJ-HD-0107' },
      { kind: 'text', text: '为保护个人信息，证件号码部分隐藏。' },
      { kind: 'text', text: '验证码：K7QF-3M9X-T2PV-8HJD', style: { align: 'center', bold: true } },
      { kind: 'text', text: '', style: { align: 'center' } },
      { kind: 'qr', data: PAYLOAD, size: 6, ec: 'M', align: 'center' },
      { kind: 'text', text: '', style: { align: 'center' } },
      { kind: 'text', text: '扫描二维码核验本证明真伪，', style: { align: 'center' } },
      { kind: 'text', text: '或访问 https://ykt.example/verify/ 输入验证码。', style: { align: 'center' } },
    ]);
    expect(zh.blocks).toHaveLength(i + 4);
  });

  it('QR payload is the bare code without a verification URL base', () => {
    expect(statementQrPayload(detail)).toBe('K7QF-3M9X-T2PV-8HJD');
    const r = statementReceipt(detail, { lang: 'zh' });
    expect(r.blocks.find((b) => b.kind === 'qr')).toMatchObject({ data: 'K7QF-3M9X-T2PV-8HJD' });
    expect(texts(r)).toContain('或凭验证码到社保经办机构核验。');
  });

  it('proof: summaries only, even if the backend sent lines', () => {
    const proof = statementReceipt({ ...detail, kind: 'proof' }, { lang: 'zh' });
    expect(texts(proof)[0]).toBe('社会保险个人参保缴费证明');
    expect(texts(proof).some((t) => t.startsWith('2024-01'))).toBe(false);
    expect(texts(proof)).toContain('  2012-07 至 2025-12  缴费 160 个月  欠缴 2 个月');
  });

  it('English: English titles, types, schemes, statuses and the OWED marker', () => {
    const en = statementReceipt(detail, { lang: 'en', verifyUrlBase: SAMPLE_VERIFY_URL_BASE });
    const t = texts(en);
    expect(t.slice(0, 2)).toEqual(['Social Insurance', 'Contribution Details']);
    expect(t).toContain('Social security no.: 110108********3516');
    expect(t).toContain('Work injury (employee): contributing');
    expect(t).toContain('  2 months in arrears');
    expect(t).toContain('Month   Type        Base Personal Employer');
    expect(t).toContain('2025-12 Matern. 12860.00     0.00   102.88 OWED');
    expect(t.slice(-2)).toEqual(['Scan the QR code to check this statement,', 'or enter the code at https://ykt.example/verify/']);
    expect(t).toContain('Verification code: K7QF-3M9X-T2PV-8HJD');
  });

  it('an arrears marker that does not fit beside huge amounts goes on its own bold line', () => {
    const huge: Statement = {
      ...detail,
      lines: [{ type: 'pension', scheme: 'employee', yearMonth: '2025-12', baseFen: 123_456_789, employerFen: 19_753_086, personalFen: 9_876_543, status: 'arrears', employer: 'x' }],
    };
    const rows = textBlocks(statementReceipt(huge, { lang: 'en' })).filter((b) => b.text.includes('1234567.89') || b.text.trim() === 'OWED');
    expect(rows).toEqual([
      { kind: 'text', text: '2025-12 Pension 1234567.89 98765.43 197530.86', style: { bold: true } },
      { kind: 'text', text: ' '.repeat(41) + 'OWED', style: { bold: true } },
    ]);
  });

  it('resident premiums print a dash for the base; no lines → a note instead of a table', () => {
    const resident: Statement = {
      ...detail,
      lines: [{ type: 'pension', scheme: 'resident', yearMonth: '2025-01', baseFen: 0, employerFen: 0, personalFen: 50_000, status: 'paid', employer: '城乡居民' }],
    };
    expect(texts(statementReceipt(resident, { lang: 'zh' }))).toContain('2025-01  养老     -  500.00  0.00');
    expect(texts(statementReceipt({ ...detail, lines: [] }, { lang: 'zh' }))).toContain('所选期间无缴费记录');
  });
});

describe('statement receipt: bytes', () => {
  it('byte-exact head: init, Chinese mode, one style change for the title, back to plain', () => {
    const head = [
      '1B40', '1C26',
      '1B6101', '1B4501', '1D2111', gb('社会保险个人缴费明细'), '0A',
      '1B6100', '1B4500', '1D2100', gb('-'.repeat(48)), '0A',
      gb('姓名：欧阳明轩    性别：男'), '0A',
    ].join('');
    expect(hex(zhBytes).startsWith(head)).toBe(true);
  });

  it('byte-exact tail: bold code, quiet line, native QR, quiet line, centered instructions, cut', () => {
    const tail = [
      '1B6101', '1B4501', gb('验证码：K7QF-3M9X-T2PV-8HJD'), '0A',
      '1B4500', '0A',
      hex(escpos().qr(PAYLOAD, { size: 6, ec: 'M' }).build()),
      '0A',
      gb('扫描二维码核验本证明真伪，'), '0A',
      gb('或访问 https://ykt.example/verify/ 输入验证码。'), '0A',
      '1D564230',
    ].join('');
    expect(hex(zhBytes).endsWith(tail)).toBe(true);
  });

  it('few style toggles: the ten arrears rows share one bold on/off pair', () => {
    const count = (needle: string): number => hex(zhBytes).match(new RegExp(`(?:..)*?${needle}`, 'g'))?.length ?? 0;
    // title on/off, 5 summary pairs, one pair for the arrears rows, the code pair.
    expect(count('1B4501')).toBe(8);
    expect(count('1B4500')).toBe(8);
    expect(count('1D21')).toBe(2);
  });

  it('stays within 1.1× the plain text-mode floor: 71 bytes over it, every one accounted for', () => {
    const floor = plainTextFloorBytes(zh);
    const overhead =
      2 + 2 + // init, Chinese mode
      9 + 9 + // title: align, bold, size on; then all three back
      5 * 6 + // bold on/off around the five summaries in arrears
      6 + // one bold pair around the ten arrears rows
      9 + // footer: center, bold on/off around the code
      4; // cut
    expect(zhBytes.length - floor).toBe(overhead);
    expect(zhBytes.length / floor).toBeLessThanOrEqual(1.1);
  });
});

describe('statement receipt: through the printer simulator', () => {
  it('decodes to the same lines; the text holds the title, the name in Chinese and the code', () => {
    const sim = new PrinterSimulator({ clock: new VirtualClock() });
    sim.connect(() => undefined);
    sim.receive(zhBytes);
    const doc = sim.last!;
    expect(doc).toMatchObject({ truncated: false, cut: true, unknown: [] });
    expect(sim.unknownCommands).toEqual([]);
    expect(doc.text).toContain('社会保险个人缴费明细');
    expect(doc.text).toContain('欧阳明轩');
    expect(doc.text).toContain('K7QF-3M9X-T2PV-8HJD');
    expect(doc.text).toContain(`[QR:${PAYLOAD}]`);
    const printed = doc.blocks.flatMap((b) => (b.kind === 'line' ? [b.text] : b.kind === 'qr' ? [`[QR:${b.data}]`] : []));
    const expected = zh.blocks.flatMap((b) => (b.kind === 'text' ? [b.text] : b.kind === 'rule' ? ['-'.repeat(48)] : b.kind === 'qr' ? [`[QR:${b.data}]`] : []));
    expect(printed).toEqual(expected);
    const title = doc.blocks[0];
    expect(title).toMatchObject({ kind: 'line', align: 'center', segments: [{ bold: true, width: 2, height: 2 }] });
    const qr = doc.blocks.find((b) => b.kind === 'qr');
    expect(qr).toMatchObject({ data: PAYLOAD, size: 6, ec: 'M', model: 2, align: 'center' });
  });
});
