/**
 * The medical insurance personal account (医保个人账户) as a `PaymentGateway`, so the payment
 * engine's write-ahead, reversal on doubt and recovery run over it exactly as over the bank
 * (docs/payments.md, "Registration fees"). The account is held by the social security backend and
 * reached through its client (`debitMedicalAccount`, `reverseMedicalDebit`).
 *
 * The account is the holder's ssn and there is no PIN block: the holder proved the card's PIN at
 * the kiosk in this visit (VERIFY to the card), which is how the agency's kiosks authorise account
 * payments; the engine only takes a medical-account payment for the holder of the card read.
 *
 * Errors become PaymentErrors that say what is known about the money, like the bank client's:
 *   MEDICAL_UNREACHABLE   no connection was made (refused, DNS): nothing was debited → failed;
 *   MEDICAL_REJECTED      the backend refused the request (holder unknown, txnId reused): nothing → failed;
 *   MEDICAL_TIMEOUT       no answer in time: it may have debited → reversed;
 *   MEDICAL_BAD_RESPONSE  5xx, connection dropped after sending, off-schema, or another txnId → reversed.
 */
import { BackendError, type MedicalAccountApi, type MedicalDebitRequest } from '../backend/interface.js';
import { PaymentError, type DebitResult, type PaymentErrorCode, type PaymentGateway, type ReversalResult } from './gateway.js';

export type MedicalAccountGateway = PaymentGateway<MedicalDebitRequest>;

/** Errors of connection set-up: the request cannot have left (the same set as the bank client's). */
const NOT_SENT = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'EADDRNOTAVAIL']);

function toPaymentError(err: unknown, op: string): PaymentError {
  if (err instanceof PaymentError) return err;
  let code: PaymentErrorCode = 'MEDICAL_BAD_RESPONSE';
  if (err instanceof BackendError) {
    const cause = (err.cause as { code?: string } | undefined)?.code;
    if (err.code === 'BACKEND_TIMEOUT') code = 'MEDICAL_TIMEOUT';
    else if (err.code === 'BACKEND_UNAVAILABLE') code = cause && NOT_SENT.has(cause) ? 'MEDICAL_UNREACHABLE' : 'MEDICAL_BAD_RESPONSE';
    else if (err.code === 'BACKEND_REJECTED' || err.code === 'BACKEND_NOT_FOUND') code = 'MEDICAL_REJECTED';
  }
  const reason = err instanceof BackendError && err.reason ? ` (${err.reason})` : '';
  return new PaymentError(code, `medical account ${op}: ${(err as Error)?.message ?? String(err)}${reason}`, { cause: err });
}

export function createMedicalAccountGateway(backend: MedicalAccountApi): MedicalAccountGateway {
  return {
    async debit(req: MedicalDebitRequest): Promise<DebitResult> {
      let r;
      try {
        r = await backend.debitMedicalAccount(req);
      } catch (e) {
        throw toPaymentError(e, 'debit');
      }
      if (r.txnId !== req.txnId) throw new PaymentError('MEDICAL_BAD_RESPONSE', `medical account answered for another txnId`);
      return r.outcome === 'approved'
        ? { txnId: r.txnId, outcome: 'approved', bankRef: r.ref }
        : { txnId: r.txnId, outcome: 'declined', declineReason: r.declineReason };
    },
    async reverse(txnId: string): Promise<ReversalResult> {
      let r;
      try {
        r = await backend.reverseMedicalDebit(txnId);
      } catch (e) {
        throw toPaymentError(e, 'reversal');
      }
      if (r.txnId !== txnId) throw new PaymentError('MEDICAL_BAD_RESPONSE', `medical account answered a reversal for another txnId`);
      return r;
    },
    // The backend client belongs to the host (it serves every other backend call too).
    close: () => undefined,
  };
}
