import { isCardless } from './cardless.js';
import type { ControlId, SessionContext, VerifyPinPurpose } from './types.js';

/**
 * The services of the menu, in the order they are offered. A later service (pay) is one more
 * entry here, one state in the machine (the `state` it starts in) and its strings; the menu's
 * transitions, the PIN's way on to the service and the menu's buttons are built from this list.
 */
export interface MenuService {
  /** The control id of its menu button (stable, kebab-case). */
  control: ControlId;
  /** The machine state the service starts in (a child of the session root). */
  state: 'changePin' | 'reportLoss' | 'liftLoss' | 'records' | 'printing' | 'payLoading' | 'reprinting' | 'regLoading' | 'cancelLoading' | 'slipPrinting';
  /**
   * The PIN this service needs proved first when the visit started without it (pinAtStart
   * false). Change PIN needs none: the card checks the old PIN itself.
   */
  pinPurpose?: VerifyPinPurpose;
  /** Whether the menu offers it to this holder. */
  offered(context: SessionContext): boolean;
  /**
   * Whether it can be used right now (a device it needs works). An offered service that is not
   * available is shown disabled with the reason, so the citizen knows it exists.
   */
  available?(context: SessionContext): boolean;
  /**
   * It needs the physical card in the slot (reads the chip's bank application, writes the card):
   * shown disabled in a visit started by a tap or a scanned code.
   */
  needsCard?: boolean;
}

/** Printing needs paper and a closed cover; a roll near its end still prints. */
export const printerReady = (context: Pick<SessionContext, 'printer'>): boolean =>
  context.printer === 'ok' || context.printer === 'paper-low';

/** The hospital registration machine (config `services: 'hospital'`, the `hospital` profile). */
const hospital = (c: SessionContext): boolean => c.config.services === 'hospital';
/** The citizen kiosk (the default). */
const kiosk = (c: SessionContext): boolean => !hospital(c);

export const MENU_SERVICES: readonly MenuService[] = [
  // Hospital: 挂号 first, 退号 of today's registrations, 补打挂号凭条 (docs/hospital.md).
  { control: 'register-visit', state: 'regLoading', pinPurpose: 'register', offered: hospital },
  { control: 'cancel-registration', state: 'cancelLoading', pinPurpose: 'cancel-registration', offered: hospital },
  {
    control: 'reprint-slip',
    state: 'slipPrinting',
    pinPurpose: 'reprint-slip',
    offered: (c) => hospital(c) && c.slipReprintable === true,
    available: printerReady,
  },
  { control: 'query-contributions', state: 'records', pinPurpose: 'query', offered: () => true },
  { control: 'print-statement', state: 'printing', pinPurpose: 'print', offered: kiosk, available: printerReady },
  { control: 'pay-premiums', state: 'payLoading', pinPurpose: 'pay', offered: kiosk, needsCard: true },
  // 补打凭证: a payment receipt that could not be printed (or was asked again) in the last days.
  { control: 'reprint-receipt', state: 'reprinting', pinPurpose: 'reprint', offered: (c) => kiosk(c) && c.reprintable === true, available: printerReady },
  { control: 'change-pin', state: 'changePin', offered: kiosk, needsCard: true },
  { control: 'report-loss', state: 'reportLoss', pinPurpose: 'report-loss', offered: kiosk },
  // 解挂 only for a card that was temporarily reported lost (临时挂失) and found again.
  { control: 'lift-loss', state: 'liftLoss', pinPurpose: 'lift-loss', offered: (c) => kiosk(c) && c.cardStatus === 'temp-lost' },
];

export function offeredServices(context: SessionContext): MenuService[] {
  return MENU_SERVICES.filter((s) => s.offered(context));
}

export function serviceAvailable(s: MenuService, context: SessionContext): boolean {
  if (s.needsCard && isCardless(context)) return false;
  return s.available?.(context) ?? true;
}

/** Why an offered service is shown disabled: no card in the slot, or a device it needs. */
export function unavailableBecause(s: MenuService, context: SessionContext): 'no-card' | 'device' | undefined {
  if (s.needsCard && isCardless(context)) return 'no-card';
  return (s.available?.(context) ?? true) ? undefined : 'device';
}
