/**
 * Fault kinds offered per device. Only a menu: the host's simulator decides what each kind means
 * and answers `ok:false` for one it does not support.
 */
const COMMON = ['unplug', 'replug', 'clear'];

export const FAULTS: Record<string, string[]> = {
  reader: ['garble', 'nak', 'silent', 'card-pulled', ...COMMON],
  contactless: ['card-pulled', 'garble', 'nak', 'silent', ...COMMON],
  pinpad: ['garble', 'nak', 'silent', ...COMMON],
  // `clear` on the printer is what the operator does at the machine: new roll, cover shut, faults cleared.
  printer: ['paper-low', 'paper-out', 'cover-open', 'jam', 'garble', 'silent', ...COMMON],
  scanner: ['garble', ...COMMON],
  // `jam`: the board reports a motor fault and keeps its arms shut.
  gate: ['jam', 'garble', 'nak', 'silent', ...COMMON],
};

export function faultsFor(device: string): string[] {
  return FAULTS[device] ?? ['garble', 'nak', 'silent', ...COMMON];
}

export const FAULT_LABELS: Record<string, string> = {
  garble: '乱码 garble',
  nak: '否认 NAK',
  silent: '无响应 silent',
  'card-pulled': '卡被拔出 card pulled',
  unplug: '断开 unplug',
  replug: '重连 replug',
  clear: '清除故障 clear',
  'paper-out': '缺纸 paper out',
  'paper-low': '纸将尽 paper low',
  'cover-open': '开盖 cover open',
  jam: '卡纸 jam',
};

/** A label for a device's fault kind where the generic one would mislead. */
const DEVICE_FAULT_LABELS: Record<string, string> = {
  'contactless:card-pulled': '刷卡过快 tap too short',
  'gate:jam': '电机故障 motor fault',
  'scanner:garble': '误读一个字符 misread one character',
  'printer:clear': '换纸·关盖·清除 replace roll & clear',
};

export function faultLabel(device: string, kind: string): string {
  return DEVICE_FAULT_LABELS[`${device}:${kind}`] ?? FAULT_LABELS[kind] ?? kind;
}

export const PAPER_LEVELS: Record<string, string> = {
  ok: '充足 ok',
  low: '将尽 low',
  out: '缺纸 out',
};

export const CARD_PLACES: Record<string, string> = {
  none: '无卡 · no card',
  inside: '卡在读卡器内 · inside',
  'at-gate': '卡在出卡口 · at the gate',
  retained: '卡已吞没 · retained',
};
