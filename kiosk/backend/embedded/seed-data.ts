/**
 * The embedded backend's demo seed: one holder per fixture card (test/fixtures/cards), with
 * deterministic histories through SEED_THROUGH whatever the clock says, so that every run, test and
 * screenshot shows the same numbers. Employers and figures are fictional demo data.
 */
import { resolveCardProfile, type CardProfile } from '../../../drivers/card-reader/sim/card-profile.js';
import { cardIdCodeOf } from '../../../drivers/card-reader/sim/chip/ssc-files.js';
import type { CardStatus, ContributionRecord, InsuranceType, InsuredType, Scheme } from '../interface.js';
import type { HolderPremiumPlan } from './premiums.js';
import {
  EMPLOYEE_RATES,
  FLEXIBLE_PENSION_ACCOUNT_BP,
  FLEXIBLE_RATES,
  employeeBaseFen,
  monthsBetween,
  partFen,
  residentMedicalYuan,
} from './rates.js';

/** Last month on record in the seed; balances are as of the end of it. */
export const SEED_THROUGH = '2025-12';
export const SEED_AS_OF = '2025-12-31';

export interface SeedCard {
  cardNumber: string;
  cardIdCode: string;
  status: CardStatus;
  since?: string;
}

export interface SeedHolder {
  ssn: string;
  name: string;
  sex: 'male' | 'female';
  birthDate: string;
  employer: string | null;
  agency: string;
  cards: SeedCard[];
  insured: InsuredType[];
  contributions: ContributionRecord[];
  accounts: { pensionFen: number | null; medicalFen: number | null };
  /** Premium settings (scenario overrides); left out, what is due is derived from the records. */
  premiums?: HolderPremiumPlan;
}

export const AGENCY_BEIJING = '北京市社会保险基金管理中心';
const AGENCY_WENZHOU = '温州市社会保险事业管理中心';
const AGENCY_URUMQI = '乌鲁木齐市社会保险管理局';

/** The card as the simulator builds it from a profile: same card number and identification code. */
export function seedCardOf(p: CardProfile, status: CardStatus = 'normal', since?: string): SeedCard {
  const r = resolveCardProfile(p);
  return { cardNumber: r.cardNumber, cardIdCode: cardIdCodeOf(r), status, ...(since ? { since } : {}) };
}

export function sexOfSsn(ssn: string): 'male' | 'female' {
  return Number(ssn[16]) % 2 === 1 ? 'male' : 'female';
}

export function birthDateOfSsn(ssn: string): string {
  return `${ssn.slice(6, 10)}-${ssn.slice(10, 12)}-${ssn.slice(12, 14)}`;
}

/** Employee months for the given types, each type starting no earlier than its own start month. */
export function employeeSpan(o: {
  from: string;
  to: string;
  factor: number;
  employer: string;
  starts?: Partial<Record<InsuranceType, string>>;
  arrears?: readonly string[];
}): ContributionRecord[] {
  const out: ContributionRecord[] = [];
  for (const type of Object.keys(EMPLOYEE_RATES) as InsuranceType[]) {
    const start = o.starts?.[type] ?? o.from;
    if (start > o.to) continue;
    const rate = EMPLOYEE_RATES[type];
    for (const ym of monthsBetween(start > o.from ? start : o.from, o.to)) {
      const baseFen = employeeBaseFen(Number(ym.slice(0, 4)), o.factor);
      out.push({
        type,
        scheme: 'employee',
        yearMonth: ym,
        baseFen,
        employerFen: partFen(baseFen, rate.employerBp),
        personalFen: partFen(baseFen, rate.personalBp),
        status: o.arrears?.includes(ym) ? 'arrears' : 'paid',
        employer: o.employer,
      });
    }
  }
  return out;
}

export function flexibleSpan(o: { from: string; to: string; baseFen: number; arrears?: readonly string[] }): ContributionRecord[] {
  const out: ContributionRecord[] = [];
  for (const [type, rate] of Object.entries(FLEXIBLE_RATES) as [InsuranceType, { employerBp: number; personalBp: number }][]) {
    for (const ym of monthsBetween(o.from, o.to)) {
      out.push({
        type,
        scheme: 'flexible',
        yearMonth: ym,
        baseFen: o.baseFen,
        employerFen: 0,
        personalFen: partFen(o.baseFen, rate.personalBp),
        status: o.arrears?.includes(ym) ? 'arrears' : 'paid',
        employer: '灵活就业',
      });
    }
  }
  return out;
}

/** Resident premiums: one record per year, on January, base 0 (grades instead of a base). */
export function residentYears(type: 'pension' | 'medical', fromYear: number, toYear: number, yuanOf: (y: number) => number): ContributionRecord[] {
  const out: ContributionRecord[] = [];
  for (let y = fromYear; y <= toYear; y++) {
    out.push({ type, scheme: 'resident', yearMonth: `${y}-01`, baseFen: 0, employerFen: 0, personalFen: yuanOf(y) * 100, status: 'paid', employer: '城乡居民' });
  }
  return out;
}

/** Pension personal account: 8 points of each paid month (no interest in the demo). */
export function pensionCreditsFen(records: readonly ContributionRecord[]): number {
  let sum = 0;
  for (const r of records) {
    if (r.type !== 'pension' || r.status !== 'paid') continue;
    if (r.scheme === 'flexible') sum += partFen(r.baseFen, FLEXIBLE_PENSION_ACCOUNT_BP);
    else if (r.scheme === 'resident') sum += r.personalFen + 40_00; // plus the government subsidy
    else sum += r.personalFen;
  }
  return sum;
}

/** A retiree's account after drawing 1/139 of it (the divisor at 60) each month since retiring. */
function afterDrawing(creditFen: number, retired: string): number {
  const drawn = monthsBetween(retired, SEED_THROUGH).length;
  return Math.max(0, Math.round(creditFen * (1 - drawn / 139)));
}

function medicalLast24Fen(records: readonly ContributionRecord[]): number {
  const recent = records.filter((r) => r.type === 'medical' && r.status === 'paid').slice(-24);
  return recent.reduce((s, r) => s + r.personalFen, 0);
}

function insured(types: readonly InsuranceType[], scheme: Scheme, status: InsuredType['status'], since: string): InsuredType[] {
  return types.map((type) => ({ type, scheme, status, since }));
}

const ALL: InsuranceType[] = ['pension', 'medical', 'unemployment', 'injury', 'maternity'];
/** When Beijing-like schemes began taking monthly contributions in this demo. */
const BEIJING_STARTS: Partial<Record<InsuranceType, string>> = {
  medical: '2001-04',
  unemployment: '1999-01',
  injury: '2004-01',
  maternity: '2005-07',
};

function activeEmployee(o: {
  ssn: string;
  name: string;
  card: CardProfile;
  cardStatus?: CardStatus;
  cardSince?: string;
  from: string;
  factor: number;
  employer: string;
}): SeedHolder {
  const contributions = employeeSpan({ from: o.from, to: SEED_THROUGH, factor: o.factor, employer: o.employer, starts: BEIJING_STARTS });
  return {
    ssn: o.ssn,
    name: o.name,
    sex: sexOfSsn(o.ssn),
    birthDate: birthDateOfSsn(o.ssn),
    employer: o.employer,
    agency: AGENCY_BEIJING,
    cards: [seedCardOf({ ssn: o.ssn, ...o.card }, o.cardStatus, o.cardSince)],
    insured: insured(ALL, 'employee', 'active', o.from),
    contributions,
    accounts: { pensionFen: pensionCreditsFen(contributions), medicalFen: medicalLast24Fen(contributions) },
  };
}

function retiredEmployee(o: { ssn: string; name: string; card: CardProfile; from: string; retired: string; lastMonth: string; employer: string; factor: number }): SeedHolder {
  const contributions = employeeSpan({ from: o.from, to: o.lastMonth, factor: o.factor, employer: o.employer, starts: BEIJING_STARTS });
  return {
    ssn: o.ssn,
    name: o.name,
    sex: sexOfSsn(o.ssn),
    birthDate: birthDateOfSsn(o.ssn),
    employer: null,
    agency: AGENCY_BEIJING,
    cards: [seedCardOf({ ssn: o.ssn, ...o.card })],
    insured: [
      ...insured(['pension', 'medical'], 'employee', 'retired', o.retired),
      ...insured(['unemployment', 'injury', 'maternity'], 'employee', 'terminated', o.retired),
    ],
    contributions,
    // Retirees' medical accounts get a flat monthly allocation; 1,286.50 yuan is a demo figure.
    accounts: { pensionFen: afterDrawing(pensionCreditsFen(contributions), o.retired), medicalFen: 128_650 },
  };
}

/** Li Xiuying (valid-gen3): employed 2008–2019, then flexible since 2020 with some months in arrears. */
function flexibleWorker(): SeedHolder {
  const ssn = '330302198507152348';
  const employer = '温州瓯江电器有限公司';
  const contributions = [
    ...employeeSpan({ from: '2008-07', to: '2019-12', factor: 0.7, employer }),
    ...flexibleSpan({ from: '2020-01', to: SEED_THROUGH, baseFen: 4500_00, arrears: ['2024-03', '2024-04', '2025-10', '2025-11', '2025-12'] }),
  ];
  return {
    ssn,
    name: '李秀英',
    sex: 'female',
    birthDate: birthDateOfSsn(ssn),
    employer: null,
    agency: AGENCY_WENZHOU,
    cards: [seedCardOf({ ssn, region: '330300', serial: '99110145', cardNumber: 'B87654321' })],
    insured: [
      ...insured(['pension', 'medical'], 'flexible', 'active', '2020-01'),
      ...insured(['unemployment', 'injury', 'maternity'], 'employee', 'suspended', '2020-01'),
    ],
    contributions,
    accounts: { pensionFen: pensionCreditsFen(contributions), medicalFen: 1_862_40 },
  };
}

/** The long-name card's holder: an urban-rural resident in Urumqi with resident pension and medical. */
function resident(): SeedHolder {
  const ssn = '650102197804058138';
  const contributions = [
    ...residentYears('pension', 2012, 2025, (y) => (y < 2020 ? 300 : 500)),
    ...residentYears('medical', 2016, 2025, residentMedicalYuan),
  ];
  return {
    ssn,
    name: '阿卜杜热西提·阿卜杜热合曼·买买提明',
    sex: 'male',
    birthDate: birthDateOfSsn(ssn),
    employer: null,
    agency: AGENCY_URUMQI,
    cards: [seedCardOf({ ssn, cardNumber: 'X65010219' })],
    insured: [...insured(['pension'], 'resident', 'active', '2012-01'), ...insured(['medical'], 'resident', 'active', '2016-01')],
    contributions,
    accounts: { pensionFen: pensionCreditsFen(contributions), medicalFen: null },
  };
}

/** Built fresh on each call: callers may mutate their copy with overrides. */
export function demoHolders(): SeedHolder[] {
  return [
    // valid: 张三, retired urban employee, 30 years of pension history (1980–2009).
    retiredEmployee({ ssn: '110101195001011234', name: '张三', card: {}, from: '1980-01', lastMonth: '2009-12', retired: '2010-01', employer: '北京东华机床厂', factor: 1.0 }),
    // expired: retired 2020 after 37 years.
    retiredEmployee({ ssn: '110105196003022011', name: '王建国', card: {}, from: '1982-07', lastMonth: '2020-02', retired: '2020-03', employer: '北京市朝阳区第三建筑工程公司', factor: 1.2 }),
    flexibleWorker(),
    resident(),
    activeEmployee({ ssn: '110102197208153010', name: '赵丽', card: {}, from: '1994-07', factor: 1.5, employer: '北京华信达会计师事务所有限公司' }),
    activeEmployee({
      ssn: '110106196811094116',
      name: '孙强',
      card: {},
      cardStatus: 'blacklisted',
      cardSince: '2025-06-18T02:00:00.000Z',
      from: '1990-03',
      factor: 0.8,
      employer: '北京丰台宏达物流有限公司',
    }),
    activeEmployee({ ssn: '110101198512127114', name: '郑伟', card: {}, from: '2008-09', factor: 2.0, employer: '北京中关村云图科技有限公司' }),
    activeEmployee({ ssn: '110108198002205121', name: '周敏', card: {}, from: '2002-07', factor: 1.0, employer: '北京海淀区明德中学' }),
    activeEmployee({ ssn: '110107199001016116', name: '吴刚', card: {}, from: '2013-07', factor: 0.6, employer: '北京石景山京西餐饮管理有限公司' }),
  ];
}
