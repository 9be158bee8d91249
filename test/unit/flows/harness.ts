import { createActor, fromPromise, SimulatedClock, type NonReducibleUnknown } from 'xstate';
import type { CardInfo } from '../../../kiosk/card/card-info.js';
import {
  sessionMachine,
  type CapturePinInput,
  type CardStatus,
  type CheckCardStatusInput,
  type CheckCardStatusOutput,
  type DuesOutput,
  type PayOrderInput,
  type PayOutcome,
  type PrepareReaderOutput,
  type PrintStatementInput,
  type PrintStatementOutput,
  type RecordsOutput,
  type RetainCardInput,
  type ServiceRefOutput,
  type SessionConfig,
  type Lang,
  type VerifyPinInput,
} from '../../../flows/session/index.js';
import type {
  CancelOutput,
  Department,
  HoldOutput,
  RegistrationsOutput,
  RegPayInput,
  RegPayOutcome,
  SlotsOutput,
} from '../../../flows/session/register-types.js';
import { presentSession } from '../../../flows/view/present.js';
import { ScreenView } from '../../../flows/view/protocol.js';

export const HOLDER: CardInfo = {
  cardIdCode: '110100D15600000500A1B2C3D4',
  regionCode: '110100',
  cardType: '3',
  specVersion: '3.00',
  issuerCode: '110100',
  issueDate: '2020-01-15',
  expiryDate: '2030-01-15',
  cardNumber: 'A98765432',
  ssn: '110101195001011234',
  name: '张三',
  sex: 'male',
  ethnicity: '01',
  birthDate: '1950-01-01',
  atrHistorical: '0086',
};

/** The holder of a code session: what the code and the backend give (no issue date, no ATR). */
export const CODE_HOLDER: CardInfo = {
  ...HOLDER,
  cardType: '',
  specVersion: '',
  issuerCode: '',
  issueDate: '',
  sex: 'unknown',
  ethnicity: '',
  atrHistorical: '',
};

export function codedError(
  code: string,
  message = code,
  extra: Record<string, unknown> = {},
): Error & { code: string } & Record<string, unknown> {
  return Object.assign(new Error(message), { code, ...extra });
}

const rec = (
  type: RecordsOutput['records'][number]['type'],
  yearMonth: string,
  status: 'paid' | 'arrears' = 'paid',
): RecordsOutput['records'][number] => ({
  type,
  scheme: 'employee',
  yearMonth,
  baseFen: 600_000,
  employerFen: type === 'pension' ? 96_000 : 60_000,
  personalFen: type === 'pension' ? 48_000 : 12_000,
  status,
  employer: '北京市某某科技有限公司',
});

/** A small history: pension over two years (one month in arrears) and medical in one. */
export const RECORDS: RecordsOutput = {
  records: [
    rec('pension', '2024-11'),
    rec('pension', '2024-12'),
    rec('pension', '2025-01'),
    rec('pension', '2025-02', 'arrears'),
    rec('medical', '2025-01'),
    rec('medical', '2025-02'),
  ],
  balances: { pension: { balanceFen: 5_234_567, asOf: '2025-02-28' }, medical: { balanceFen: 123_456, asOf: '2025-02-28' } },
  insured: [
    { type: 'pension', scheme: 'employee', status: 'active', since: '2024-11' },
    { type: 'medical', scheme: 'employee', status: 'active', since: '2025-01' },
  ],
};

/** A flexible worker's dues: pension by month (two bases, two months in arrears) and medical. */
export const DUES: DuesOutput = {
  panMasked: '621700*********5678',
  dues: [
    {
      item: 'flexible-pension',
      type: 'pension',
      scheme: 'flexible',
      unit: 'month',
      periods: ['2025-11', '2025-12', '2026-01'],
      arrears: ['2025-11', '2025-12'],
      choices: [
        { id: 'base-4500', amountFen: 90_000, baseFen: 450_000 },
        { id: 'base-6000', amountFen: 120_000, baseFen: 600_000 },
      ],
      defaultChoiceId: 'base-4500',
      maxPeriods: 12,
    },
    {
      item: 'flexible-medical',
      type: 'medical',
      scheme: 'flexible',
      unit: 'month',
      periods: ['2026-01'],
      arrears: [],
      choices: [{ id: 'base-4500', amountFen: 36_000, baseFen: 450_000 }],
      defaultChoiceId: 'base-4500',
      maxPeriods: 12,
    },
  ],
};

export const NO_RECORDS: RecordsOutput = { records: [], balances: { pension: null, medical: null }, insured: [] };

/** The test PIN of the fixture card: it must never appear in anything the flows produce. */
export const TEST_PIN = '123456';

interface Deferred<T> {
  resolve(v: T): void;
  reject(e: unknown): void;
}

type ActorName =
  | 'prepareReader'
  | 'enableInsertion'
  | 'readCard'
  | 'readTapped'
  | 'checkCode'
  | 'checkCardStatus'
  | 'verifyPin'
  | 'capturePin'
  | 'applyPinChange'
  | 'reportLoss'
  | 'liftLoss'
  | 'queryContributions'
  | 'printStatement'
  | 'loadDues'
  | 'captureOnlinePin'
  | 'payPremium'
  | 'printPaymentReceipt'
  | 'ejectCard'
  | 'retainCard'
  | 'recoverReader'
  // Hospital profile.
  | 'loadDepartments'
  | 'loadSlots'
  | 'holdSlot'
  | 'readBankAccount'
  | 'payRegistration'
  | 'printSlip'
  | 'loadRegistrations'
  | 'cancelRegistration';

/**
 * Drives the real machine with fake device actors whose promises the test settles by hand, on a
 * simulated clock. `calls` records every actor start, `aborted` every actor stopped mid-flight.
 */
export function startSession(opts: { config?: Partial<SessionConfig>; lang?: Lang } = {}) {
  const clock = new SimulatedClock();
  clock.set(Date.UTC(2025, 2, 1, 6, 0, 0));
  const calls: { name: ActorName; input?: unknown }[] = [];
  const aborted: ActorName[] = [];
  const pending = new Map<ActorName, Deferred<unknown>>();

  function fake<T, I = NonReducibleUnknown>(name: ActorName) {
    return fromPromise<T, I>(({ input, signal }) => {
      calls.push({ name, input });
      return new Promise<T>((resolve, reject) => {
        const d: Deferred<unknown> = { resolve: resolve as (v: unknown) => void, reject };
        pending.set(name, d);
        signal.addEventListener('abort', () => {
          aborted.push(name);
          // A stopped actor can no longer report: settling it would prove nothing.
          if (pending.get(name) === d) pending.delete(name);
        });
      });
    });
  }

  const machine = sessionMachine.provide({
    actors: {
      prepareReader: fake<PrepareReaderOutput>('prepareReader'),
      enableInsertion: fake<void>('enableInsertion'),
      readCard: fake<CardInfo>('readCard'),
      readTapped: fake<CardInfo>('readTapped'),
      checkCode: fake<CardInfo, { text: string }>('checkCode'),
      checkCardStatus: fake<CheckCardStatusOutput, CheckCardStatusInput>('checkCardStatus'),
      verifyPin: fake<void, VerifyPinInput>('verifyPin'),
      capturePin: fake<void, CapturePinInput>('capturePin'),
      applyPinChange: fake<void>('applyPinChange'),
      reportLoss: fake<ServiceRefOutput>('reportLoss'),
      liftLoss: fake<ServiceRefOutput>('liftLoss'),
      queryContributions: fake<RecordsOutput>('queryContributions'),
      printStatement: fake<PrintStatementOutput, PrintStatementInput>('printStatement'),
      loadDues: fake<DuesOutput>('loadDues'),
      captureOnlinePin: fake<void>('captureOnlinePin'),
      payPremium: fake<PayOutcome, PayOrderInput>('payPremium'),
      printPaymentReceipt: fake<void, { txnId?: string }>('printPaymentReceipt'),
      ejectCard: fake<void>('ejectCard'),
      retainCard: fake<void, RetainCardInput>('retainCard'),
      recoverReader: fake<void>('recoverReader'),
      loadDepartments: fake<Department[]>('loadDepartments'),
      loadSlots: fake<SlotsOutput, { departmentId: string }>('loadSlots'),
      holdSlot: fake<HoldOutput, { slotId: string }>('holdSlot'),
      readBankAccount: fake<{ panMasked: string }>('readBankAccount'),
      payRegistration: fake<RegPayOutcome, RegPayInput>('payRegistration'),
      printSlip: fake<void, { regId?: string }>('printSlip'),
      loadRegistrations: fake<RegistrationsOutput>('loadRegistrations'),
      cancelRegistration: fake<CancelOutput, { regId: string }>('cancelRegistration'),
    },
  });
  const actor = createActor(machine, { input: { config: opts.config ?? {}, lang: opts.lang }, clock });
  actor.start();

  const settle = async () => {
    for (let i = 0; i < 2; i++) await new Promise<void>((r) => setImmediate(r));
  };
  const take = (name: ActorName): Deferred<unknown> => {
    const d = pending.get(name);
    if (!d) throw new Error(`${name} is not pending (calls: ${calls.map((c) => c.name).join(', ')})`);
    pending.delete(name);
    return d;
  };

  const s = {
    actor,
    clock,
    calls,
    aborted,
    names: () => calls.map((c) => c.name),
    snapshot: () => actor.getSnapshot(),
    view: (): ScreenView =>
      ScreenView.parse(presentSession(actor.getSnapshot(), { terminalId: 'YKT-T-0001', now: clock.now() })),
    screen: () => s.view().screen,
    card: () => actor.getSnapshot().context.card,
    controls: () => s.view().controls.map((c) => c.id),
    isPending: (name: ActorName) => pending.has(name),
    async resolve(name: ActorName, value?: unknown) {
      take(name).resolve(value);
      await settle();
    },
    async reject(name: ActorName, err: unknown) {
      take(name).reject(err);
      await settle();
    },
    send(event: Parameters<typeof actor.send>[0]) {
      actor.send(event);
    },
    touch(control: string) {
      actor.send({ type: 'TOUCH', control });
    },
    /**
     * Advance virtual time timer by timer: SimulatedClock.increment fires only timers already due
     * at the end, so a timer armed by another timer inside the same span would be missed.
     */
    async wait(ms: number) {
      const target = clock.now() + ms;
      const timers = (clock as unknown as { timeouts: Map<number, { start: number; timeout: number }> }).timeouts;
      for (;;) {
        let next = Infinity;
        for (const t of timers.values()) next = Math.min(next, t.start + t.timeout);
        if (next > target) break;
        clock.set(Math.max(next, clock.now()));
        await settle();
      }
      clock.set(target);
      await settle();
    },
    /** starting → idle with an empty reader. */
    async toIdle() {
      await s.resolve('prepareReader', { position: 'none' });
    },
    /** idle → card read → status checked (→ `pin` with the default pinAtStart). */
    async toChecked(status: CardStatus = 'normal') {
      await s.toIdle();
      s.send({ type: 'CARD_INSERTED' });
      await s.resolve('readCard', HOLDER);
      await s.resolve('checkCardStatus', { status, source: 'backend' });
    },
    /** idle → a card tapped → read → status checked (→ `pin` with the default pinAtStart). */
    async toTapChecked(status: CardStatus = 'normal') {
      await s.toIdle();
      s.send({ type: 'TAP' });
      await s.resolve('readTapped', HOLDER);
      await s.resolve('checkCardStatus', { status, source: 'backend' });
    },
    /** idle → an e-card code scanned → checked → status checked (→ `menu`: no PIN for a code). */
    async toCodeChecked(status: CardStatus = 'normal') {
      await s.toIdle();
      s.send({ type: 'SCAN', text: 'YKTEC1.test' });
      await s.resolve('checkCode', CODE_HOLDER);
      await s.resolve('checkCardStatus', { status, source: 'backend' });
    },
    /** idle → menu with HOLDER: read, status, right PIN (when pinAtStart). */
    async toMenu(status: CardStatus = 'normal') {
      await s.toChecked(status);
      if (s.isPending('verifyPin')) await s.resolve('verifyPin');
    },
  };
  return s;
}
