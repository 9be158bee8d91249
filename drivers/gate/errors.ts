import { DeviceError } from '../common/errors.js';

/**
 * GATE_PARAMETER    a direction, lights or alarm value the board has no byte for (nothing sent)
 * GATE_BAD_ANSWER   the status reply could not be read
 * GATE_FAULT        the board reports a fault (status state '9' or an `F` event): openGate() refused
 * GATE_*_FAULT      the fault the board reported, by code (GATE_FAULT_TABLE), as DeviceStatus.lastFault
 */
export type GateErrorCode =
  | 'GATE_PARAMETER'
  | 'GATE_BAD_ANSWER'
  | 'GATE_FAULT'
  | 'GATE_MOTOR_FAULT'
  | 'GATE_SENSOR_FAULT'
  | 'GATE_POWER_FAULT'
  | 'GATE_EMERGENCY'
  | 'GATE_UNKNOWN_FAULT';

export type GateFaultKind = 'motor' | 'sensor' | 'power' | 'emergency' | 'unknown';

export interface GateFaultInfo {
  kind: GateFaultKind;
  code: GateErrorCode;
  text: string;
}

/**
 * `F` event data (two ASCII digits) → meaning. The spec fixes none of them; these are ours
 * (docs/gate.md) and the simulator sends them.
 */
export const GATE_FAULT_TABLE: Readonly<Record<string, GateFaultInfo>> = {
  '01': { kind: 'motor', code: 'GATE_MOTOR_FAULT', text: 'motor / drive fault' },
  '02': { kind: 'sensor', code: 'GATE_SENSOR_FAULT', text: 'passage sensor (photo-eye) fault' },
  '03': { kind: 'power', code: 'GATE_POWER_FAULT', text: 'power supply fault' },
  '04': { kind: 'emergency', code: 'GATE_EMERGENCY', text: 'emergency release (fire alarm input): arms free' },
};

export function faultInfo(code: string): GateFaultInfo {
  return GATE_FAULT_TABLE[code] ?? { kind: 'unknown', code: 'GATE_UNKNOWN_FAULT', text: `unknown fault ${code}` };
}

const MESSAGES: Readonly<Record<GateErrorCode, string>> = {
  GATE_PARAMETER: 'parameter error',
  GATE_BAD_ANSWER: 'gate board answer could not be interpreted',
  GATE_FAULT: 'the gate board reports a fault',
  GATE_MOTOR_FAULT: GATE_FAULT_TABLE['01'].text,
  GATE_SENSOR_FAULT: GATE_FAULT_TABLE['02'].text,
  GATE_POWER_FAULT: GATE_FAULT_TABLE['03'].text,
  GATE_EMERGENCY: GATE_FAULT_TABLE['04'].text,
  GATE_UNKNOWN_FAULT: 'unknown gate board fault',
};

/** The board refused or failed a command, or the host refused its answer (the link itself worked). */
export class GateError extends DeviceError {
  declare readonly code: GateErrorCode;
  /** The board's two-digit fault code, when one is known. */
  readonly faultCode?: string;
  constructor(code: GateErrorCode, detail?: { command?: string; message?: string; faultCode?: string }) {
    const where = detail?.command ? ` (${detail.command})` : '';
    const fc = detail?.faultCode ? ` [F${detail.faultCode}]` : '';
    super('gate', code, `${detail?.message ?? MESSAGES[code]}${where}${fc}`);
    if (detail?.faultCode) this.faultCode = detail.faultCode;
  }
}
