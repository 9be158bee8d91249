import type { HostSnapshot, Intent, ScreenView } from '../../../flows/view/protocol.js';
import type { ReceiptPng, SimPanelApi, SimPanelState, SnapshotHub } from '../../../kiosk/server/hub.js';

/** A hub the tests drive by hand: push any view, record every intent. */
export class FakeHub implements SnapshotHub {
  readonly intents: Intent[] = [];
  private readonly listeners = new Set<(s: HostSnapshot) => void>();
  private snap: HostSnapshot;
  private waiters: { pred: (i: Intent) => boolean; resolve: (i: Intent) => void }[] = [];

  constructor(view: ScreenView = idleView(), over: Partial<HostSnapshot> = {}) {
    this.snap = { type: 'snapshot', seq: 1, now: Date.now(), view, card: 'none', devices: { reader: 'ok' }, lang: 'zh-CN', sim: true, terminalId: 'YKT-0001', ...over };
  }

  current(): HostSnapshot {
    return this.snap;
  }

  subscribe(fn: (s: HostSnapshot) => void): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  get listenerCount(): number {
    return this.listeners.size;
  }

  intent(i: Intent): void {
    this.intents.push(i);
    this.waiters = this.waiters.filter((w) => (w.pred(i) ? (w.resolve(i), false) : true));
  }

  /** Resolves with the first intent (already received or future) that matches. */
  nextIntent(pred: (i: Intent) => boolean, timeoutMs = 5000): Promise<Intent> {
    const seen = this.intents.find(pred);
    if (seen) return Promise.resolve(seen);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('no matching intent in time')), timeoutMs);
      this.waiters.push({ pred, resolve: (i) => (clearTimeout(timer), resolve(i)) });
    });
  }

  show(view: ScreenView, over: Partial<HostSnapshot> = {}): HostSnapshot {
    this.snap = { ...this.snap, ...over, view, seq: this.snap.seq + 1, now: Date.now() };
    for (const l of this.listeners) l(this.snap);
    return this.snap;
  }
}

export function idleView(): ScreenView {
  return {
    screen: 'idle',
    title: '请插入社会保障卡',
    lines: ['芯片朝上，插入读卡口', '办理完毕请记得取回卡片'],
    fields: [],
    tables: [],
    controls: [
      { id: 'elderly-mode', label: '长辈模式', kind: 'secondary' },
      { id: 'language', label: 'English', kind: 'secondary' },
    ],
    tone: 'info',
  };
}

export function menuView(deadline?: number): ScreenView {
  return {
    screen: 'menu',
    title: '张三，您好',
    lines: ['请选择要办理的业务'],
    fields: [
      { id: 'name', label: '姓名', value: '张三' },
      { id: 'ssn', label: '社会保障号码', value: '110101********1234' },
      { id: 'card-number', label: '卡号', value: 'A12345678' },
      { id: 'expiry', label: '有效期至', value: '2030-12-31' },
    ],
    tables: [],
    controls: [
      { id: 'query-contributions', label: '查询缴费记录', kind: 'primary' },
      { id: 'print-statement', label: '打印参保证明', kind: 'primary', disabled: true, note: '打印机缺纸，暂停服务' },
      { id: 'pay-premiums', label: '缴纳保费', kind: 'primary' },
      { id: 'finish', label: '退卡', kind: 'danger' },
    ],
    tone: 'info',
    ...(deadline !== undefined ? { deadline } : {}),
  };
}

export function readingView(progress: number): ScreenView {
  return { screen: 'reading', title: '正在读卡，请稍候', lines: ['请勿拔出卡片'], fields: [], tables: [], controls: [], tone: 'info', progress };
}

/** A sim panel double that records calls and answers like a simple simulator. */
export class FakeSim implements SimPanelApi {
  readonly calls: string[] = [];
  card: SimPanelState['card'] = 'none';

  state(): SimPanelState {
    return { cards: [{ handle: 'valid', label: '张三 · valid' }, { handle: 'expired', label: '李四 · expired' }], card: this.card, devices: { reader: 'ok', printer: 'paper-out' }, screen: 'idle' };
  }
  async insert(handle: string) {
    this.calls.push(`insert:${handle}`);
    if (handle === 'nope') return { ok: false, message: `no card '${handle}'` };
    this.card = 'inside';
    return { ok: true };
  }
  async take() {
    this.calls.push('take');
    return this.card === 'at-gate' ? { ok: true } : { ok: false, message: 'no card at the gate' };
  }
  async keys(keys: string) {
    this.calls.push(`keys:${/^\d+$/.test(keys) ? keys.length : keys}`);
    return { ok: true };
  }
  async fault(device: string, kind: string) {
    this.calls.push(`fault:${device}:${kind}`);
    return { ok: true };
  }
  async takeReceipt() {
    this.calls.push('take-receipt');
    return { ok: false, message: 'no receipt is waiting in the printer exit' };
  }
  /** This fake never prints. */
  async receiptPng(): Promise<ReceiptPng | undefined> {
    return undefined;
  }
}
