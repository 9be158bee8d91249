import type { IncomingMessage } from 'node:http';
import type { z } from 'zod';

/** One route of an embedded service (backend, HIS): its operation name is what faults target. */
export interface Route<Op extends string> {
  op: Op;
  method: 'GET' | 'POST';
  pattern: RegExp;
  handle(params: string[], url: URL, req: IncomingMessage): Promise<unknown> | unknown;
}

/** A path segment captured by a route pattern. */
export const SEG = '([^/]+)';

/** Validates a request part; `bad(message)` builds the service's own 400 error naming the field. */
export function parseOr<T>(schema: z.ZodType<T>, value: unknown, what: string, bad: (message: string) => Error): T {
  const r = schema.safeParse(value);
  if (r.success) return r.data;
  const i = r.error.issues[0];
  throw bad(`${what}${i?.path.length ? '.' + i.path.join('.') : ''}: ${i?.message ?? 'invalid'}`);
}
