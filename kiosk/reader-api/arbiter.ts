/**
 * One holder of the card reader (with its PSAM and antenna) and the PIN pad at a time: the kiosk's
 * own session or one API client. A card dialogue interleaved with another holder's would select
 * other files, reset the card or spend a PIN try under the first holder's feet, so there is no
 * sharing below the level of a whole visit or a whole function call.
 *
 * The two sides wait differently on purpose. An API call fails at once (ReaderBusyError → -90): a
 * hospital system polls, and must never hang behind a citizen's visit. The kiosk may wait
 * (`acquire`) for an API call to finish — at most one function, bounded by the PIN pad's entry
 * timeout — and while it waits, API calls are refused so it is not starved.
 */
import { ReaderBusyError } from './errors.js';
import type { CardAccess, ReaderSession } from './functions.js';

export type ReaderHolder = { kind: 'kiosk' } | { kind: 'api'; client: string };
export type Release = () => void;

export class ReaderArbiter {
  private current: ReaderHolder | undefined;
  private readonly waiting: Array<{ holder: ReaderHolder; grant: (release: Release) => void }> = [];
  private readonly freeWaiters: Array<() => void> = [];

  /** Who holds the reader now (the host's tap poller and insertion handling look here). */
  get holder(): ReaderHolder | undefined {
    return this.current;
  }

  /** Takes the reader now or throws ReaderBusyError; the returned release is idempotent. */
  tryAcquire(holder: ReaderHolder): Release {
    if (this.current) throw new ReaderBusyError(this.current.kind);
    if (this.waiting.length > 0) throw new ReaderBusyError(this.waiting[0]!.holder.kind);
    return this.grant(holder);
  }

  /**
   * Takes the reader, waiting (in order) while someone else holds it. For the kiosk's session: a
   * citizen who inserted a card waits for one API call rather than being turned away.
   */
  acquire(holder: ReaderHolder, signal?: AbortSignal): Promise<Release> {
    if (!this.current && this.waiting.length === 0) return Promise.resolve(this.grant(holder));
    return new Promise<Release>((resolve, reject) => {
      const entry = { holder, grant: resolve };
      this.waiting.push(entry);
      signal?.addEventListener(
        'abort',
        () => {
          const i = this.waiting.indexOf(entry);
          if (i < 0) return;
          this.waiting.splice(i, 1);
          reject(signal.reason instanceof Error ? signal.reason : new Error('acquire aborted'));
        },
        { once: true },
      );
    });
  }

  /** Resolves when nobody holds the reader and nobody waits for it. */
  whenFree(): Promise<void> {
    if (!this.current && this.waiting.length === 0) return Promise.resolve();
    return new Promise((resolve) => this.freeWaiters.push(resolve));
  }

  private grant(holder: ReaderHolder): Release {
    this.current = holder;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.current = undefined;
      // Hand over directly: between release and the next holder nobody may slip in.
      const next = this.waiting.shift();
      if (next) {
        next.grant(this.grant(next.holder));
        return;
      }
      for (const w of this.freeWaiters.splice(0)) w();
    };
  }
}

/** A session the access opens per call; `end` undoes what the call left (card power, antenna). */
export type OpenedSession = ReaderSession & { end?(): Promise<void> };

/**
 * The CardAccess the host wires in: each API call takes the reader from the arbiter (failing fast
 * when held), opens a fresh session, and always ends it and releases the reader.
 */
export function arbitratedAccess(arbiter: ReaderArbiter, openSession: () => OpenedSession): CardAccess {
  return {
    async withReader<T>(client: string, fn: (session: ReaderSession) => Promise<T>): Promise<T> {
      const release = arbiter.tryAcquire({ kind: 'api', client });
      let session: OpenedSession | undefined;
      try {
        session = openSession();
        return await fn(session);
      } finally {
        try {
          await session?.end?.();
        } finally {
          release();
        }
      }
    },
  };
}
