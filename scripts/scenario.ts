#!/usr/bin/env node
/**
 * `npm run scenario -- FILE.json [FILE2.json ...]` (folders are expanded to their *.json files).
 * Transcript as JSON lines on stdout, then `N passed, N failed`.
 * Exit 0 all passed, 1 an expectation failed, 2 a file is invalid.
 */
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { loadCardDir } from '../kiosk/sim/world.js';
import { repoRoot } from '../kiosk/paths.js';
import { parseScenario, ScenarioFormatError, type Scenario } from '../kiosk/scenario/schema.js';
import { runScenario } from '../kiosk/scenario/runner.js';

function expand(args: string[]): string[] {
  const files: string[] = [];
  for (const a of args) {
    let st;
    try {
      st = statSync(a);
    } catch {
      files.push(a); // reported as unreadable below
      continue;
    }
    if (st.isDirectory()) files.push(...readdirSync(a).filter((f) => f.endsWith('.json')).sort().map((f) => join(a, f)));
    else files.push(a);
  }
  return files;
}

async function main(): Promise<number> {
  const args = process.argv.slice(2).filter((a) => a !== '--');
  if (args.length === 0 || args.includes('--help')) {
    process.stderr.write('usage: npm run scenario -- FILE.json [FILE2.json | DIR ...]\n');
    return args.length === 0 ? 2 : 0;
  }
  const fixtures = loadCardDir(join(repoRoot(), 'test', 'fixtures', 'cards'));
  const handles = new Set(Object.keys(fixtures));
  const out = (line: Record<string, unknown>) => process.stdout.write(JSON.stringify(line) + '\n');
  let passed = 0;
  let failed = 0;
  let invalid = 0;
  for (const file of expand(args)) {
    let scenario: Scenario;
    try {
      const raw: unknown = JSON.parse(readFileSync(file, 'utf8'));
      scenario = parseScenario(raw, handles);
    } catch (e) {
      invalid++;
      const why = e instanceof ScenarioFormatError ? e.message : e instanceof SyntaxError ? `not valid JSON: ${e.message}` : (e as Error).message;
      out({ file, ok: false, invalid: true, error: why });
      process.stderr.write(`${file}: invalid scenario: ${why}\n`);
      continue;
    }
    const result = await runScenario(scenario, fixtures, (line) => out({ file, ...line }));
    if (result.passed) passed++;
    else {
      failed++;
      const f = result.failure!;
      process.stderr.write(`${file}: FAILED at step ${f.step}: ${f.message}\n`);
    }
    out({ file, scenario: scenario.name, result: result.passed ? 'passed' : 'failed', virtualMs: result.virtualMs });
  }
  if (invalid) process.stdout.write(`${invalid} invalid scenario file(s)\n`);
  process.stdout.write(`${passed} passed, ${failed + invalid} failed\n`);
  return invalid ? 2 : failed ? 1 : 0;
}

// A host that awaits something no timer or I/O will ever deliver would let Node exit quietly
// with status 0; that must read as a failure, never as a pass.
let finished = false;
process.on('beforeExit', () => {
  if (!finished) {
    process.stderr.write('scenario runner: the run stalled (nothing left to wait on) before it finished\n');
    process.exit(1);
  }
});

main().then(
  (code) => {
    finished = true;
    process.exit(code);
  },
  (e: unknown) => {
    process.stderr.write(`scenario runner: ${(e as Error).stack ?? String(e)}\n`);
    process.exit(2);
  },
);
