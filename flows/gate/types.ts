import type { GateConfig } from './config.js';

export type GateScreenId = 'idle' | 'reading' | 'gate-open' | 'gate-denied' | 'gate-alarm' | 'out-of-service';

/** Who is at the gate: read from a tapped card, or from an electronic card code. */
export interface GateIdentity {
  via: 'card' | 'code';
  cardIdCode: string;
  cardNumber: string;
  /** Card validity end, YYYY-MM-DD. */
  expiryDate: string;
  /** The code's id (online status, anti-passback key for codes of the same card is the card id). */
  jti?: string;
  /** A code's card status as the backend answered it within the budget; absent: decided offline. */
  onlineStatus?: string;
}

/** Why a citizen is not let through; each has its own text on the screen and in the journal. */
export const DENY_REASONS = [
  'blacklisted',
  'card-lost',
  'card-expired',
  'passback',
  'tap-again',
  'not-ssc',
  'not-genuine',
  'unreadable',
  'several-cards',
  'code-expired',
  'code-tampered',
  'code-foreign',
  'code-malformed',
  'code-revoked',
] as const;
export type DenyReason = (typeof DENY_REASONS)[number];

export type GateDecision =
  | { allow: true; online: boolean }
  | { allow: false; reason: DenyReason; online: boolean };

export interface GateContext {
  config: GateConfig;
  identity?: GateIdentity;
  /** Set while a scanned code is being checked. */
  code?: string;
  decision?: GateDecision;
  reason?: DenyReason;
  /** Device → status, as the devices report it. */
  devices: Record<string, string>;
  /** Passages counted since start (shown to the operator, never on the citizen's screen). */
  passages: number;
}

export interface GateInput {
  config: GateConfig;
  devices?: Record<string, string>;
}

export type GateEvent =
  | { type: 'TAP' }
  | { type: 'SCAN'; text: string }
  | { type: 'PASSAGE' }
  | { type: 'TAILGATING' }
  | { type: 'DEVICE_STATUS'; device: string; status: string };

export interface GateMeta {
  screen: GateScreenId;
}

/** Devices a gate cannot work without: the gate board, and something to identify a citizen with. */
export function gateUsable(devices: Record<string, string>): boolean {
  return devices.gate === 'ok' && (devices.reader === 'ok' || devices.scanner === 'ok');
}
