/**
 * HTTP JSON client for the social security backend (the real agency gateway, or the embedded one).
 *
 * - Every request has its own deadline (AbortController, real time: it bounds network I/O).
 * - GETs are retried, with exponential backoff on the injected Clock (so scenario runs on virtual
 *   time do not wait), and so is postPremium, the one write that is idempotent by a key the caller
 *   chose for the money (txnId): repeating it with the same body cannot post twice. Other writes
 *   are never retried here: they carry a requestId and the caller repeats it when it wants to.
 * - Every response is validated; whatever does not match becomes BACKEND_BAD_RESPONSE.
 * - Logs carry the operation and a masked ssn, never URLs (they hold the ssn) or bodies (names).
 */
import { createServiceClient, type ServiceCall, type ServiceErrors } from '../http/service-client.js';
import { randomUUID } from 'node:crypto';
import type { Clock } from '../../drivers/common/clock.js';
import type { Logger } from '../../drivers/common/log.js';
import {
  BackendError,
  type BackendErrorCode,
  type BlacklistDelta,
  type BlacklistPage,
  type BlacklistPageQuery,
  type ContributionQuery,
  type MedicalAccountApi,
  type MedicalDebitRequest,
  type MedicalLedgerReader,
  type PostPremiumRequest,
  type SocialSecurityBackend,
  type StatementRequest,
} from './interface.js';
import {
  AccountsResponse,
  BlacklistResponse,
  CardStatusResponse,
  ContributionsResponse,
  EcardStatusResponse,
  GateEventsResponse,
  ErrorResponse,
  HolderProfileResponse,
  LossResponse,
  MedicalDebitResponse,
  MedicalReversalResponse,
  MedicalTransactionsResponse,
  PostingsResponse,
  PostPremiumResponse,
  PremiumsDueResponse,
  StatementResponse,
  VerificationResponse,
  paths,
} from './wire.js';

export interface BackendClientOptions {
  baseUrl: string;
  /** Deadline for one attempt, connect to last byte (ms, real time). */
  timeoutMs: number;
  /** Extra attempts for GETs and postPremium after the first (0 = no retry). */
  retries: number;
  /** First backoff delay (ms on `clock`); doubles per retry. Default 200. */
  backoffMs?: number;
  clock?: Clock;
  logger: Logger;
  /** Mutual TLS for an https baseUrl: CA to trust, and the terminal's certificate and key. */
  tls?: { ca?: string | Buffer; cert?: string | Buffer; key?: string | Buffer };
  /** Largest response accepted (bytes). Default 4 MiB: a 50-year detail is ~300 KB. */
  maxResponseBytes?: number;
  /**
   * Counts HTTP requests on the wire (not the backoff between retries): a virtual-time runner
   * waits for these in real time, while a backoff runs on `clock` like any other timer.
   */
  inFlight?: { count: number };
  /**
   * Also expire each attempt's deadline on `clock` (whichever comes first): a virtual-time runner
   * then does not wait in real time for an answer a fault holds back. Default false.
   */
  deadlineOnClock?: boolean;
}

export interface BackendClient extends SocialSecurityBackend, MedicalAccountApi, MedicalLedgerReader {
  /** Releases the TLS agent's sockets. */
  close(): void;
}

interface Call<T> extends Omit<ServiceCall<T>, 'retryable'> {
  /** A write that may be repeated with the same body (the server dedupes it): retried like a GET. */
  idempotentWrite?: boolean;
}

/** Codes worth another attempt (of a GET or an idempotent write): the server or a proxy in between was unwell. */
const RETRYABLE_CODES: ReadonlySet<BackendErrorCode> = new Set(['BACKEND_TIMEOUT', 'BACKEND_UNAVAILABLE']);

const fail = (code: BackendErrorCode, op: string, message: string, extra?: { reason?: string; cause?: unknown }): BackendError =>
  new BackendError(code, op, message, extra);

const BACKEND_ERRORS: ServiceErrors<BackendError> = {
  timeout: (op, message, cause) => fail('BACKEND_TIMEOUT', op, message, { cause }),
  unavailable: (op, message, cause) => fail('BACKEND_UNAVAILABLE', op, message, cause === undefined ? undefined : { cause }),
  badResponse: (op, message, cause) => fail('BACKEND_BAD_RESPONSE', op, message, cause === undefined ? undefined : { cause }),
  refused: (op, { code, reason, message }) => {
    switch (code) {
      case 'NOT_FOUND':
        return fail('BACKEND_NOT_FOUND', op, message);
      case 'LOSS_NOT_LIFTABLE':
        return fail('LOSS_NOT_LIFTABLE', op, message, { reason: reason ?? 'NOT_LIFTABLE' });
      case 'BAD_REQUEST':
        return fail('BACKEND_REJECTED', op, message, { reason: reason ?? 'BAD_REQUEST' });
      default:
        return fail('BACKEND_REJECTED', op, message, { reason: reason ?? 'REJECTED' });
    }
  },
  isOwn: (err): err is BackendError => err instanceof BackendError,
  transient: (err) => RETRYABLE_CODES.has(err.code),
  describe: (err) => ({ code: err.code, reason: err.reason }),
};

export function createBackendClient(opts: BackendClientOptions): BackendClient {
  // No keep-alive: a kiosk sends a handful of requests per visit, and a stale pooled socket would
  // turn a POST into an ambiguous "socket hang up".
  const client = createServiceClient(
    { ...opts, service: 'backend', maxResponseBytes: opts.maxResponseBytes ?? 4 * 1024 * 1024, refusal: ErrorResponse },
    BACKEND_ERRORS,
  );
  const call = <T,>(c: Call<T>): Promise<T> =>
    client.call({ ...c, retryable: c.method === 'GET' || c.idempotentWrite === true });

  const blacklistPage = (q: BlacklistPageQuery): Promise<BlacklistPage> =>
    call({
      op: 'blacklistSince',
      method: 'GET',
      path: paths.blacklist(),
      query: { since: q.since, cursor: q.cursor, limit: q.limit },
      schema: BlacklistResponse,
    });

  /** All pages of one answer; a full list whose version moves between pages is fetched again (3 tries). */
  async function wholeBlacklist(since: number): Promise<BlacklistDelta> {
    for (let attempt = 1; ; attempt++) {
      let page = await blacklistPage({ since });
      const out: BlacklistDelta = { version: page.version, full: page.full, add: page.add, remove: page.remove };
      let consistent = true;
      while (consistent && page.next !== undefined) {
        page = await blacklistPage({ since, cursor: page.next });
        consistent = page.full && page.version === out.version;
        if (consistent) out.add = out.add.concat(page.add);
      }
      if (consistent) return out;
      if (attempt === 3) throw fail('BACKEND_UNAVAILABLE', 'blacklistSince', 'blacklist kept changing during a full download');
    }
  }

  return {
    cardStatus: (ssn, cardNumber) =>
      call({ op: 'cardStatus', method: 'GET', path: paths.cardStatus(ssn, cardNumber), schema: CardStatusResponse, ssn }),
    reportLoss: (r) =>
      call({
        op: 'reportLoss',
        method: 'POST',
        path: paths.lossReports(r.ssn, r.cardNumber),
        body: { kind: r.kind, terminalId: r.terminalId, requestId: r.requestId },
        schema: LossResponse,
        ssn: r.ssn,
      }),
    liftLoss: (r) =>
      call({
        op: 'liftLoss',
        method: 'POST',
        path: paths.lossLifts(r.ssn, r.cardNumber),
        body: { terminalId: r.terminalId, requestId: r.requestId },
        schema: LossResponse,
        ssn: r.ssn,
      }),
    holderProfile: (ssn) => call({ op: 'holderProfile', method: 'GET', path: paths.holder(ssn), schema: HolderProfileResponse, ssn }),
    contributions: async (ssn, q: ContributionQuery = {}) =>
      (
        await call({
          op: 'contributions',
          method: 'GET',
          path: paths.contributions(ssn),
          query: { type: q.type, fromYear: q.fromYear, toYear: q.toYear },
          schema: ContributionsResponse,
          ssn,
        })
      ).records,
    accountBalances: (ssn) => call({ op: 'accountBalances', method: 'GET', path: paths.accounts(ssn), schema: AccountsResponse, ssn }),
    statement: (ssn, r: StatementRequest) =>
      call({
        op: 'statement',
        method: 'POST',
        path: paths.statements(ssn),
        body: { kind: r.kind, months: r.months, terminalId: r.terminalId, requestId: r.requestId ?? randomUUID() },
        schema: StatementResponse,
        ssn,
      }),
    verifyStatement: (code) => call({ op: 'verifyStatement', method: 'GET', path: paths.verification(code), schema: VerificationResponse }),
    blacklistSince: wholeBlacklist,
    blacklistPage,
    premiumsDue: async (ssn) =>
      (await call({ op: 'premiumsDue', method: 'GET', path: paths.premiumsDue(ssn), schema: PremiumsDueResponse, ssn })).dues,
    postPremium: (r: PostPremiumRequest) =>
      call({
        op: 'postPremium',
        method: 'POST',
        path: paths.premiumPostings(),
        // Built field by field: the same body on every attempt, and nothing the caller added by accident.
        body: {
          txnId: r.txnId,
          ssn: r.ssn,
          item: r.item,
          choiceId: r.choiceId,
          periods: r.periods,
          amountFen: r.amountFen,
          terminalId: r.terminalId,
          bankRef: r.bankRef,
          paidAt: r.paidAt,
        },
        schema: PostPremiumResponse,
        ssn: r.ssn,
        idempotentWrite: true,
      }),
    postingsOn: async (date) =>
      (await call({ op: 'postingsOn', method: 'GET', path: paths.premiumPostings(), query: { date }, schema: PostingsResponse })).postings,
    ecardStatus: (jti) => call({ op: 'ecardStatus', method: 'GET', path: paths.ecardStatus(jti), schema: EcardStatusResponse }),
    // The medical account's debit is never retried here (like a bank debit: a doubt is reversed by
    // the payment engine, never resent); its reversal is idempotent by txnId and retried like a GET.
    debitMedicalAccount: (r: MedicalDebitRequest) =>
      call({
        op: 'medicalDebit',
        method: 'POST',
        path: paths.medicalDebits(r.ssn),
        body: { txnId: r.txnId, amountFen: r.amountFen, terminalId: r.terminalId, description: r.description },
        schema: MedicalDebitResponse,
        ssn: r.ssn,
      }),
    reverseMedicalDebit: (txnId: string) =>
      call({ op: 'medicalReversal', method: 'POST', path: paths.medicalReversals(), body: { txnId }, schema: MedicalReversalResponse, idempotentWrite: true }),
    medicalTransactionsOn: (date) =>
      call({ op: 'medicalTransactionsOn', method: 'GET', path: paths.medicalTransactions(), query: { date }, schema: MedicalTransactionsResponse }),
    uploadGateEvents: (req) =>
      call({ op: 'uploadGateEvents', method: 'POST', path: paths.gateEvents(req.terminalId), body: req, schema: GateEventsResponse, idempotentWrite: true }),
    close: () => client.close(),
  };
}
