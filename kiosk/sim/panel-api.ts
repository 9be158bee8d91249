import type { HostSnapshot } from '../../flows/view/protocol.js';
import type { SimPanelApi } from '../server/hub.js';
import type { SimWorld } from './world.js';

/** The /sim panel's view of the simulated world (sim mode only). */
export function simPanelApi(world: SimWorld, snapshot: () => HostSnapshot): SimPanelApi {
  return {
    state: () => {
      const s = snapshot();
      return {
        cards: [...world.cards.entries()].map(([handle, p]) => ({
          handle,
          label: `${p.name ?? '张三'} · ${handle}`,
        })),
        card: s.card,
        devices: s.devices,
        screen: s.view.screen,
      };
    },
    insert: async (handle) => world.insert(handle),
    take: async () => world.take(),
    keys: async (keys) => world.keys(keys),
    fault: async (device, kind) => world.fault(device, kind),
  };
}
