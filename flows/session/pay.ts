import type { PremiumDue, PremiumItem } from '../../kiosk/backend/interface.js';
import type { PayOrderInput, SessionContext } from './types.js';

/**
 * The payment the citizen is putting together on pay-select / pay-amount, from what the backend
 * says is due. Amounts and choices always come from the backend's answer, never from here.
 */

export const ITEM_CONTROL_PREFIX = 'item-';
export const CHOICE_CONTROL_PREFIX = 'choice-';

export function dueOf(context: Pick<SessionContext, 'dues' | 'payItem'>): PremiumDue | undefined {
  return context.dues?.find((d) => d.item === context.payItem) ?? context.dues?.[0];
}

/** The preselected number of periods: every period in arrears (at least one), within the limit. */
export function defaultPeriods(due: PremiumDue): number {
  return Math.max(1, Math.min(due.maxPeriods, due.periods.length, due.arrears.length || 1));
}

export function maxPeriods(due: PremiumDue): number {
  return Math.max(1, Math.min(due.maxPeriods, due.periods.length));
}

/** The choices for a newly selected item: its default choice and periods. */
export function selectItem(dues: PremiumDue[] | undefined, item: PremiumItem | undefined) {
  const due = dues?.find((d) => d.item === item) ?? dues?.[0];
  if (!due) return { payItem: undefined, payChoice: undefined, payPeriods: undefined };
  return { payItem: due.item, payChoice: due.defaultChoiceId, payPeriods: defaultPeriods(due) };
}

export function itemOfControl(control: string, dues: PremiumDue[] | undefined): PremiumItem | undefined {
  if (!control.startsWith(ITEM_CONTROL_PREFIX)) return undefined;
  const item = control.slice(ITEM_CONTROL_PREFIX.length);
  return dues?.find((d) => d.item === item)?.item;
}

export function choiceOfControl(control: string, due: PremiumDue | undefined): string | undefined {
  if (!control.startsWith(CHOICE_CONTROL_PREFIX)) return undefined;
  const id = control.slice(CHOICE_CONTROL_PREFIX.length);
  return due?.choices.find((c) => c.id === id)?.id;
}

/** The order as it stands, or undefined when nothing payable is selected. */
export function orderOf(context: Pick<SessionContext, 'dues' | 'payItem' | 'payChoice' | 'payPeriods'>): PayOrderInput | undefined {
  const due = dueOf(context);
  const choice = due?.choices.find((c) => c.id === context.payChoice) ?? due?.choices.find((c) => c.id === due.defaultChoiceId);
  if (!due || !choice) return undefined;
  const n = Math.max(1, Math.min(maxPeriods(due), context.payPeriods ?? defaultPeriods(due)));
  const periods = due.periods.slice(0, n);
  return { item: due.item, choiceId: choice.id, periods, amountFen: choice.amountFen * periods.length };
}
