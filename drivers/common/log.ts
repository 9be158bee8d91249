/**
 * Structured logs: one JSON object per line on stderr (stdout belongs to the scenario transcript
 * and CLI output), in pino's format — `{"level":30,"time":…,"name":"ykt",…bindings,…fields,"msg":…}`
 * with pino's numeric levels and its `err` serializer — so log tooling and the tests that hand a
 * real pino logger to a driver see no difference. LOG_LEVEL=debug turns on frame traces.
 *
 * Why not pino itself: the host uses none of its transports, redaction or worker threads, and
 * loading it (sonic-boom, thread-stream, assert, …) took 20–35 ms of a ~400 ms cold start and a few
 * MB of resident memory. Lines are written synchronously, as pino.destination(2) did, so the last
 * line before a crash is not lost. `Logger` is an interface a pino logger also satisfies.
 */
import { writeSync } from 'node:fs';

export interface LogFn {
  (obj: object, msg?: string): void;
  (msg: string): void;
}

export interface Logger {
  level: string;
  trace: LogFn;
  debug: LogFn;
  info: LogFn;
  warn: LogFn;
  error: LogFn;
  fatal: LogFn;
  child(bindings: Record<string, unknown>): Logger;
  isLevelEnabled(level: string): boolean;
}

const LEVELS: Readonly<Record<string, number>> = { trace: 10, debug: 20, info: 30, warn: 40, error: 50, fatal: 60, silent: Infinity };

function levelValue(level: string): number {
  const v = LEVELS[level];
  if (v === undefined) throw new Error(`unknown log level '${level}' (trace, debug, info, warn, error, fatal, silent)`);
  return v;
}

/** pino-std-serializers' `err`: type, message, stack, then the error's own fields (code, device, …). */
function serializeError(err: Error, seen = new Set<unknown>()): Record<string, unknown> {
  seen.add(err);
  const out: Record<string, unknown> = { type: err.constructor?.name ?? err.name, message: err.message, stack: err.stack };
  for (const [k, v] of Object.entries(err)) {
    if (k in out || typeof v === 'function') continue;
    out[k] = v;
  }
  const cause = (err as { cause?: unknown }).cause;
  if (cause instanceof Error && !seen.has(cause)) out.cause = serializeError(cause, seen);
  else if (cause !== undefined && !(cause instanceof Error)) out.cause = cause;
  return out;
}

/** JSON that never throws: bigints as numbers, cycles as "[Circular]", like pino's stringifier. */
function stringify(value: unknown): string {
  try {
    return JSON.stringify(value, (_k, v: unknown) => (typeof v === 'bigint' ? Number(v) : v)) ?? 'null';
  } catch {
    const seen = new WeakSet<object>();
    return (
      JSON.stringify(value, (_k, v: unknown) => {
        if (typeof v === 'bigint') return Number(v);
        if (typeof v === 'object' && v !== null) {
          if (seen.has(v)) return '[Circular]';
          seen.add(v);
        }
        return v;
      }) ?? 'null'
    );
  }
}

/** `"k":v,` for each field; the `err` field (or an Error given as the object) goes through serializeError. */
function fields(obj: Record<string, unknown>): string {
  let s = '';
  for (const k of Object.keys(obj)) {
    const v = obj[k];
    if (v === undefined || typeof v === 'function' || typeof v === 'symbol') continue;
    s += `${JSON.stringify(k)}:${stringify(k === 'err' && v instanceof Error ? serializeError(v) : v)},`;
  }
  return s;
}

function writeLine(line: string): void {
  const buf = Buffer.from(line);
  let off = 0;
  while (off < buf.length) {
    try {
      off += writeSync(2, buf, off);
    } catch (e) {
      // stderr may be a non-blocking pipe: wait for the reader as pino's sync destination does.
      if ((e as NodeJS.ErrnoException).code !== 'EAGAIN') return;
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 1);
    }
  }
}

class JsonLogger implements Logger {
  private threshold: number;
  private current: string;

  constructor(
    level: string,
    /** `"name":"ykt","dev":"reader",` — rendered once per logger, as pino does with bindings. */
    private readonly prefix: string,
    private readonly write: (line: string) => void,
  ) {
    this.threshold = levelValue(level);
    this.current = level;
  }

  get level(): string {
    return this.current;
  }

  set level(level: string) {
    this.threshold = levelValue(level);
    this.current = level;
  }

  isLevelEnabled(level: string): boolean {
    const v = LEVELS[level];
    return v !== undefined && v !== Infinity && v >= this.threshold;
  }

  child(bindings: Record<string, unknown>): Logger {
    return new JsonLogger(this.current, this.prefix + fields(bindings), this.write);
  }

  readonly trace: LogFn = (a: object | string, msg?: string) => this.log(10, a, msg);
  readonly debug: LogFn = (a: object | string, msg?: string) => this.log(20, a, msg);
  readonly info: LogFn = (a: object | string, msg?: string) => this.log(30, a, msg);
  readonly warn: LogFn = (a: object | string, msg?: string) => this.log(40, a, msg);
  readonly error: LogFn = (a: object | string, msg?: string) => this.log(50, a, msg);
  readonly fatal: LogFn = (a: object | string, msg?: string) => this.log(60, a, msg);

  private log(level: number, a: object | string, msg?: string): void {
    if (level < this.threshold) return;
    let body: string;
    let text = msg;
    if (typeof a === 'string') {
      body = '';
      text = a;
    } else if (a instanceof Error) {
      // pino logs a bare Error as its `err` field, with its message as the line's message.
      body = fields({ err: a });
      text ??= a.message;
    } else {
      body = fields(a as Record<string, unknown>);
    }
    const m = text === undefined ? '' : `"msg":${JSON.stringify(text)},`;
    const all = `${this.prefix}${body}${m}`;
    this.write(`{"level":${level},"time":${Date.now()}${all ? ',' + all.slice(0, -1) : ''}}\n`);
  }
}

/** `sink` receives each line (with its newline) instead of stderr: tests that read the log. */
export function createLogger(name = 'ykt', level = process.env.LOG_LEVEL ?? 'info', sink: (line: string) => void = writeLine): Logger {
  return new JsonLogger(level, fields({ name }), sink);
}

/** A logger that drops everything: tests and benches that do not look at logs. */
export const silentLogger: Logger = new JsonLogger('silent', '', () => undefined);

/**
 * Whether `logger` would write a debug line. Hot paths (frame traces) ask first, so that with
 * debug off they build no trace objects or hex strings. A logger without `isLevelEnabled` (a
 * test double) is taken as tracing.
 */
export function debugEnabled(logger: Logger): boolean {
  return typeof logger.isLevelEnabled === 'function' ? logger.isLevelEnabled('debug') : true;
}
