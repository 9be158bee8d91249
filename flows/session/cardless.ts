import type { SessionContext } from './types.js';

/**
 * A visit without a card in the slot: started by a tap on the antenna or a scanned e-card code,
 * and no card inserted since. Nothing can be ejected or retained: every state that would hand a
 * card back goes straight on instead (docs/flows.md, "Sessions without an inserted card").
 */
export function isCardless(context: Pick<SessionContext, 'via' | 'card'>): boolean {
  return (context.via === 'tap' || context.via === 'code') && context.card === 'none';
}

/** A tap session whose card is not in the slot: the offline PIN goes to the card over the antenna. */
export function isTapSession(context: Pick<SessionContext, 'via' | 'card'>): boolean {
  return context.via === 'tap' && context.card === 'none';
}
