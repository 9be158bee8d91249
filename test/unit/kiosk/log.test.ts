import { describe, expect, it } from 'vitest';
import { createLogger, debugEnabled, silentLogger } from '../../../drivers/common/log.js';
import { LinkError } from '../../../drivers/serial/errors.js';

function capture(level = 'info') {
  const lines: Record<string, unknown>[] = [];
  const raw: string[] = [];
  const log = createLogger('ykt', level, (l) => {
    raw.push(l);
    lines.push(JSON.parse(l) as Record<string, unknown>);
  });
  return { log, lines, raw };
}

describe('JSON-lines logger (pino format)', () => {
  it('writes level, time, name, child bindings, fields, then msg, one line each', () => {
    const { log, lines, raw } = capture();
    log.child({ dev: 'reader' }).info({ state: 'ok' }, 'reader status');
    log.warn('plain message');
    expect(raw[0]).toMatch(/^\{"level":30,"time":\d+,"name":"ykt","dev":"reader","state":"ok","msg":"reader status"\}\n$/);
    expect(lines[1]).toMatchObject({ level: 40, name: 'ykt', msg: 'plain message' });
  });

  it('filters by level, and child loggers keep the level they were made with', () => {
    const { log, lines } = capture('info');
    log.debug({ x: 1 }, 'hidden');
    expect(debugEnabled(log)).toBe(false);
    log.level = 'debug';
    expect(debugEnabled(log)).toBe(true);
    log.child({ mod: 'm' }).debug('shown');
    expect(lines.map((l) => l.msg)).toEqual(['shown']);
    expect(debugEnabled(silentLogger)).toBe(false);
  });

  it('serializes `err` like pino: type, message, stack and the error’s own fields', () => {
    const { log, lines } = capture();
    log.error({ err: new LinkError('pinpad', 'LINK_CLOSED', 'link closed') }, 'failed');
    log.error(new Error('bare'));
    expect(lines[0]!.err).toMatchObject({ type: 'LinkError', message: 'link closed', code: 'LINK_CLOSED', device: 'pinpad' });
    expect(typeof (lines[0]!.err as { stack: unknown }).stack).toBe('string');
    expect(lines[1]).toMatchObject({ msg: 'bare', err: { type: 'Error', message: 'bare' } });
  });

  it('never throws on bigints or cycles', () => {
    const { log, lines } = capture();
    const cyclic: Record<string, unknown> = { n: 10n };
    cyclic.self = cyclic;
    log.info({ cyclic }, 'odd');
    expect(lines[0]).toMatchObject({ cyclic: { n: 10, self: '[Circular]' } });
  });
});
