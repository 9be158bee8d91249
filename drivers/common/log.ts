/**
 * Structured logs with pino: one JSON object per line on stderr (stdout belongs to the scenario
 * transcript and CLI output), written synchronously (pino.destination(2)) so the last line before a
 * crash is not lost. LOG_LEVEL=debug turns on frame traces. `Logger` is the part of pino's logger
 * the code uses, so drivers take test doubles as well. (A hand-written JSON-lines logger would
 * start 20–35 ms sooner, docs/performance.md; the house rule is a well-kept library for the
 * generic parts, so pino stays.)
 */
import { pino } from 'pino';

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

/** `sink` receives each line (with its newline) instead of stderr: tests that read the log. */
export function createLogger(name = 'ykt', level = process.env.LOG_LEVEL ?? 'info', sink?: (line: string) => void): Logger {
  const dest = sink ? { write: (line: string) => sink(line) } : pino.destination(2);
  return pino({ name, level, base: undefined }, dest);
}

/** A logger that drops everything: tests and benches that do not look at logs. */
export const silentLogger: Logger = pino({ level: 'silent' });

/**
 * Whether `logger` would write a debug line. Hot paths (frame traces) ask first, so that with
 * debug off they build no trace objects or hex strings. A logger without `isLevelEnabled` (a
 * test double) is taken as tracing.
 */
export function debugEnabled(logger: Logger): boolean {
  return typeof logger.isLevelEnabled === 'function' ? logger.isLevelEnabled('debug') : true;
}
