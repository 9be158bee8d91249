/**
 * The physical side of the simulated reader: card position, capture bin, shutter, chips. Executes
 * one decoded command and says what to answer; knows nothing of frames, timing or faults on the wire.
 */
import { commandName, encodeContactless, type ReaderCommandName } from '../codec.js';
import type { CardPosition, ReaderSensors } from '../interface.js';
import type { SimChip } from './chip-interface.js';

export type Outcome = { ok: true; data?: Uint8Array } | { ok: false; e1e0: string };

export interface FieldCard {
  chip: SimChip;
  type?: 'A' | 'B';
  uid: Uint8Array;
}

const MOTOR: ReadonlySet<ReaderCommandName> = new Set(['initEject', 'initRetain', 'moveToRead', 'retain', 'eject']);

export function isMotorCommand(name: ReaderCommandName | undefined): boolean {
  return name !== undefined && MOTOR.has(name);
}

const ok = (data?: Uint8Array): Outcome => ({ ok: true, data });
const no = (e1e0: string): Outcome => ({ ok: false, e1e0 });

export class ReaderModel {
  position: CardPosition = 'none';
  chip: SimChip | null = null;
  insertionEnabled = false;
  readonly retained: SimChip[] = [];
  private userPowered = false;
  private readonly psams = new Map<number, { chip: SimChip; powered: boolean }>();
  private field: FieldCard | null = null;
  private fieldActive = false;

  constructor(public binCapacity: number) {}

  get binFull(): boolean {
    return this.retained.length >= this.binCapacity;
  }

  sensors(): ReaderSensors {
    return { position: this.position, binFull: this.binFull, insertionEnabled: this.insertionEnabled };
  }

  setPsam(slot: number, chip: SimChip | null): void {
    if (!Number.isInteger(slot) || slot < 1 || slot > 4) throw new RangeError(`PSAM slot must be 1..4, got ${slot}`);
    if (chip) this.psams.set(slot, { chip, powered: false });
    else this.psams.delete(slot);
  }

  get fieldCard(): FieldCard | null {
    return this.field;
  }

  setField(card: FieldCard | null): void {
    if (this.field && this.fieldActive) this.field.chip.powerOff();
    this.field = card;
    this.fieldActive = false;
  }

  /** The citizen takes the card out (from the gate, or yanks it mid-operation). */
  removeCard(): SimChip | null {
    const chip = this.chip;
    if (this.userPowered) chip?.powerOff();
    this.userPowered = false;
    this.chip = null;
    this.position = 'none';
    return chip;
  }

  insertCard(chip: SimChip): void {
    this.chip = chip;
    this.position = 'inside';
  }

  execute(cm: number, pm: number, data: Uint8Array): Outcome {
    const name = commandName(cm, pm);
    switch (name) {
      case undefined:
        return no('00');
      case 'initEject':
      case 'initRetain':
      case 'initKeep':
        return this.initialize(name);
      case 'status':
        return ok();
      case 'moveToRead':
        if (this.position === 'none') return no('02');
        this.position = 'inside';
        return ok();
      case 'retain':
        return this.position === 'none' ? no('02') : this.retainCard();
      case 'eject':
        if (this.position === 'none') return no('02');
        this.powerOffUser();
        this.position = 'gate';
        return ok();
      case 'enableInsertion':
        this.insertionEnabled = true;
        return ok();
      case 'disableInsertion':
        this.insertionEnabled = false;
        return ok();
      case 'powerOn':
        return this.userPowerOn();
      case 'powerOff':
        this.powerOffUser();
        return ok();
      case 'apdu':
        if (this.position !== 'inside' || !this.chip) return no('02');
        if (!this.userPowered) return no('11');
        if (data.length < 4) return no('01');
        return ok(this.chip.transmit(data));
      case 'psamPowerOn':
      case 'psamApdu':
        return this.psam(name, data);
      case 'contactlessActivate':
        return this.activate();
      case 'contactlessApdu':
        if (!this.field || !this.fieldActive) return no('30');
        if (data.length < 4) return no('01');
        return ok(this.field.chip.transmit(data));
      case 'contactlessDeactivate':
        if (this.field && this.fieldActive) this.field.chip.powerOff();
        this.fieldActive = false;
        return ok();
    }
  }

  private initialize(name: 'initEject' | 'initRetain' | 'initKeep'): Outcome {
    this.insertionEnabled = false;
    this.powerOffUser();
    if (this.position === 'none' || name === 'initKeep') return ok();
    if (name === 'initRetain') return this.retainCard();
    this.position = 'gate';
    return ok();
  }

  private retainCard(): Outcome {
    if (this.binFull) return no('05');
    const chip = this.removeCard();
    if (chip) this.retained.push(chip);
    return ok();
  }

  private userPowerOn(): Outcome {
    if (this.position !== 'inside' || !this.chip) return no('02');
    const atr = this.chip.powerOn();
    if (!atr) return no('10');
    this.userPowered = true;
    return ok(atr);
  }

  private powerOffUser(): void {
    if (this.userPowered) this.chip?.powerOff();
    this.userPowered = false;
  }

  private psam(name: 'psamPowerOn' | 'psamApdu', data: Uint8Array): Outcome {
    const slot = data.length > 0 ? data[0] - 0x30 : -1;
    if (slot < 1 || slot > 4) return no('01');
    const p = this.psams.get(slot);
    if (!p) return no('20');
    if (name === 'psamPowerOn') {
      const atr = p.chip.powerOn();
      p.powered = atr !== null;
      return atr ? ok(atr) : no('21');
    }
    if (!p.powered) return no('21');
    if (data.length < 5) return no('01');
    return ok(p.chip.transmit(data.subarray(1)));
  }

  private activate(): Outcome {
    if (!this.field) return no('30');
    const ats = this.field.chip.powerOn();
    if (!ats) return no('31');
    this.fieldActive = true;
    return ok(encodeContactless({ type: this.field.type ?? 'A', uid: this.field.uid, ats }));
  }
}
