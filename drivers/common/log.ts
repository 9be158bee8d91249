import { pino, type Logger } from 'pino';

export type { Logger };

/**
 * Structured logs to stderr (stdout belongs to the scenario transcript and CLI output).
 * LOG_LEVEL=debug turns on frame traces.
 */
export function createLogger(name = 'ykt', level = process.env.LOG_LEVEL ?? 'info'): Logger {
  return pino({ name, level, base: undefined }, pino.destination(2));
}

/** A logger that drops everything: tests and benches that do not look at logs. */
export const silentLogger: Logger = pino({ level: 'silent' });
