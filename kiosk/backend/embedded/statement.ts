/**
 * Statement assembly and verification codes. The code is an HMAC over the statement's identity and
 * a digest of its content, so a verifier (landlord, employer) that finds the code in the agency's
 * records also learns that the stored record was not altered since printing.
 */
import { createHash, createHmac } from 'node:crypto';
import type { ContributionRecord, InsuranceType, InsuredType, TypeSummary } from '../interface.js';
import { INSURANCE_TYPES } from '../interface.js';
import { monthsBetween } from './rates.js';

/** Crockford base32: no I, L, O, U, so a code read aloud or retyped survives. */
const B32 = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

function base32(bytes: Buffer, chars: number): string {
  let out = '';
  let acc = 0;
  let bits = 0;
  for (const b of bytes) {
    acc = (acc << 8) | b;
    bits += 8;
    while (bits >= 5 && out.length < chars) {
      out += B32[(acc >>> (bits - 5)) & 31];
      bits -= 5;
    }
    acc &= (1 << bits) - 1;
    if (out.length >= chars) break;
  }
  return out;
}

export interface StatementIdentity {
  id: number;
  ssn: string;
  kind: string;
  issuedAt: string;
  digest: string;
}

/** 16 base32 characters (80 bits) in groups of four: XXXX-XXXX-XXXX-XXXX. */
export function statementCode(secret: string, s: StatementIdentity): string {
  const mac = createHmac('sha256', secret).update(`${s.id}|${s.ssn}|${s.kind}|${s.issuedAt}|${s.digest}`).digest();
  return base32(mac, 16).match(/.{4}/g)!.join('-');
}

export function contentDigest(content: unknown): string {
  return createHash('sha256').update(JSON.stringify(content)).digest('hex');
}

/** Resident premiums are yearly: each paid year counts 12 months towards 缴费年限. */
function monthsWorth(r: ContributionRecord): number {
  return r.scheme === 'resident' ? 12 : 1;
}

export function summarize(insured: readonly InsuredType[], records: readonly ContributionRecord[]): TypeSummary[] {
  const out: TypeSummary[] = [];
  for (const type of INSURANCE_TYPES) {
    const rs = records.filter((r) => r.type === type);
    const ins = insured.find((i) => i.type === type);
    if (!ins && rs.length === 0) continue;
    const months = rs.map((r) => r.yearMonth).sort();
    out.push({
      type,
      scheme: ins?.scheme ?? rs[rs.length - 1]!.scheme,
      status: ins?.status ?? 'active',
      firstMonth: months[0] ?? null,
      lastMonth: months[months.length - 1] ?? null,
      totalMonths: rs.filter((r) => r.status === 'paid').reduce((n, r) => n + monthsWorth(r), 0),
      arrearsMonths: rs.filter((r) => r.status === 'arrears').reduce((n, r) => n + monthsWorth(r), 0),
    });
  }
  return out;
}

/** Lines of the last `months` calendar months on record (ending at the latest month with a record). */
export function lastMonths(records: readonly ContributionRecord[], months: number): ContributionRecord[] {
  if (months <= 0 || records.length === 0) return [];
  const latest = records.reduce((m, r) => (r.yearMonth > m ? r.yearMonth : m), records[0]!.yearMonth);
  const [y, m] = latest.split('-').map(Number) as [number, number];
  const startIndex = y * 12 + (m - 1) - (months - 1);
  const start = `${Math.floor(startIndex / 12)}-${String((startIndex % 12) + 1).padStart(2, '0')}`;
  const window = new Set(monthsBetween(start, latest));
  const order = (t: InsuranceType) => INSURANCE_TYPES.indexOf(t);
  return records
    .filter((r) => window.has(r.yearMonth))
    .sort((a, b) => a.yearMonth.localeCompare(b.yearMonth) || order(a.type) - order(b.type));
}
