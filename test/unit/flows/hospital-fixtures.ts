import type {
  Department,
  Doctor,
  HoldOutput,
  RegistrationsOutput,
  RegPayOutcome,
  RegSummary,
  Slot,
  SlotsOutput,
} from '../../../flows/session/register-types.js';

/** A small hospital for the machine tests: two departments, two doctors, three slots over two days. */
export const DEPARTMENTS: Department[] = [
  { id: 'internal', name: { zh: '内科', en: 'Internal Medicine' }, location: { zh: '门诊楼2层B区', en: 'Outpatient Building 2F, Zone B' } },
  { id: 'surgery', name: { zh: '外科', en: 'Surgery' }, location: { zh: '门诊楼3层A区', en: 'Outpatient Building 3F, Zone A' } },
];

export const DOCTORS: Doctor[] = [
  { id: 'internal-3', departmentId: 'internal', name: '陈明', title: 'attending', specialty: { zh: '呼吸', en: 'Respiratory' }, room: 3 },
  { id: 'internal-4', departmentId: 'internal', name: '赵磊', title: 'resident', specialty: { zh: '普通内科', en: 'General' }, room: 4 },
];

const fee = (total: number) => ({ registrationFen: 100, consultationFen: total - 100, totalFen: total });
const slot = (doctorId: string, date: string, start: string, end: string, remaining: number, total: number): Slot => ({
  id: `${doctorId}-${date.replace(/-/g, '')}-${start.replace(':', '')}`,
  departmentId: 'internal',
  doctorId,
  date,
  period: start < '12:00' ? 'morning' : 'afternoon',
  start,
  end,
  fee: fee(total),
  capacity: 5,
  remaining,
});

export const TODAY = '2025-03-01';
export const FULL_SLOT = slot('internal-3', TODAY, '10:00', '10:30', 0, 2000);
export const FREE_SLOT = slot('internal-4', TODAY, '10:00', '10:30', 3, 1000);
export const OTHER_SLOT = slot('internal-4', TODAY, '10:30', '11:00', 2, 1000);
export const TOMORROW_SLOT = slot('internal-3', '2025-03-02', '08:00', '08:30', 4, 2000);

export const SLOTS: SlotsOutput = { today: TODAY, doctors: DOCTORS, slots: [FULL_SLOT, FREE_SLOT, OTHER_SLOT, TOMORROW_SLOT] };
/** Everything full today: the preselection moves to tomorrow. */
export const SLOTS_TODAY_FULL: SlotsOutput = { today: TODAY, doctors: DOCTORS, slots: [FULL_SLOT, { ...FREE_SLOT, remaining: 0 }, TOMORROW_SLOT] };

export const HOLD: HoldOutput = { holdId: 'HD20250301000001', slotId: FREE_SLOT.id, expiresAt: '2025-03-01T06:05:00.000Z', slot: { ...FREE_SLOT, remaining: 2 } };

export const REGISTRATION: RegSummary = {
  regId: 'GH20250301000007',
  queueNumber: 7,
  department: DEPARTMENTS[0]!.name,
  doctor: { name: '赵磊', title: 'resident' },
  date: TODAY,
  period: 'morning',
  start: '10:00',
  end: '10:30',
  location: { zh: '门诊楼2层B区 4诊室', en: 'Outpatient Building 2F, Zone B, room 4' },
  feeFen: 1000,
  method: 'medical-account',
};

export const REGISTERED: RegPayOutcome = { status: 'registered', txnId: 'YKT-T-0001-20250301060000-0a0b0c0d', registration: REGISTRATION };
export const REG_OUTCOMES: RegPayOutcome[] = [
  REGISTERED,
  { status: 'paid-pending', txnId: 'T-R2', amountFen: 1000 },
  { status: 'declined', txnId: 'T-R3', reason: 'WRONG_PIN', triesLeft: 2 },
  { status: 'declined', txnId: 'T-R4', reason: 'INSUFFICIENT_BALANCE' },
  { status: 'failed', txnId: 'T-R5', code: 'MEDICAL_UNREACHABLE' },
  { status: 'refunded', txnId: 'T-R6', code: 'HOLD_EXPIRED', reason: 'EXPIRED' },
  { status: 'reversed', txnId: 'T-R7', code: 'BANK_TIMEOUT' },
  { status: 'uncertain', txnId: 'T-R8', code: 'MEDICAL_TIMEOUT' },
];

export const CANCELLABLE: RegistrationsOutput = {
  registrations: [REGISTRATION, { ...REGISTRATION, regId: 'GH20250301000009', queueNumber: 9, start: '10:30', end: '11:00' }],
  refund: 'kiosk',
};
export const NONE_CANCELLABLE: RegistrationsOutput = { registrations: [], refund: 'counter' };
