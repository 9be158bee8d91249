import { SimPanelState, SimResult } from '../../../kiosk/server/sim-protocol.js';

/** Thin, validating client of the host's `/sim/api/*` (same-origin, relative to `/sim`). */
export class SimApiError extends Error {
  readonly code: string;
  constructor(code: string, message: string) {
    super(message);
    this.code = code;
    this.name = 'SimApiError';
  }
}

const base = new URL('/sim/api/', location.origin);

async function call(path: string, init?: RequestInit): Promise<unknown> {
  let res: Response;
  try {
    res = await fetch(new URL(path, base), { ...init, headers: { 'Content-Type': 'application/json' }, cache: 'no-store' });
  } catch (err) {
    throw new SimApiError('UNREACHABLE', `host unreachable: ${err instanceof Error ? err.message : String(err)}`);
  }
  const text = await res.text();
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new SimApiError('BAD_RESPONSE', `HTTP ${res.status}: ${text.slice(0, 200)}`);
  }
}

export async function getState(): Promise<SimPanelState> {
  const r = SimPanelState.safeParse(await call('state'));
  if (!r.success) throw new SimApiError('BAD_STATE', 'host sent a malformed sim state');
  return r.data;
}

async function post(path: string, body: Record<string, string>): Promise<SimResult> {
  const r = SimResult.safeParse(await call(path, { method: 'POST', body: JSON.stringify(body) }));
  if (!r.success) throw new SimApiError('BAD_RESULT', 'host sent a malformed result');
  return r.data;
}

export const insertCard = (card: string) => post('insert', { card });
export const takeCard = () => post('take', {});
export const pressKeys = (keys: string) => post('keys', { keys });
export const injectFault = (device: string, kind: string) => post('fault', { device, kind });
export const takeReceipt = () => post('take-receipt', {});
export const tapCard = (card: string) => post('tap', { card });
export const scanEcard = (ecard: string, variant: string) => post('scan', { ecard, variant });
export const scanText = (text: string) => post('scan', { text });
export const walkThrough = (tailgate: boolean) => postAny('pass', { tailgate });

async function postAny(path: string, body: Record<string, unknown>): Promise<SimResult> {
  const r = SimResult.safeParse(await call(path, { method: 'POST', body: JSON.stringify(body) }));
  if (!r.success) throw new SimApiError('BAD_RESULT', 'host sent a malformed result');
  return r.data;
}

/**
 * URL of the last receipt's picture. The route always renders the current last document; the id in
 * the query only makes a new document a new URL, so the browser never shows a cached old picture.
 */
export function receiptUrl(id: string): string {
  return `${base.pathname}receipt.png?doc=${encodeURIComponent(id)}`;
}

/** Why the receipt picture did not load: the route answers JSON `{ok:false, message}` then. */
export async function receiptProblem(id: string): Promise<string> {
  try {
    const res = await fetch(receiptUrl(id), { cache: 'no-store' });
    if (res.ok) return 'the picture loaded on a second try';
    const r = SimResult.safeParse(JSON.parse(await res.text()) as unknown);
    return r.success && r.data.message ? r.data.message : `HTTP ${res.status}`;
  } catch (err) {
    return err instanceof Error ? err.message : String(err);
  }
}
