import { describe, expect, it } from 'vitest';
import { textWidth } from '../../../drivers/printer/escpos.js';
import { PrintFormatError, localTime, month, padStart, printable, wrap, yuan } from '../../../kiosk/print/index.js';

describe('print formatting', () => {
  it('yuan: integer fen to two decimals, exactly', () => {
    expect(yuan(0)).toBe('0.00');
    expect(yuan(5)).toBe('0.05');
    expect(yuan(29)).toBe('0.29');
    expect(yuan(102_880)).toBe('1028.80');
    expect(yuan(1_286_000)).toBe('12860.00');
    expect(yuan(-1230)).toBe('-12.30');
    expect(() => yuan(12.5)).toThrow(PrintFormatError);
    expect(() => yuan(Number.NaN)).toThrow(expect.objectContaining({ code: 'PRINT_BAD_AMOUNT' }));
  });

  it('month: YYYY-MM only', () => {
    expect(month('2025-12')).toBe('2025-12');
    for (const bad of ['2025-13', '2025-1', '202512', '2025-00']) {
      expect(() => month(bad)).toThrow(expect.objectContaining({ code: 'PRINT_BAD_MONTH' }));
    }
  });

  it('localTime: China Standard Time by default, whatever the machine zone', () => {
    expect(localTime('2026-01-15T06:30:12.000Z')).toBe('2026-01-15 14:30:12');
    expect(localTime('2025-12-31T20:00:00Z')).toBe('2026-01-01 04:00:00');
    expect(localTime('2026-01-15T06:30:12Z', 0)).toBe('2026-01-15 06:30:12');
    expect(() => localTime('yesterday')).toThrow(expect.objectContaining({ code: 'PRINT_BAD_TIME' }));
  });

  it('printable: control characters become spaces (the encoder would refuse them)', () => {
    expect(printable(' 某某公司\n第三分部\t ')).toBe('某某公司 第三分部');
  });

  it('padStart counts CJK as two columns', () => {
    expect(padStart('养老', 6)).toBe('  养老');
    expect(padStart('960.00', 8)).toBe('  960.00');
  });

  describe('wrap', () => {
    it('breaks CJK anywhere, with a hanging indent and no trailing spaces', () => {
      const lines = wrap('单位：北京智汇未来信息技术股份有限公司海淀分公司第三研发中心', 48, 6);
      expect(lines).toEqual(['单位：北京智汇未来信息技术股份有限公司海淀分公司', '      第三研发中心']);
      for (const l of lines) expect(textWidth(l)).toBeLessThanOrEqual(48);
    });

    it('keeps Latin words whole and breaks at spaces', () => {
      expect(wrap('Social Insurance Contribution Certificate', 24)).toEqual(['Social Insurance', 'Contribution Certificate']);
      expect(wrap('aaa bbb ccc', 7)).toEqual(['aaa bbb', 'ccc']);
    });

    it('keeps spacing inside a line as written', () => {
      expect(wrap('姓名：张三    性别：男', 48)).toEqual(['姓名：张三    性别：男']);
    });

    it('breaks a word longer than a line by characters', () => {
      expect(wrap('see https://ykt.example/verify/K7QF-3M9X', 16)).toEqual(['see https://ykt.', 'example/verify/K', '7QF-3M9X']);
    });

    it('closing punctuation never starts a line', () => {
      const lines = wrap('一二三四五，六', 10);
      expect(lines).toEqual(['一二三四', '五，六']);
    });

    it('refuses a width it cannot fill', () => {
      expect(() => wrap('x', 4, 4)).toThrow(expect.objectContaining({ code: 'PRINT_BAD_WIDTH' }));
    });
  });
});
