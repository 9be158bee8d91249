import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { VirtualClock } from '../../../drivers/common/clock.js';
import { Journal, maskPersonal } from '../../../kiosk/journal/journal.js';

describe('journal', () => {
  it('masks personal fields on write and survives reopening', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'ykt-journal-')), 'j.sqlite');
    const clock = new VirtualClock(1_000);
    const j = new Journal(file, clock);
    j.append('card-retained', 'retained', { reason: 'not-taken', ssn: '110101195001011234', name: '张三丰', cardNumber: 'A12345678' });
    j.close();
    const again = new Journal(file, clock);
    const e = again.latest()!;
    expect(e.type).toBe('card-retained');
    expect(e.status).toBe('retained');
    expect(e.ts).toBe(1_000);
    expect(e.data).toEqual({ reason: 'not-taken', ssn: '110101********1234', name: '张**', cardNumber: 'A12345678' });
    expect(again.count('card-retained')).toBe(1);
    again.close();
  });

  it('masks nested personal fields and account numbers', () => {
    expect(maskPersonal({ holder: { idNumber: '110101195001011234' }, pan: '6217000010012345678' })).toEqual({
      holder: { idNumber: '110101********1234' },
      pan: '621700*********5678',
    });
  });
});
