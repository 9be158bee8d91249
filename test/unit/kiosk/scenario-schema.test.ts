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

  it('refuses later-issue devices and profiles by name, and steps a profile has no device for', () => {
    expect(err({ ...base, steps: [{ keys: '12a' }] })).toMatch(/steps\[0\]\.keys/);
    expect(err({ ...base, steps: [{ fault: { device: 'broker', kind: 'unplug' } }] })).toMatch(/'broker' is not simulated yet/);
    expect(err({ ...base, steps: [{ fault: { device: 'printer', kind: 'nak' } }] })).toMatch(/'nak' does not apply to printer/);
    expect(err({ ...base, profile: 'hospital', backend: { his: { holdTtlSec: 'long' } } })).toMatch(/backend\.his/);
    expect(err({ ...base, profile: 'gate', steps: [{ insert: 'valid' }] })).toMatch(/steps\[0\]\.insert: the gate profile has no device/);
    expect(err({ ...base, profile: 'gate', steps: [{ keys: '123456' }] })).toMatch(/the gate profile has no device/);
    expect(err({ ...base, steps: [{ pass: true }] })).toMatch(/the kiosk profile has no device/);
  });

  it('takes the transit steps and expectations', () => {
    const s = parseScenario(
      {
        ...base,
        profile: 'gate',
        steps: [
          { tap: 'valid' },
          { tap: { card: 'valid', holdMs: 50 } },
          { scan: 'YKTEC1.abc.def' },
          { scan: { ecard: 'valid', variant: 'expired' } },
          { pass: true },
          { pass: 'tailgate' },
          { fault: { device: 'gate', kind: 'unplug' } },
          { fault: { device: 'contactless', kind: 'card-pulled' } },
          { expect: { gate: 'open', uploaded: 2 } },
        ],
      },
      fixtures,
    );
    expect(s.steps).toHaveLength(9);
    expect(err({ ...base, profile: 'gate', steps: [{ tap: 'nobody' }] })).toMatch(/card 'nobody' is not defined/);
    expect(err({ ...base, profile: 'gate', steps: [{ scan: { ecard: 'valid', variant: 'odd' } }] })).toMatch(/variant/);
    expect(err({ ...base, profile: 'gate', steps: [{ expect: { gate: 'ajar' } }] })).toMatch(/gate/);
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
