import type BetterSqlite3 from 'better-sqlite3';
import { YktError } from '../../drivers/common/errors.js';
import { openDatabase } from '../journal/sqlite.js';
import { KEY_WORDS, murmurKeyHash, packCardId, type KeyHash } from './card-id.js';
import { IdHashSet } from './id-hash-set.js';
import { SnapshotStore, type LoadSource } from './snapshot.js';

export type { LoadSource } from './snapshot.js';

export interface BlacklistUpdate {
  version: number;
  /** A full list replaces everything; a delta adds, then removes. */
  full: boolean;
  /** A delta's base version. When given it must be the local version, or the delta is a gap. */
  from?: number;
  add: readonly string[];
  remove: readonly string[];
}

/**
 * Codes: BLACKLIST_INVALID_ENTRY (an id that is not 1–32 hex digits; `entry` names it),
 * BLACKLIST_GAP (a delta from another version than the local one), BLACKLIST_BAD_VERSION.
 * Whatever the code, nothing of the update was applied.
 */
export class BlacklistError extends YktError {
  constructor(
    code: string,
    message: string,
    readonly entry?: { list: 'add' | 'remove'; index: number; value: string },
  ) {
    super(code, message);
  }
}

function invalidEntry(list: 'add' | 'remove', index: number, raw: unknown): BlacklistError {
  const value = String(raw).slice(0, 40);
  return new BlacklistError(
    'BLACKLIST_INVALID_ENTRY',
    `blacklist ${list}[${index}] ${JSON.stringify(value)} is not a card identification code (1–32 hex digits); nothing applied`,
    { list, index, value },
  );
}

/**
 * A full list gathered page by page: each page is validated and packed as it arrives (16 bytes an
 * entry, no strings kept), and nothing reaches the blacklist until `Blacklist.commitFull`. An
 * invalid entry spoils the stage: it can no longer be committed.
 */
export class BlacklistStage {
  private words: Uint32Array;
  private n = 0;
  private spoiled?: BlacklistError;
  private built?: IdHashSet;

  /** Made by `Blacklist.stageFull`. */
  constructor(
    private readonly hash: KeyHash,
    sizeHint = 1024,
  ) {
    // The hint comes from the backend (`total`): trusted to size the buffer, not to allocate without bound.
    this.words = new Uint32Array(Math.min(Math.max(16, sizeHint | 0), 1 << 22) * KEY_WORDS);
  }

  get size(): number {
    return this.n;
  }

  add(ids: readonly string[]): void {
    if (this.spoiled) throw this.spoiled;
    if (this.built) throw new BlacklistError('BLACKLIST_STAGE_SEALED', 'blacklist stage already sealed');
    const need = (this.n + ids.length) * KEY_WORDS;
    if (need > this.words.length) {
      const grown = new Uint32Array(Math.max(need, this.words.length * 2));
      grown.set(this.words.subarray(0, this.n * KEY_WORDS));
      this.words = grown;
    }
    for (let i = 0; i < ids.length; i++) {
      if (typeof ids[i] !== 'string' || !packCardId(ids[i]!, this.words, (this.n + i) * KEY_WORDS)) {
        throw (this.spoiled = invalidEntry('add', this.n + i, ids[i]));
      }
    }
    this.n += ids.length;
  }

  /**
   * Builds the index now (the CPU half of a commit, ~0.1 s at 1M entries), so that a caller can
   * yield to the event loop before `commitFull` does the writing half. Optional.
   */
  seal(): IdHashSet {
    if (this.spoiled) throw this.spoiled;
    this.built ??= IdHashSet.build(this.words, this.n, this.hash);
    this.words = new Uint32Array(0);
    return this.built;
  }
}

export interface BlacklistOptions {
  /** Test hook: the key hash (a constant one puts every key in one bucket). */
  hash?: KeyHash;
  /** Test hook: runs inside every write transaction just before it commits (throw = crash). */
  beforeCommit?: () => void;
}

/**
 * The local blacklist: card identification codes (卡识别码) that must not be served. Answers from
 * memory in constant time (see id-hash-set.ts), online or not; updates are stored in SQLite with
 * their version in one transaction (see snapshot.ts) and swapped into memory only once committed,
 * so a failed or interrupted update leaves the previous list answering, now and after a restart.
 */
export class Blacklist {
  private readonly db: BetterSqlite3.Database;
  private readonly store: SnapshotStore;
  private set: IdHashSet;
  private ver: number;
  private readonly probe = new Uint32Array(KEY_WORDS);
  /** Start-up time: open, read and check the snapshot (and rebuild it, when it had to be). */
  readonly loadMs: number;
  readonly loadedFrom: LoadSource;

  constructor(file: string, opts: BlacklistOptions = {}) {
    const t = performance.now();
    this.db = openDatabase(file);
    this.store = new SnapshotStore(this.db, opts.hash ?? murmurKeyHash, opts.beforeCommit);
    const loaded = this.store.load();
    this.set = loaded.set;
    this.ver = loaded.version;
    this.loadedFrom = loaded.source;
    this.loadMs = performance.now() - t;
  }

  get version(): number {
    return this.ver;
  }

  get size(): number {
    return this.set.size;
  }

  /** Bytes of the in-memory index (keys and directory). */
  get indexBytes(): number {
    return this.set.bytes;
  }

  /** Whether the card is listed. Never throws: a code that is not 1–32 hex digits cannot be listed. */
  has(cardId: string): boolean {
    const p = this.probe;
    if (typeof cardId !== 'string' || !packCardId(cardId, p, 0)) return false;
    return this.set.has(p[0]!, p[1]!, p[2]!, p[3]!);
  }

  /**
   * Applies a full list or a delta, all or nothing. Returns false for a delta that is not newer
   * than the local version (a repeat, or an old answer): nothing to do, not an error. Throws
   * BlacklistError for a gap or an invalid entry, having changed nothing.
   */
  apply(u: BlacklistUpdate): boolean {
    checkVersion(u.version);
    if (!u.full) {
      if (u.version <= this.ver) return false;
      if (u.from !== undefined && u.from !== this.ver) {
        throw new BlacklistError('BLACKLIST_GAP', `blacklist delta ${u.from}→${u.version} does not follow the local version ${this.ver}`);
      }
    }
    const add = packAll(u.add, 'add');
    const rm = packAll(u.remove, 'remove');
    if (u.full) {
      const { set } = IdHashSet.build(add.words, add.n, this.set.hash).withChanges(new Uint32Array(0), 0, rm.words, rm.n);
      this.store.writeAll(set, u.version);
      this.set = set;
    } else {
      const { set, changed } = this.set.withChanges(add.words, add.n, rm.words, rm.n);
      this.store.writeChanged(set, u.version, changed);
      this.set = set;
    }
    this.ver = u.version;
    return true;
  }

  /** A staged full list to fill page by page; see `commitFull`. */
  stageFull(sizeHint?: number): BlacklistStage {
    return new BlacklistStage(this.set.hash, sizeHint);
  }

  /** Replaces the list with a completed stage, as `version`, in one transaction. */
  commitFull(stage: BlacklistStage, version: number): void {
    checkVersion(version);
    const set = stage.seal();
    if (set.hash !== this.set.hash) throw new BlacklistError('BLACKLIST_STAGE_FOREIGN', 'blacklist stage made by another blacklist');
    this.store.writeAll(set, version);
    this.set = set;
    this.ver = version;
  }

  close(): void {
    if (this.db.open) this.db.close();
  }
}

function checkVersion(v: number): void {
  if (!Number.isSafeInteger(v) || v < 0) throw new BlacklistError('BLACKLIST_BAD_VERSION', `blacklist version ${v} is not a non-negative integer`);
}

function packAll(ids: readonly string[], list: 'add' | 'remove'): { words: Uint32Array; n: number } {
  const words = new Uint32Array(ids.length * KEY_WORDS);
  for (let i = 0; i < ids.length; i++) {
    if (typeof ids[i] !== 'string' || !packCardId(ids[i]!, words, i * KEY_WORDS)) throw invalidEntry(list, i, ids[i]);
  }
  return { words, n: ids.length };
}
