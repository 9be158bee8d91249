import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadCardDir } from '../../kiosk/sim/world.js';
import { parseScenario } from '../../kiosk/scenario/schema.js';
import { runScenario, type TranscriptLine } from '../../kiosk/scenario/runner.js';

const dir = join(import.meta.dirname, '..', 'scenarios');
const fixtures = loadCardDir(join(import.meta.dirname, '..', 'fixtures', 'cards'));
const files = readdirSync(dir).filter((f) => f.endsWith('.json')).sort();

describe('acceptance scenarios (test/scenarios)', () => {
  it('has scenarios to run', () => expect(files.length).toBeGreaterThan(10));
  for (const f of files) {
    it(f, async () => {
      const scenario = parseScenario(JSON.parse(readFileSync(join(dir, f), 'utf8')), new Set(Object.keys(fixtures)));
      const lines: TranscriptLine[] = [];
      const r = await runScenario(scenario, fixtures, (l) => lines.push(l));
      expect(r.failure, JSON.stringify(lines.slice(-3))).toBeUndefined();
      expect(r.passed).toBe(true);
    });
  }
});
