import type { SnapshotFrom } from 'xstate';
import type { gateMachine } from './machine.js';
import type { GateMeta, GateScreenId } from './types.js';

export type GateSnapshot = SnapshotFrom<typeof gateMachine>;

export function gateScreenOf(snapshot: GateSnapshot): GateScreenId {
  let screen: GateScreenId | undefined;
  for (const meta of Object.values(snapshot.getMeta()) as (GateMeta | undefined)[]) if (meta?.screen) screen = meta.screen;
  if (!screen) throw new Error(`gate state ${JSON.stringify(snapshot.value)} names no screen`);
  return screen;
}
