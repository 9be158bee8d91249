import type { CodecEvent } from '../../../drivers/scanner/text.js';

export const h = (s: string) => new Uint8Array(Buffer.from(s.replace(/\s+/g, ''), 'hex'));
export const ascii = (s: string) => new Uint8Array(Buffer.from(s, 'latin1'));
export const hex = (b: Uint8Array) => Buffer.from(b).toString('hex').toUpperCase();

/** Events without the free-text detail, for toEqual. */
export function brief(events: CodecEvent[]): Array<Record<string, unknown>> {
  return events.map((e) => (e.kind === 'error' ? { kind: e.kind, code: e.code, length: e.length } : { ...e }));
}

export const codes = (events: CodecEvent[]) => events.filter((e) => e.kind === 'code').map((e) => (e as { text: string }).text);
