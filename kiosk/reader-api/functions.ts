/**
 * The national reader interface's functions (iReadCardBas, iVerifyPIN, iChangePIN, iGetCardType,
 * iGetReaderInfo) over an injected CardAccess: same parameters, same output text, same return
 * codes as the vendor DLL a hospital system already calls, so its integration changes transport
 * only. Nothing here touches a device or the host; driver-session.ts and arbiter.ts provide the
 * implementation the host wires in.
 */
import type { CardInfo } from '../card/card-info.js';
import { CardError, errorCodeOf } from '../card/card-error.js';
import { ReaderApiError } from './errors.js';
import { RC, messageFor, returnCodeFor } from './return-codes.js';

export const READER_FUNCTIONS = ['iReadCardBas', 'iVerifyPIN', 'iChangePIN', 'iGetCardType', 'iGetReaderInfo'] as const;
export type ReaderFunctionName = (typeof READER_FUNCTIONS)[number];

/**
 * Functions of the national interface this terminal does not offer: they answer -13 (command not
 * supported), as a DLL without them would, instead of "no such route". Reload/unblock need the
 * issuer's keys online, writes and debits are not a hospital's business, and the HSM variants
 * exist for terminals without a PSAM.
 */
export const NOT_OFFERED: readonly string[] = [
  'iReloadPIN',
  'iUnblockPIN',
  'iReadCard',
  'iWriteCard',
  'iDoDebit',
  'iReadDebitRecord',
  'iReadCardBas_HSM_Step1',
  'iReadCardBas_HSM_Step2',
  'iReadCard_HSM_Step1',
  'iReadCard_HSM_Step2',
  'iWriteCard_HSM_Step1',
  'iWriteCard_HSM_Step2',
  'iReloadPIN_HSM_Step1',
  'iReloadPIN_HSM_Step2',
  'iReloadPIN_HSM_Step3',
  'iUnblockPIN_HSM_Step1',
  'iUnblockPIN_HSM_Step2',
  'iUnblockPIN_HSM_Step3',
  'iDoDebit_HSM_Step1',
  'iDoDebit_HSM_Step2',
];

export function isReaderFunction(name: string): name is ReaderFunctionName {
  return (READER_FUNCTIONS as readonly string[]).includes(name);
}

/** 1 contact, 2 contactless, 3 auto (contact first), 4 auto (contactless first). */
export type IType = 1 | 2 | 3 | 4;
export type CardInterface = 'contact' | 'contactless';

export function interfacesFor(iType: IType): readonly CardInterface[] {
  switch (iType) {
    case 1:
      return ['contact'];
    case 2:
      return ['contactless'];
    case 3:
      return ['contact', 'contactless'];
    case 4:
      return ['contactless', 'contact'];
  }
}

/** What the reader itself may tell about its identity; absent fields come from the configuration. */
export interface ReaderInfo {
  readerSerial?: string;
  psamTerminalNo?: string;
}

/**
 * One holder's use of the reader, PSAM and PIN pad. Every method may reject with the project's
 * typed errors (CardError, PinError, ReaderError, LinkError, PinPadError, ReaderApiError): the
 * functions map them through return-codes.ts.
 */
export interface ReaderSession {
  /**
   * The first interface in `order` that has a card: a card inside the motorized reader for
   * 'contact', a card the antenna activates for 'contactless'. Rejects READER_API_NOT_CONNECTED
   * when the reader is not in service.
   */
  cardPresent(order: readonly CardInterface[]): Promise<CardInterface | 'none'>;
  /** Reads EF05/EF06 and proves the card genuine with the PSAM (internal authentication). */
  readCardInfo(via: CardInterface): Promise<CardInfo>;
  /** The citizen types the PIN on the encrypting PIN pad; the pad presents it to the card. */
  verifyPin(via: CardInterface, signal: AbortSignal): Promise<void>;
  /** Old PIN, new PIN, new PIN again on the pad; the pad builds CHANGE PIN. */
  changePin(via: CardInterface, signal: AbortSignal): Promise<void>;
  /** Checks that the reader answers and the PSAM powers on. */
  readerInfo(): Promise<ReaderInfo>;
}

/**
 * The reader as shared with the kiosk's own flows (the host implements it; arbiter.ts has the
 * ready-made one). `withReader` must take the reader for `fn` or fail at once with a
 * ReaderBusyError (READER_API_BUSY) — never wait behind a citizen's visit — and release it when
 * `fn` settles.
 */
export interface CardAccess {
  withReader<T>(client: string, fn: (session: ReaderSession) => Promise<T>): Promise<T>;
}

/** What a function returns: `output` is the text the DLL writes into its output buffer. */
export interface FunctionResult {
  code: number;
  output?: string;
  message: string;
  /** -51 only: the card's remaining PIN tries (the DLL says it in its message text). */
  triesLeft?: number;
}

/** A result plus what the server may log about the holder (masked there, never sent elsewhere). */
export interface FunctionOutcome {
  result: FunctionResult;
  holder?: Pick<CardInfo, 'ssn' | 'name'>;
  /** The typed error behind a failure (for the operator's log), e.g. CARD_NOT_SSC. */
  errorCode?: string;
  /** Set for -99 only: the unexpected error itself, for the log. */
  error?: unknown;
}

export interface ReaderFunctionsOptions {
  access: CardAccess;
  /** 终端机编号, field 10 of iReadCardBas and the PSAM terminal number of iGetReaderInfo. */
  terminalId: string;
  /** 终端设备号, field 11 of iReadCardBas and the reader serial of iGetReaderInfo. */
  deviceId: string;
}

export interface FunctionInput {
  iType?: unknown;
}

const compactDate = (iso: string): string => iso.replaceAll('-', '');

/**
 * The 11 `|`-terminated fields of iReadCardBas. Dates are YYYYMMDD as on the card; an optional
 * record the card lacks (issue date) is an empty field, never a placeholder.
 */
export function formatCardBas(info: CardInfo, ids: { terminalId: string; deviceId: string }): string {
  const fields = [
    info.regionCode,
    info.ssn,
    info.cardNumber,
    info.cardIdCode,
    info.name,
    info.atrHistorical,
    info.specVersion,
    compactDate(info.issueDate),
    compactDate(info.expiryDate),
    ids.terminalId,
    ids.deviceId,
  ];
  // A separator inside a field would shift every later field for the caller's parser.
  if (fields.some((f) => f.includes('|'))) throw new CardError('CARD_BAD_DATA', 'a card field contains the separator |');
  return fields.map((f) => `${f}|`).join('');
}

function parseIType(raw: unknown, fallback?: IType): IType {
  if (raw === undefined && fallback !== undefined) return fallback;
  if (raw === 1 || raw === 2 || raw === 3 || raw === 4) return raw;
  throw new ReaderApiError('READER_API_BAD_PARAMETER', 'iType must be 1 (contact), 2 (contactless), 3 or 4 (auto)');
}

function ok(output?: string): FunctionResult {
  return output === undefined ? { code: RC.OK, message: messageFor(RC.OK) } : { code: RC.OK, output, message: messageFor(RC.OK) };
}

function failure(err: unknown): FunctionResult {
  const code = returnCodeFor(err);
  const tries = (err as { triesLeft?: unknown } | null)?.triesLeft;
  if (code === RC.WRONG_PIN && typeof tries === 'number') {
    return { code, message: `${messageFor(code)}: ${tries} tries left (剩余${tries}次)`, triesLeft: tries };
  }
  return { code, message: messageFor(code) };
}

async function present(s: ReaderSession, iType: IType): Promise<CardInterface> {
  const via = await s.cardPresent(interfacesFor(iType));
  if (via === 'none') throw new ReaderApiError('READER_API_NO_CARD', 'no card');
  return via;
}

export function createReaderFunctions(opts: ReaderFunctionsOptions) {
  const ids = { terminalId: opts.terminalId, deviceId: opts.deviceId };

  async function run(client: string, name: ReaderFunctionName, input: FunctionInput, signal: AbortSignal): Promise<FunctionOutcome> {
    switch (name) {
      case 'iReadCardBas': {
        const iType = parseIType(input.iType);
        const info = await opts.access.withReader(client, async (s) => s.readCardInfo(await present(s, iType)));
        return { result: ok(formatCardBas(info, ids)), holder: { ssn: info.ssn, name: info.name } };
      }
      case 'iVerifyPIN': {
        const iType = parseIType(input.iType);
        await opts.access.withReader(client, async (s) => s.verifyPin(await present(s, iType), signal));
        return { result: ok() };
      }
      case 'iChangePIN': {
        const iType = parseIType(input.iType);
        await opts.access.withReader(client, async (s) => s.changePin(await present(s, iType), signal));
        return { result: ok() };
      }
      case 'iGetCardType': {
        // The DLL's iGetCardType has no iType; ours accepts one to choose the search order (default 3).
        const iType = parseIType(input.iType, 3);
        const via = await opts.access.withReader(client, (s) => present(s, iType));
        return { result: ok(via === 'contact' ? '1' : '2') };
      }
      case 'iGetReaderInfo': {
        const info = await opts.access.withReader(client, (s) => s.readerInfo());
        return { result: ok(`${info.readerSerial ?? ids.deviceId}|${info.psamTerminalNo ?? ids.terminalId}|`) };
      }
    }
  }

  return {
    /** Never rejects: every failure is a return code, as with the DLL. */
    async call(client: string, name: string, input: FunctionInput, signal: AbortSignal = new AbortController().signal): Promise<FunctionOutcome> {
      if (!isReaderFunction(name)) {
        return { result: failure(new ReaderApiError('READER_API_UNSUPPORTED', `${name} is not offered by this terminal`)) };
      }
      try {
        return await run(client, name, input, signal);
      } catch (err) {
        const result = failure(err);
        return { result, errorCode: errorCodeOf(err) ?? 'INTERNAL', ...(result.code === RC.INTERNAL ? { error: err } : {}) };
      }
    },
  };
}

export type ReaderFunctions = ReturnType<typeof createReaderFunctions>;
