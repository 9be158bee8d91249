/**
 * The hospital profile on the real host (simulated devices, embedded HIS, bank and backend), with a
 * second terminal played by a second HIS client on the same embedded HIS: the race for the last
 * place while this patient is on reg-slot ("slot taken during confirmation": back to reg-slot, told,
 * nothing charged), and a held place given back when the patient leaves without paying.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../../../drivers/common/log.js';
import { visibleText } from '../../../flows/view/protocol.js';
import { createHisClient, type HisClient } from '../../../kiosk/his/index.js';
import { startTerminal, type Terminal } from '../../../kiosk/terminal.js';

const PIN = '123456';

async function until(what: string, pred: () => boolean, ms = 10_000): Promise<void> {
  const end = Date.now() + ms;
  while (!pred()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('hospital host: two terminals race for the last place', () => {
  let host: Terminal;
  let other: HisClient;
  let dataDir: string;
  const screen = () => host.snapshot().view.screen;
  const text = () => visibleText(host.snapshot().view);
  const onScreen = (id: string) => until(`screen ${id} (on ${screen()}: ${text().slice(0, 200)})`, () => screen() === id && !host.busy());
  const touch = (id: string) => {
    const r = host.touch(id);
    if (!r.ok) throw new Error(r.message);
  };

  beforeAll(async () => {
    dataDir = mkdtempSync(path.join(tmpdir(), 'ykt-hospital-host-'));
    host = await startTerminal({ sim: true, headless: true, dataDir, logger: silentLogger, config: { profile: 'hospital' } });
    other = createHisClient({ baseUrl: host.world!.his!.url, timeoutMs: 3000, retries: 0, logger: silentLogger });
    await onScreen('idle');
    expect(host.world!.insert('valid').ok).toBe(true);
    await onScreen('pin');
    host.world!.keys(PIN);
    host.world!.keys('enter');
    await onScreen('menu');
  }, 30_000);

  afterAll(async () => {
    other?.close();
    await host?.stop();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it('the place is taken by another terminal between the list and confirm: back to reg-slot with the notice, nothing charged', async () => {
    touch('register-visit');
    await onScreen('reg-department');
    touch('confirm');
    await onScreen('reg-slot');
    // The preselected slot: whatever it is, the other terminal takes every place left in it now.
    const selected = host.snapshot().view.controls.find((c) => c.selected && c.id.startsWith('slot-'))!;
    const slotId = selected.id.slice('slot-'.length);
    const { remaining } = host.world!.his!.store.slot(slotId);
    for (let i = 0; i < remaining; i++) {
      await other.hold(slotId, { ssn: `11010119800101${String(1000 + i)}`, name: `患者${i}`, cardNumber: `C9900${1000 + i}` }, `OTHER-TERMINAL-hold-${i}`);
    }
    expect(host.world!.his!.store.slot(slotId).remaining).toBe(0);
    touch('confirm');
    await onScreen('reg-slot');
    expect(text()).toContain('您选的号刚刚被约满，请另选。没有扣费。');
    // The list was read again: that slot is shown full now, and something else is preselected.
    const again = host.snapshot().view.controls.find((c) => c.id === selected.id)!;
    expect(again).toMatchObject({ disabled: true });
    expect(host.world!.bank!.standingDebits()).toHaveLength(0);
    expect(host.world!.his!.registrations()).toHaveLength(0);
  }, 30_000);

  it('a place held and then left without paying goes back at once', async () => {
    const selected = host.snapshot().view.controls.find((c) => c.selected && c.id.startsWith('slot-'))!;
    const slotId = selected.id.slice('slot-'.length);
    const before = host.world!.his!.store.slot(slotId).remaining;
    touch('confirm');
    await onScreen('reg-confirm');
    expect(host.world!.his!.store.slot(slotId).remaining).toBe(before - 1);
    touch('back');
    await onScreen('reg-slot');
    await until('the hold released', () => host.world!.his!.store.slot(slotId).remaining === before);
    expect(host.journal.latest()).toMatchObject({ type: 'registration', status: 'hold-released' });
  }, 30_000);
});
