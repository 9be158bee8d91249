import { randomBytes } from 'node:crypto';
import { fromPromise } from 'xstate';
import { YktError } from '../../drivers/common/errors.js';
import type { Logger } from '../../drivers/common/log.js';
import { PrinterError } from '../../drivers/printer/errors.js';
import type { Printer } from '../../drivers/printer/interface.js';
import { canPrint, refusalFor } from '../../drivers/printer/status.js';
import type { PrintStatementInput, PrintStatementOutput, RecordsOutput } from '../../flows/session/types.js';
import type { SocialSecurityBackend } from '../backend/interface.js';
import type { CardInfo } from '../card/card-info.js';
import type { Journal } from '../journal/journal.js';
import { statementReceipt } from '../print/index.js';

export interface RecordsDeps {
  backend: SocialSecurityBackend;
  /** Absent when the terminal has no printer. */
  printer?: Printer;
  journal: Journal;
  logger: Logger;
  terminalId: string;
  currentHolder(): CardInfo | undefined;
  /** The visit's language: the statement is printed in it. */
  lang(): 'zh-CN' | 'en';
  print: { verifyUrlBase?: string; detailMonths: number };
}

/**
 * Actors of the contributions journey: the holder's records from the backend, and a printed
 * statement. The statement's verification code is journaled (never the holder's data beyond the
 * masked id): an operator can reprint or confirm a slip from it.
 */
export function recordsActors(d: RecordsDeps) {
  return {
    queryContributions: fromPromise<RecordsOutput>(async () => {
      const h = holderOf(d);
      const [records, balances, profile] = await Promise.all([
        d.backend.contributions(h.ssn),
        d.backend.accountBalances(h.ssn),
        d.backend.holderProfile(h.ssn),
      ]);
      return { records, balances, insured: profile.insured };
    }),
    printStatement: fromPromise<PrintStatementOutput, PrintStatementInput>(async ({ input, signal }) => {
      const h = holderOf(d);
      const printer = d.printer;
      if (!printer) throw new PrinterError('PRINTER_OFFLINE', { message: 'this terminal has no printer' });
      // Ask the printer first: no statement is issued (and numbered) for a printer that cannot print.
      const before = await printer.pollStatus();
      if (!canPrint(before)) throw refusalFor(before, 'before');
      const requestId = `${d.terminalId}-${randomBytes(8).toString('hex')}`;
      const statement = await d.backend.statement(h.ssn, {
        kind: input.kind,
        ...(input.kind === 'detail' ? { months: d.print.detailMonths } : {}),
        terminalId: d.terminalId,
        requestId,
      });
      // The citizen left (card pulled, finish): do not print for nobody.
      if (signal.aborted) throw new YktError('PRINT_ABANDONED', 'the visit ended before printing');
      const receipt = statementReceipt(statement, {
        lang: d.lang() === 'en' ? 'en' : 'zh',
        ...(d.print.verifyUrlBase ? { verifyUrlBase: d.print.verifyUrlBase } : {}),
      });
      const entry = { kind: input.kind, code: statement.code, ssn: h.ssn, terminalId: d.terminalId };
      try {
        const r = await printer.print(receipt);
        d.journal.append('print', 'printed', { ...entry, bytes: r.bytes });
      } catch (e) {
        const code = (e as { code?: string }).code ?? 'PRINTER_ERROR';
        d.journal.append('print', 'failed', { ...entry, error: code });
        d.logger.warn({ code, kind: input.kind }, 'statement not printed');
        throw e;
      }
      return { code: statement.code };
    }),
  };
}

function holderOf(d: RecordsDeps): CardInfo {
  const h = d.currentHolder();
  if (!h) throw new YktError('NO_HOLDER', 'no card has been read in this session');
  return h;
}
