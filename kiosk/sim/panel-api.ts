import { createHash } from 'node:crypto';
import type { PrintedDocument } from '../../drivers/printer/sim/printer-sim.js';
import type { HostSnapshot } from '../../flows/view/protocol.js';
import type { SimPanelApi } from '../server/hub.js';
import { RenderCache } from '../server/render-cache.js';
import type { SimPrinterDocument, SimPrinterState } from '../server/sim-protocol.js';
import type { SimWorld } from './world.js';

/**
 * A document's id: a hash of what it looks like on paper (and when it was printed), so the same id
 * always means the same picture and a cached render can never be stale. Finished documents are the
 * same objects on every `printer.last`, so their hash is computed once; the one still printing is a
 * fresh object each time and is hashed each time.
 */
const ids = new WeakMap<PrintedDocument, string>();
function documentId(doc: PrintedDocument): string {
  let id = ids.get(doc);
  if (!id) {
    const { blocks, cut, truncated, stoppedBy, at } = doc;
    id = createHash('sha256').update(JSON.stringify({ blocks, cut, truncated, stoppedBy, at })).digest('hex').slice(0, 20);
    ids.set(doc, id);
  }
  return id;
}

function documentView(doc: PrintedDocument): SimPrinterDocument {
  return {
    id: documentId(doc),
    printing: !doc.cut && !doc.truncated,
    truncated: doc.truncated,
    ...(doc.stoppedBy ? { stoppedBy: doc.stoppedBy } : {}),
    cut: doc.cut,
    text: doc.text,
    qr: doc.blocks.flatMap((b) => (b.kind === 'qr' ? [b.data] : [])),
  };
}

function printerState(world: SimWorld, status: string | undefined): SimPrinterState {
  const p = world.printer;
  const last = p.last;
  return {
    status: status ?? 'not-configured',
    paper: p.paper,
    paperRemainingMm: Math.round(p.paperRemainingMm),
    coverOpen: p.isCoverOpen,
    jammed: p.isJammed,
    receiptWaiting: p.receiptWaiting,
    presenterSensor: p.hasPresenterSensor,
    documents: p.documents.length,
    ...(last ? { last: documentView(last) } : {}),
  };
}

/** The /sim panel's view of the simulated world (sim mode only). */
export function simPanelApi(world: SimWorld, snapshot: () => HostSnapshot): SimPanelApi {
  const renders = new RenderCache({ prefix: 'ykt-receipt-', ext: '.png' });
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
        printer: printerState(world, s.devices.printer),
        profile: s.devices.gate !== undefined ? 'gate' : 'kiosk',
        transit: {
          cardInField: world.cardInField,
          gate: world.gate?.state.gate ?? 'closed',
          lights: world.gate?.state.lights ?? 'off',
          alarm: world.gate?.state.alarm ?? false,
          passages: world.gate?.state.passages ?? 0,
        },
      };
    },
    tap: async (handle, holdMs) => world.tap(handle, holdMs),
    scan: async (what) => {
      let text: string;
      if ('text' in what) text = what.text;
      else {
        const r = world.ecardCode(what.ecard, what.variant);
        if (!r.ok) return { ok: false, message: r.message };
        text = r.code;
      }
      world.scanner.scan(text);
      return { ok: true };
    },
    pass: async (tailgate) => {
      const gate = world.gate;
      if (!gate) return { ok: false, message: 'this terminal has no gate' };
      gate.pass();
      if (tailgate) gate.pass();
      return { ok: true };
    },
    insert: async (handle) => world.insert(handle),
    take: async () => world.take(),
    keys: async (keys) => world.keys(keys),
    fault: async (device, kind) => world.fault(device, kind),
    takeReceipt: async () =>
      world.printer.takeReceipt() ? { ok: true } : { ok: false, message: 'no receipt is waiting in the printer exit' },
    receiptPng: async () => {
      const doc = world.printer.last;
      if (!doc) return undefined;
      const id = documentId(doc);
      // renderLastPng takes `printer.last` synchronously when called, and the cache calls the
      // renderer in this same tick on a miss, so the picture is of the document `id` names.
      const file = await renders.get(id, (f) => world.printer.renderLastPng(f));
      return { id, file };
    },
    dispose: () => renders.dispose(),
  };
}
