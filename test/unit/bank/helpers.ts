import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { VirtualClock } from '../../../drivers/common/clock.js';
import type { Logger } from '../../../drivers/common/log.js';
import { silentLogger } from '../../../drivers/common/log.js';
import { accountDigits, encryptPinBlock } from '../../../drivers/pinpad/crypto.js';
import { createEmbeddedBank, type EmbeddedBank, type EmbeddedBankOptions } from '../../../kiosk/bank/embedded/index.js';
import { createGatewayClient, type GatewayClient, type GatewayClientOptions } from '../../../kiosk/payment/gateway-client.js';
import { PaymentError, type DebitRequest } from '../../../kiosk/payment/gateway.js';
import { DEMO_PIN_WORKING_KEY } from '../../../kiosk/sim/demo-keys.js';

/** 李秀英's card (valid-gen3 fixture) and the default card's account. */
export const LI = { pan: '6217002330012345671', pin: '654321', expiry: '3306' };
export const ZHANG = { pan: '6217000010012345678', pin: '123456', expiry: '3012' };
export const TERMINAL = 'T0001';

/** The PIN block as the pad produces it: ISO 9564-0 under the demo working key, hex. */
export function pinBlock(pin: string, pan: string, alg: 'sm4' | '3des' = 'sm4'): string {
  return Buffer.from(encryptPinBlock(DEMO_PIN_WORKING_KEY, alg, pin, accountDigits(pan))).toString('hex').toUpperCase();
}

let seq = 0;
/** A fresh terminal transaction id, as the engine makes them. */
export function txnId(): string {
  seq += 1;
  return `${TERMINAL}-20260105010000-${seq.toString(16).padStart(8, '0')}`;
}

export function debitOf(account: { pan: string; pin: string; expiry: string }, amountFen: number, over: Partial<DebitRequest> = {}): DebitRequest {
  return {
    txnId: txnId(),
    terminalId: TERMINAL,
    pan: account.pan,
    expiry: account.expiry,
    amountFen,
    pinBlock: pinBlock(account.pin, account.pan),
    description: '养老保险（灵活就业） 2026-01',
    ...over,
  };
}

export interface Rig {
  bank: EmbeddedBank;
  client: GatewayClient;
  clock: VirtualClock;
  close(): Promise<void>;
}

export async function startRig(
  opts: Partial<EmbeddedBankOptions> = {},
  clientOpts: Partial<GatewayClientOptions> & { logger?: Logger } = {},
): Promise<Rig> {
  const clock = new VirtualClock();
  const bank = await createEmbeddedBank({
    dbFile: ':memory:',
    clock,
    logger: silentLogger,
    pinKey: { alg: 'sm4', key: DEMO_PIN_WORKING_KEY },
    accounts: [
      { pan: LI.pan, pin: LI.pin },
      { pan: ZHANG.pan, pin: ZHANG.pin, balanceFen: 50_000 },
    ],
    ...opts,
  });
  const client = createGatewayClient({ baseUrl: bank.url, timeoutMs: 300, logger: silentLogger, ...clientOpts });
  return {
    bank,
    client,
    clock,
    close: async () => {
      client.close();
      await bank.close();
    },
  };
}

/** Awaits a promise that must reject with a PaymentError; returns it. */
export async function paymentError(p: Promise<unknown>): Promise<PaymentError> {
  try {
    await p;
  } catch (e) {
    if (e instanceof PaymentError) return e;
    throw new Error(`expected a PaymentError, got ${String(e)}`);
  }
  throw new Error('expected a PaymentError, but the call succeeded');
}

/** Polls (real time) until `cond` holds: for server-side state reached through real sockets. */
export async function until(cond: () => boolean, ms = 2000): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error('condition not reached in time');
    await new Promise((r) => setTimeout(r, 2));
  }
}

/** A tiny server answering every request with the handler's result. */
export async function fakeServer(handler: (req: IncomingMessage, res: ServerResponse) => void) {
  const server = createServer((req, res) => {
    // Drain the body first, so the handler's answer is not mistaken for a refusal to read it.
    req.resume();
    req.on('end', () => handler(req, res));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((r) => {
        server.close(() => r());
        server.closeAllConnections();
      }),
  };
}
