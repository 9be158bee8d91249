import { describe, expect, it } from 'vitest';
import { resolveCardProfile } from '../../../drivers/card-reader/sim/card-profile.js';
import { loadFixtureCards } from '../../fixtures/cards/index.js';

describe('fixture cards', () => {
  const cards = loadFixtureCards();
  it('all load and validate, by handle', () => {
    expect(Object.keys(cards).sort()).toEqual([
      'bank-only', 'blacklisted', 'damaged', 'expired', 'long-name', 'not-genuine', 'pin-locked', 'valid', 'valid-gen3',
    ]);
  });
  it('each fixture is what its name says', () => {
    const r = (k: string) => resolveCardProfile(cards[k]!);
    expect(r('valid')).toMatchObject({ name: '张三', generation: 2, specVersion: '2.00', status: 'normal' });
    expect(r('valid-gen3')).toMatchObject({ name: '李秀英', sex: '2', generation: 3, specVersion: '3.00', region: '330300' });
    expect(r('expired').expiry).toBe('20201231');
    expect(r('pin-locked').pinTriesLeft).toBe(0);
    expect(r('blacklisted').status).toBe('blacklisted');
    expect(r('damaged').damaged).toBe(true);
    expect(r('bank-only').ssc).toBe(false);
    expect(r('not-genuine').genuine).toBe(false);
    expect(Array.from(r('long-name').name).length).toBeGreaterThan(15);
    expect(r('long-name').generation).toBe(3);
  });
});
