import { describe, expect, it } from 'vitest';
import { parseScenario, ScenarioFormatError } from '../../../kiosk/scenario/schema.js';

const fixtures = new Set(['valid']);
const base = { name: 't', steps: [{ insert: 'valid' }] };
const err = (raw: unknown) => {
  try {
    parseScenario(raw, fixtures);
  } catch (e) {
    expect(e).toBeInstanceOf(ScenarioFormatError);
    return (e as Error).message;
  }
  throw new Error('expected the scenario to be refused');
};

describe('scenario format', () => {
  it('accepts the steps this build supports', () => {
    const s = parseScenario(
      {
        name: 'ok',
        cards: { li: { name: '李四', ssn: '110101198001011238' } },
        steps: [
          { insert: 'li' },
          { expect: { screen: 'menu', text: '李四', card: 'inside', deviceStatus: { reader: 'ok' } } },
          { touch: 'finish' },
          { wait: 1000 },
          { take: 'card' },
          { fault: { device: 'reader', kind: 'unplug' } },
          { restart: true },
          { expect: { journal: { type: 'card-retained' } } },
        ],
      },
      fixtures,
    );
    expect(s.steps).toHaveLength(8);
    expect(s.profile).toBe('kiosk');
  });

  it('refuses later-issue steps and expectations by name', () => {
    expect(err({ ...base, steps: [{ keys: '12a' }] })).toMatch(/steps\[0\]\.keys/);
    expect(err({ ...base, steps: [{ tap: 'valid' }] })).toMatch(/steps\[0\]\.tap: not supported yet/);
    expect(err({ ...base, steps: [{ expect: { gate: 'open' } }] })).toMatch(/expect\.gate: not supported yet/);
    expect(err({ ...base, steps: [{ fault: { device: 'gate', kind: 'jam' } }] })).toMatch(/'gate' is not simulated yet/);
    expect(err({ ...base, steps: [{ fault: { device: 'printer', kind: 'nak' } }] })).toMatch(/'nak' does not apply to printer/);
    expect(err({ ...base, profile: 'gate' })).toMatch(/profile: 'gate' is not supported yet/);
  });

  it('names the bad field', () => {
    expect(err({ ...base, steps: [{ wait: 'long' }] })).toMatch(/steps\[0\]\.wait/);
    expect(err({ ...base, steps: [{ jump: 1 }] })).toMatch(/unknown step 'jump'/);
    expect(err({ ...base, steps: [{ insert: 'nobody' }] })).toMatch(/card 'nobody' is not defined/);
    expect(err({ ...base, steps: [{ insert: 'valid', take: 'card' }] })).toMatch(/exactly one key/);
    expect(err({ ...base, cards: { x: { ssn: '123' } } })).toMatch(/cards\.x\.ssn/);
    expect(err({ ...base, steps: [{ fault: { device: 'reader', kind: 'paper-out' } }] })).toMatch(/does not apply to reader/);
    expect(err({ ...base, steps: [{ expect: { screen: 'Menu' } }] })).toMatch(/kebab-case/);
    expect(err({ ...base, extra: 1 })).toMatch(/extra/);
    expect(err({ name: 't', steps: [] })).toMatch(/steps/);
  });
});
