/**
 * A fixed, fictional statement: 24 months × 5 insurance types, two months in arrears, an employer
 * name too long for one line. One definition shared by the unit tests (byte-exact expectations) and
 * the printer bench (scripts/bench/printer.ts), so both measure the same document. Deliberately
 * independent of the embedded backend's rates and seed: changing those must not move these bytes.
 */
import { INSURANCE_TYPES, type ContributionRecord, type InsuranceType, type Statement, type StatementKind, type TypeSummary } from '../backend/interface.js';

export const SAMPLE_VERIFY_URL_BASE = 'https://ykt.example/verify/';
export const SAMPLE_EMPLOYER = '北京智汇未来信息技术股份有限公司海淀分公司第三研发中心';

/** Employer / personal rates in basis points of the base (a typical urban employee scheme). */
const RATES_BP: Readonly<Record<InsuranceType, { employer: number; personal: number }>> = {
  pension: { employer: 1600, personal: 800 },
  medical: { employer: 900, personal: 200 },
  unemployment: { employer: 50, personal: 50 },
  injury: { employer: 40, personal: 0 },
  maternity: { employer: 80, personal: 0 },
};

const FIRST_MONTH: Readonly<Record<InsuranceType, string>> = {
  pension: '2012-07',
  medical: '2012-07',
  unemployment: '2012-07',
  injury: '2016-03',
  maternity: '2016-03',
};

const ARREARS = new Set(['2025-11', '2025-12']);

function monthsFrom(start: string, count: number): string[] {
  const [y, m] = start.split('-').map(Number) as [number, number];
  return Array.from({ length: count }, (_, i) => {
    const k = y * 12 + (m - 1) + i;
    return `${Math.floor(k / 12)}-${String((k % 12) + 1).padStart(2, '0')}`;
  });
}

function monthsBetween(a: string, b: string): number {
  const [ya, ma] = a.split('-').map(Number) as [number, number];
  const [yb, mb] = b.split('-').map(Number) as [number, number];
  return yb * 12 + mb - (ya * 12 + ma) + 1;
}

export function sampleStatement(kind: StatementKind = 'detail'): Statement {
  const lines: ContributionRecord[] = [];
  for (const ym of monthsFrom('2024-01', 24)) {
    const baseFen = ym < '2025-01' ? 1_200_000 : 1_286_000;
    for (const type of INSURANCE_TYPES) {
      const r = RATES_BP[type];
      lines.push({
        type,
        scheme: 'employee',
        yearMonth: ym,
        baseFen,
        employerFen: Math.round((baseFen * r.employer) / 10_000),
        personalFen: Math.round((baseFen * r.personal) / 10_000),
        status: ARREARS.has(ym) ? 'arrears' : 'paid',
        employer: SAMPLE_EMPLOYER,
      });
    }
  }
  const summaries: TypeSummary[] = INSURANCE_TYPES.map((type) => {
    const months = monthsBetween(FIRST_MONTH[type], '2025-12');
    return {
      type,
      scheme: 'employee',
      status: 'active',
      firstMonth: FIRST_MONTH[type],
      lastMonth: '2025-12',
      totalMonths: months - ARREARS.size,
      arrearsMonths: ARREARS.size,
    };
  });
  return {
    code: 'K7QF-3M9X-T2PV-8HJD',
    kind,
    issuedAt: '2026-01-15T06:30:12.000Z',
    issuingAgency: '北京市海淀区社会保险事业管理中心',
    terminalId: 'YKT-BJ-HD-0107',
    holder: { ssn: '110108198807153516', name: '欧阳明轩', sex: 'male', employer: SAMPLE_EMPLOYER },
    summaries,
    lines: kind === 'detail' ? lines : [],
  };
}
