import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { YktError } from '../../drivers/common/errors.js';
import { ConfigSchema, type KioskConfig } from './schema.js';

export class ConfigError extends YktError {
  constructor(message: string) {
    super('CONFIG_INVALID', message);
  }
}

type Plain = Record<string, unknown>;
const isPlain = (v: unknown): v is Plain => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Deep merge of plain objects: overrides win, arrays are replaced whole. */
export function mergeConfig(base: Plain, over: Plain): Plain {
  const out: Plain = { ...base };
  for (const [k, v] of Object.entries(over)) {
    out[k] = isPlain(v) && isPlain(out[k]) ? mergeConfig(out[k] as Plain, v) : v;
  }
  return out;
}

function describe(err: z.ZodError, source: string): string {
  const lines = err.issues.map((i) => `  - ${i.path.length ? i.path.join('.') : '(top level)'}: ${i.message}`);
  return `invalid configuration in ${source}:\n${lines.join('\n')}`;
}

/** Validates a config object; the error lists every bad field with its path. */
export function parseConfig(raw: unknown, source = 'config'): KioskConfig {
  const r = ConfigSchema.safeParse(raw ?? {});
  if (!r.success) throw new ConfigError(describe(r.error, source));
  return r.data;
}

/** Reads a JSON config file (e.g. /etc/yikatong/config.json), then applies overrides. */
export function loadConfig(path: string | undefined, overrides: Plain = {}): KioskConfig {
  let raw: Plain = {};
  if (path) {
    let text: string;
    try {
      text = readFileSync(path, 'utf8');
    } catch (e) {
      throw new ConfigError(`cannot read config file ${path}: ${(e as Error).message}`);
    }
    try {
      const parsed: unknown = JSON.parse(text);
      if (!isPlain(parsed)) throw new Error('the top level must be an object');
      raw = parsed;
    } catch (e) {
      throw new ConfigError(`config file ${path} is not valid JSON: ${(e as Error).message}`);
    }
  }
  return parseConfig(mergeConfig(raw, overrides), path ?? 'defaults');
}
