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
