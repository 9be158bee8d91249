import type { SnapshotFrom } from 'xstate';
import type { sessionMachine } from './machine.js';
import type { CardPlace, ScreenId, SessionMeta } from './types.js';

export type SessionSnapshot = SnapshotFrom<typeof sessionMachine>;

/**
 * The screen id of the current state: the deepest active state's `meta.screen` (getMeta lists
 * ancestors before descendants).
 */
export function screenOf(snapshot: SessionSnapshot): ScreenId {
  let screen: ScreenId | undefined;
  for (const meta of Object.values(snapshot.getMeta()) as (SessionMeta | undefined)[]) {
    if (meta?.screen) screen = meta.screen;
  }
  if (!screen) throw new Error(`session state ${JSON.stringify(snapshot.value)} names no screen`);
  return screen;
}

export function cardPlace(snapshot: SessionSnapshot): CardPlace {
  return snapshot.context.card;
}
