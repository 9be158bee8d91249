import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..', '..');
const tmp = mkdtempSync(join(tmpdir(), 'ykt-cli-'));
const write = (name: string, doc: unknown) => {
  const p = join(tmp, name);
  writeFileSync(p, typeof doc === 'string' ? doc : JSON.stringify(doc));
  return p;
};
const run = (...files: string[]) =>
  spawnSync(process.execPath, ['--import', 'tsx', join(root, 'scripts', 'scenario.ts'), ...files], { cwd: root, encoding: 'utf8', timeout: 60_000 });

describe('npm run scenario (CLI)', () => {
  it('exits 0 and prints the summary when every expectation holds', () => {
    const r = run(write('ok.json', { name: 'idle', steps: [{ expect: { screen: 'idle', card: 'none' } }] }));
    expect(r.stdout.trim().split('\n').at(-1)).toBe('1 passed, 0 failed');
    expect(r.status).toBe(0);
  });

  it('exits 1 naming the step, what was expected and what was seen', () => {
    const r = run(write('fail.json', { name: 'wrong screen', steps: [{ expect: { screen: 'menu' } }] }));
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('FAILED at step 0: expected screen "menu", saw "idle"');
    expect(r.stdout).toContain('0 passed, 1 failed');
  });

  it('exits 2 on an invalid file with the bad field named, and still runs the valid ones', () => {
    const bad = write('bad.json', { name: 'bad', steps: [{ wait: -5 }] });
    const notJson = write('garbage.json', '{ "name": ');
    const ok = write('ok2.json', { name: 'idle', steps: [{ expect: { screen: 'idle' } }] });
    const r = run(bad, notJson, ok);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/bad\.json: invalid scenario: steps\[0\]\.wait/);
    expect(r.stderr).toMatch(/garbage\.json: invalid scenario: not valid JSON/);
    expect(r.stdout.trim().split('\n').at(-1)).toBe('1 passed, 2 failed');
  });
});
