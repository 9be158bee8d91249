import { mkdtempSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';

export interface RenderCacheOptions {
  /** Prefix of the temp directory (under the OS temp dir). */
  prefix: string;
  /** File extension of the rendered files, with the dot. */
  ext: string;
  /** How many rendered files to keep; older ones are deleted. */
  keep?: number;
}

const KEY = /^[A-Za-z0-9_-]{1,64}$/;

/**
 * Renders a file once per key into a private temp directory. The sim panel polls the receipt
 * picture; a render launches headless Chromium (a second or more, a lot on a 2-core kiosk PC), so
 * a key — a document's content hash — is rendered once, and concurrent requests for it share the
 * one render. A failed render is forgotten, so the next request tries again.
 */
export class RenderCache {
  private dir: string | undefined;
  /** Insertion order = age: a hit moves its key to the end. */
  private readonly entries = new Map<string, Promise<string>>();
  private readonly keep: number;

  constructor(private readonly opts: RenderCacheOptions) {
    this.keep = Math.max(1, opts.keep ?? 4);
  }

  /**
   * The file for `key`, rendered by `render(file)` unless it already was. On a miss `render` is
   * called synchronously, before `get` returns: a caller may rely on it seeing the same state
   * (the same last document) that the key was computed from.
   */
  get(key: string, render: (file: string) => Promise<unknown>): Promise<string> {
    // Keys become file names: never let one climb out of the directory.
    if (!KEY.test(key)) return Promise.reject(new Error(`bad render cache key '${key}'`));
    const hit = this.entries.get(key);
    if (hit) {
      this.entries.delete(key);
      this.entries.set(key, hit);
      return hit;
    }
    let made: Promise<string>;
    try {
      const file = path.join(this.directory(), `${key}${this.opts.ext}`);
      made = render(file).then(() => file);
    } catch (err) {
      made = Promise.reject(err instanceof Error ? err : new Error(String(err)));
    }
    this.entries.set(key, made);
    made.catch(() => {
      if (this.entries.get(key) === made) this.entries.delete(key);
    });
    this.evict();
    return made;
  }

  /**
   * Deletes every rendered file and the directory (once renders in flight have finished). A later
   * `get` starts afresh in a new directory: a UI server may be closed and reopened on the same API.
   */
  async dispose(): Promise<void> {
    const dir = this.dir;
    this.dir = undefined;
    const pending = [...this.entries.values()];
    this.entries.clear();
    await Promise.allSettled(pending);
    if (dir) await rm(dir, { recursive: true, force: true });
  }

  /** Made on first use, synchronously (once, a few µs) so a miss can call `render` at once. */
  private directory(): string {
    this.dir ??= mkdtempSync(path.join(tmpdir(), this.opts.prefix));
    return this.dir;
  }

  private evict(): void {
    while (this.entries.size > this.keep) {
      const [oldKey, old] = this.entries.entries().next().value as [string, Promise<string>];
      this.entries.delete(oldKey);
      // Only once it exists; a response still streaming it keeps its open descriptor (POSIX unlink).
      old.then((file) => rm(file, { force: true })).catch(() => undefined);
    }
  }
}
