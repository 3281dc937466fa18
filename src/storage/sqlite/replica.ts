// A terminal kept in step with a central store (README "Central store and fleet"): it follows the
// store's ChangeFeed (change-feed.ts) and applies each change, in sequence order, to a local
// SQLite replica and to its in-memory galleries, incrementally. The terminal holds the storage
// key: each sealed record of the feed is opened (which also proves it was sealed by a key holder
// for this tenant, subject and purpose) and put into the local store, which seals it again under
// its own manifest, so the replica keeps every local integrity check (SPEC.md §7.6). The last
// sequence applied is written in the same transaction as the changes: a terminal killed mid-sync
// resumes after it, with no gap and nothing applied twice. While the server is unreachable the
// terminal keeps answering from its replica, reports itself stale after `staleAfterMs`, and
// catches up when the server returns; it is woken by the feed's subscription and also polls.
import { bytesToHex } from '@noble/hashes/utils.js';
import { isTemplockError, TemplockError, type ErrorCode } from '../../errors.js';
import { Gallery, type GalleryOptions } from '../../match/gallery.js';
import { init } from '../../match/loader.js';
import { encodeTemplate, TEMPLATE_FIXED_BYTES, type ProtectedTemplate } from '../../template.js';
import { aInt } from '../../validate.js';
import { aUtf8 } from '../bytes.js';
import type { Change, ChangeFeed, ChangeKind } from '../change-feed.js';
import { _checkChange } from '../change-mac.js';
import { DEFAULT_PURPOSE } from '../context.js';
import { openTemplate, saltId as saltIdOf } from '../seal.js';
import type { PutItem } from '../store.js';
import type { SqliteTemplateStore } from './sqlite-store.js';

/** The mark of the local store holding the last sequence applied. */
const SEQ_MARK = 'replica.seq';
const KINDS: ReadonlySet<ChangeKind> = new Set(['put', 'delete', 'revoke-subject', 'reinstate-subject', 'revoke-salt']);
const SALT_ID_HEX = /^[0-9a-f]{32}$/;
/**
 * Milliseconds before pulling again when a wake-up named a sequence the pull did not reach (the
 * feed is read from a hot standby that has not replayed it yet).
 */
const LAG_RETRY_MS = 20;

/** Options of openReplica(). */
export interface ReplicaOptions {
  /** The central store's change feed of this terminal's tenant. */
  readonly feed: ChangeFeed;
  /**
   * The local replica, opened by the caller for the central store's tenant with a keyring that
   * opens its records, and without a monotonic counter; the replica writes it, the caller closes it.
   */
  readonly store: SqliteTemplateStore;
  /** The purpose whose records the galleries hold (default 'access'); records of every purpose are replicated. */
  readonly purpose?: string;
  /** Milliseconds without a successful pull after which the terminal reports itself stale, 1..2^31-1 (default 30,000). */
  readonly staleAfterMs?: number;
  /** Milliseconds between two pulls when no wake-up comes, 10..2^31-1 (default 5,000); also how often staleness is checked. */
  readonly pollIntervalMs?: number;
  /** Changes read per pull and applied per transaction, 1..100,000 (default 1,000). */
  readonly batchSize?: number;
  /** Options of every gallery (threads, memory limit); scores are never disclosed. */
  readonly gallery?: Pick<GalleryOptions, 'threads' | 'maxMemoryBytes'>;
  /** What the replica does, as it happens (see ReplicaEvent). */
  readonly onEvent?: (event: ReplicaEvent) => void;
  /** Milliseconds since the Unix epoch (default Date.now). */
  readonly clock?: () => number;
}

/** A change whose record could not be opened: the subject's local record is deleted (refused until a good one comes). */
export interface ChangeFailure {
  readonly seq: number;
  readonly subjectId: string;
  readonly purpose: string;
  readonly code: ErrorCode;
}

/** What the replica reports. */
export type ReplicaEvent =
  /** Changes up to `seq` were committed to the replica and the galleries. */
  | { readonly type: 'applied'; readonly seq: number; readonly changes: number; readonly added: readonly string[]; readonly removed: readonly string[]; readonly failures: readonly ChangeFailure[] }
  /** A pull or an apply failed (it is tried again at the next wake-up or poll). */
  | { readonly type: 'error'; readonly code: ErrorCode | 'FEED_FAILED'; readonly message: string }
  /** No successful pull for staleAfterMs: decisions come from a replica that may miss changes. */
  | { readonly type: 'stale'; readonly since: number }
  /** A pull succeeded again after the replica was stale. */
  | { readonly type: 'fresh'; readonly seq: number };

/** The state of a replica. */
export interface ReplicaStatus {
  /** The last sequence applied. */
  readonly seq: number;
  /** True when the last successful pull is older than staleAfterMs. */
  readonly stale: boolean;
  /** Milliseconds since the Unix epoch of the last successful pull (undefined: none since open). */
  readonly lastContactAt: number | undefined;
  /** Residents in the galleries. */
  readonly residents: number;
}

function aObject(name: string, value: unknown): void {
  if (typeof value !== 'object' || value === null) throw new TypeError(`"${name}" expected object, got ${value === null ? 'null' : typeof value}`);
}

function malformedChange(why: string): TemplockError {
  return new TemplockError('MALFORMED', `feed: ${why}`);
}

/** Checks one change of the feed (it comes from the network) and that it follows `after`. */
function aChange(c: unknown, after: number): Change {
  if (typeof c !== 'object' || c === null) throw malformedChange('a change is not an object');
  const ch = c as Partial<Change>;
  if (typeof ch.seq !== 'number' || ch.seq !== after + 1) throw malformedChange('sequence numbers are not consecutive');
  if (typeof ch.kind !== 'string' || !KINDS.has(ch.kind)) throw malformedChange('unknown change kind');
  if (ch.kind === 'revoke-salt') {
    if (typeof ch.saltId !== 'string' || !SALT_ID_HEX.test(ch.saltId)) throw malformedChange('a salt revocation without a salt id');
    return ch as Change;
  }
  if (typeof ch.subjectId !== 'string') throw malformedChange('a change without a subject id');
  if ((ch.kind === 'put' || ch.kind === 'delete') && typeof ch.purpose !== 'string') throw malformedChange('a change without a purpose');
  if (ch.kind === 'put' && !(ch.record instanceof Uint8Array)) throw malformedChange('a put without a record');
  return ch as Change;
}

/** What templates of one gallery share (their encoding up to the salt: parameters, key id, mean id, salt), as hex. */
function galleryKey(t: ProtectedTemplate): string {
  const encoded = encodeTemplate(t);
  try {
    return bytesToHex(encoded.subarray(0, TEMPLATE_FIXED_BYTES + t.salt.length));
  } finally {
    encoded.fill(0);
  }
}

/**
 * What a batch of changes does to the galleries, in the end: each touched subject's final
 * template (null: gone) and the salts revoked.
 */
class GalleryDelta {
  readonly finals = new Map<string, ProtectedTemplate | null>();
  readonly revokedSalts = new Set<string>();

  set(subjectId: string, template: ProtectedTemplate | null): void {
    this.finals.delete(subjectId); // keeps the order of the last change
    this.finals.set(subjectId, template);
  }

  revokeSalt(id: string): void {
    this.revokedSalts.add(id);
    for (const [s, t] of this.finals) if (t && saltIdOf(t.salt) === id) this.finals.set(s, null);
  }
}

/**
 * A terminal's local replica of a central store. Open it with openReplica(); start() follows the
 * feed, syncOnce() pulls once; decisions go through AccessControl over `store` with galleries().
 * @example
 * import { openReplica, openSqliteStore } from 'templock/storage/sqlite';
 * import { AccessControl } from 'templock/storage';
 * const store = openSqliteStore('/var/lib/gate/replica.db', { keyring, tenant: 'acme' });
 * const replica = await openReplica({ feed, store, staleAfterMs: 60_000 });
 * replica.start();
 * const access = new AccessControl({ store, threshold: 0.3 });
 * access.identify(probes, { source: 'gate-1', gallery: replica.galleries() });
 */
export class TerminalReplica {
  readonly store: SqliteTemplateStore;
  readonly feed: ChangeFeed;
  readonly purpose: string;
  readonly staleAfterMs: number;
  readonly pollIntervalMs: number;
  readonly batchSize: number;
  readonly #galleryOptions: Pick<GalleryOptions, 'threads' | 'maxMemoryBytes'>;
  readonly #onEvent: (event: ReplicaEvent) => void;
  readonly #clock: () => number;
  /** One gallery per kind of template (parameters, key, mean and salt: see galleryKey), in order of creation. */
  readonly #galleries = new Map<string, Gallery>();
  #seq: number;
  readonly #openedAt: number;
  #lastContactAt: number | undefined;
  #staleReported = false;
  /** The pull in progress, and whether a wake-up came during it. */
  #pulling: Promise<number> | undefined;
  #again = false;
  #timer: ReturnType<typeof setInterval> | undefined;
  #unsubscribe: (() => Promise<void>) | undefined;
  #subscribing: Promise<void> | undefined;
  /** True when a pull failed since the subscription was made (it may have died with the connection). */
  #subscriptionSuspect = false;
  #running = false;
  /** The highest sequence a wake-up named. */
  #wanted = 0;
  #lagRetry: ReturnType<typeof setTimeout> | undefined;

  /** Use openReplica(). */
  private constructor(options: ReplicaOptions, purpose: string, clock: () => number) {
    this.store = options.store;
    this.feed = options.feed;
    this.purpose = purpose;
    this.staleAfterMs = aInt('options.staleAfterMs', options.staleAfterMs ?? 30_000, 1, 2 ** 31 - 1);
    this.pollIntervalMs = aInt('options.pollIntervalMs', options.pollIntervalMs ?? 5_000, 10, 2 ** 31 - 1);
    this.batchSize = aInt('options.batchSize', options.batchSize ?? 1000, 1, 100_000);
    this.#galleryOptions = { threads: options.gallery?.threads, maxMemoryBytes: options.gallery?.maxMemoryBytes };
    this.#onEvent = options.onEvent ?? (() => {});
    this.#clock = clock;
    this.#openedAt = clock();
    this.#seq = this.store._mark(SEQ_MARK) ?? 0;
  }

  /** @internal Checks the options and loads the galleries from the local replica (see openReplica). */
  static async _open(options: ReplicaOptions): Promise<TerminalReplica> {
    aObject('options', options);
    const feed = options.feed as Partial<ChangeFeed> | null;
    if (typeof feed !== 'object' || feed === null || typeof feed.changesSince !== 'function' || typeof feed.latestSeq !== 'function' || typeof feed.subscribe !== 'function')
      throw new TypeError('"options.feed" expected ChangeFeed');
    const store = options.store as Partial<SqliteTemplateStore> | null;
    if (typeof store !== 'object' || store === null || typeof store.transaction !== 'function' || typeof store._mark !== 'function')
      throw new TypeError('"options.store" expected SqliteTemplateStore');
    const purpose = options.purpose ?? DEFAULT_PURPOSE;
    aUtf8('options.purpose', purpose);
    if (options.gallery !== undefined) aObject('options.gallery', options.gallery);
    if (options.onEvent !== undefined && typeof options.onEvent !== 'function') throw new TypeError(`"options.onEvent" expected function, got ${typeof options.onEvent}`);
    const clock = options.clock ?? Date.now;
    if (typeof clock !== 'function') throw new TypeError(`"options.clock" expected function, got ${typeof clock}`);
    await init();
    const replica = new TerminalReplica(options, purpose, clock);
    try {
      for await (const { subjectId, template } of replica.store.openEntries({ purpose, threads: 1 })) replica.#galleryOf(template).add(subjectId, template);
    } catch (e) {
      replica.close();
      throw e;
    }
    return replica;
  }

  /** The last sequence applied to the replica. */
  get seq(): number {
    return this.#seq;
  }

  /** The galleries of the replica, one per salt epoch, oldest first: pass them to AccessControl.identify(). */
  galleries(): Gallery[] {
    return [...this.#galleries.values()];
  }

  /**
   * Where the replica stands.
   * @example
   * if (replica.status().stale) showBanner('offline');
   */
  status(): ReplicaStatus {
    let residents = 0;
    for (const g of this.#galleries.values()) residents += g.size;
    return { seq: this.#seq, stale: this.#isStale(), lastContactAt: this.#lastContactAt, residents };
  }

  #isStale(): boolean {
    return this.#clock() - (this.#lastContactAt ?? this.#openedAt) > this.staleAfterMs;
  }

  /**
   * Pulls every change committed after `seq` and applies it, batch by batch; resolves to the
   * number of changes applied. Concurrent calls share one pull (and pull once more after it when
   * woken meanwhile).
   * @throws TemplockError from the feed (server unreachable) or the local store; MALFORMED for a
   *   feed that breaks its contract. Changes applied before the failure stay applied.
   * @example
   * await replica.syncOnce(); // e.g. at start-up, before serving
   */
  syncOnce(): Promise<number> {
    if (this.#pulling) {
      this.#again = true;
      return this.#pulling;
    }
    const run = (async () => {
      let applied = 0;
      try {
        do {
          this.#again = false;
          applied += await this.#pullAll();
        } while (this.#again);
      } finally {
        this.#pulling = undefined;
      }
      return applied;
    })();
    this.#pulling = run;
    return run;
  }

  async #pullAll(): Promise<number> {
    let applied = 0;
    for (;;) {
      const changes = await this.feed.changesSince(this.#seq, { limit: this.batchSize });
      this.#contact();
      if (!Array.isArray(changes)) throw malformedChange('changesSince() did not return an array');
      if (changes.length === 0) return applied;
      this.#apply(changes);
      applied += changes.length;
      if (changes.length < this.batchSize) return applied;
    }
  }

  /** Notes a successful pull; reports the return from staleness. */
  #contact(): void {
    this.#lastContactAt = this.#clock();
    if (this.#staleReported) {
      this.#staleReported = false;
      this.#onEvent({ type: 'fresh', seq: this.#seq });
    }
  }

  /**
   * Applies one batch: the local store and the last sequence in one transaction, then (once it
   * committed) the galleries. A put whose record fails to open deletes the subject's local
   * record instead: the terminal refuses the subject rather than keep a template the central
   * store replaced.
   */
  #apply(raw: readonly unknown[]): void {
    let after = this.#seq;
    const changes = raw.map((c) => (after = aChange(c, after).seq, c as Change));
    // Nothing is applied unless every change of the batch was written by a holder of the storage key.
    for (const c of changes) _checkChange(this.store.keyring, this.store.tenant, c);
    const delta = new GalleryDelta();
    const failures: ChangeFailure[] = [];
    const last = changes[changes.length - 1]!.seq;
    this.store.transaction(() => {
      let puts: Array<PutItem & { readonly purpose: string }> = [];
      const flush = () => {
        if (puts.length > 0) this.#putAll(puts);
        puts = [];
      };
      for (const c of changes) {
        if (c.kind === 'put') {
          const template = this.#openChange(c, failures);
          if (template) puts.push({ subjectId: c.subjectId!, purpose: c.purpose!, template });
          else {
            flush();
            this.store.delete(c.subjectId!, c.purpose!);
          }
          if (c.purpose === this.purpose) delta.set(c.subjectId!, template ?? null);
          continue;
        }
        flush();
        switch (c.kind) {
          case 'delete':
            this.store.delete(c.subjectId!, c.purpose!);
            if (c.purpose === this.purpose) delta.set(c.subjectId!, null);
            break;
          case 'revoke-subject':
            this.store.revokeSubject(c.subjectId!);
            delta.set(c.subjectId!, null);
            break;
          case 'reinstate-subject':
            this.store.reinstateSubject(c.subjectId!);
            break;
          case 'revoke-salt':
            this.store.revokeSalt(c.saltId!);
            delta.revokeSalt(c.saltId!);
            break;
        }
      }
      flush();
      this.store._setMark(SEQ_MARK, last);
    });
    this.#seq = last;
    const { added, removed } = this.#applyToGalleries(delta);
    this.#onEvent({ type: 'applied', seq: last, changes: changes.length, added, removed, failures });
  }

  /** The template of a put, or undefined (and a failure noted) when its record does not open for its context. */
  #openChange(c: Change, failures: ChangeFailure[]): ProtectedTemplate | undefined {
    try {
      return openTemplate(this.store.keyring, c.record!, { tenant: this.store.tenant, subjectId: c.subjectId!, purpose: c.purpose! });
    } catch (e) {
      if (!isTemplockError(e)) throw e;
      failures.push({ seq: c.seq, subjectId: c.subjectId!, purpose: c.purpose!, code: e.code });
      return undefined;
    }
  }

  /**
   * Puts a run of consecutive puts in one write; if the store refuses it (a revoked subject or
   * salt: the replica and the feed disagree), each is put alone and a refused one is skipped, as
   * the central store would have refused it.
   */
  #putAll(items: ReadonlyArray<PutItem & { readonly purpose: string }>): void {
    try {
      this.store.putMany(items);
    } catch (e) {
      if (!isTemplockError(e, 'REVOKED')) throw e;
      for (const it of items) {
        try {
          this.store.put(it.subjectId, it.template, it.purpose);
        } catch (e2) {
          if (!isTemplockError(e2, 'REVOKED')) throw e2;
        }
      }
    }
  }

  /** Brings the galleries to a committed delta: revoked salts' galleries dropped, touched subjects removed, then added. */
  #applyToGalleries(delta: GalleryDelta): { added: string[]; removed: string[] } {
    const removed = new Set<string>();
    for (const [key, g] of this.#galleries) {
      if (!delta.revokedSalts.has(g.saltId)) continue;
      for (const s of g.list()) removed.add(s);
      g.close();
      this.#galleries.delete(key);
    }
    const touched = [...delta.finals.keys()];
    for (const g of this.#galleries.values()) {
      const present = touched.filter((s) => g.has(s));
      if (present.length === 0) continue;
      g.removeMany(present);
      for (const s of present) removed.add(s);
    }
    const added: string[] = [];
    for (const [s, template] of delta.finals) {
      if (!template) continue;
      this.#galleryOf(template).add(s, template);
      removed.delete(s);
      added.push(s);
    }
    return { added, removed: [...removed] };
  }

  /** The gallery that takes `template`, created on first use. */
  #galleryOf(template: ProtectedTemplate): Gallery {
    const key = galleryKey(template);
    let g = this.#galleries.get(key);
    if (!g) this.#galleries.set(key, (g = new Gallery(template, this.#galleryOptions)));
    return g;
  }

  /**
   * Follows the feed: subscribes to its wake-ups, pulls at once, and then on every wake-up and
   * every pollIntervalMs; when a pull did not reach the sequence a wake-up named (a feed read
   * from a hot standby that lags its primary), again every 20 ms until it does; a failed pull is reported (ReplicaEvent 'error') and tried again, and
   * after one the subscription is made again. Does not keep the process alive by itself.
   * @example
   * replica.start(); // ... later: await replica.stop();
   */
  start(): void {
    if (this.#running) return;
    this.#running = true;
    this.#timer = setInterval(() => void this.#tick(), this.pollIntervalMs);
    this.#timer.unref?.();
    void this.#tick();
  }

  /** One round: (re)subscribe when needed, pull, report failures and staleness. */
  async #tick(): Promise<void> {
    try {
      if (!this.#unsubscribe || this.#subscriptionSuspect) await (this.#subscribing ??= this.#subscribe().finally(() => (this.#subscribing = undefined)));
      await this.syncOnce();
    } catch (e) {
      if (!this.#running) return;
      this.#subscriptionSuspect = true;
      this.#onEvent({ type: 'error', code: isTemplockError(e) ? e.code : 'FEED_FAILED', message: e instanceof Error ? e.message : String(e) });
    }
    if (this.#running && this.#seq < this.#wanted && !this.#lagRetry) {
      this.#lagRetry = setTimeout(() => {
        this.#lagRetry = undefined;
        void this.#tick();
      }, LAG_RETRY_MS);
    }
    if (this.#running && !this.#staleReported && this.#isStale()) {
      this.#staleReported = true;
      this.#onEvent({ type: 'stale', since: this.#lastContactAt ?? this.#openedAt });
    }
  }

  async #subscribe(): Promise<void> {
    const previous = this.#unsubscribe;
    this.#unsubscribe = undefined;
    if (previous) await previous().catch(() => undefined); // its connection may be gone already
    const unsubscribe = await this.feed.subscribe((seq) => {
      if (typeof seq === 'number' && seq > this.#wanted) this.#wanted = seq;
      if (this.#running) void this.#tick();
    });
    this.#subscriptionSuspect = false;
    if (this.#running) this.#unsubscribe = unsubscribe;
    else await unsubscribe();
  }

  /**
   * Stops following the feed (the pull in progress completes); the replica still answers.
   * @example
   * await replica.stop();
   */
  async stop(): Promise<void> {
    this.#running = false;
    if (this.#timer) clearInterval(this.#timer);
    if (this.#lagRetry) clearTimeout(this.#lagRetry);
    this.#timer = this.#lagRetry = undefined;
    const unsubscribe = this.#unsubscribe;
    this.#unsubscribe = undefined;
    if (unsubscribe) await unsubscribe().catch(() => undefined);
    await this.#pulling?.catch(() => undefined);
  }

  /** Ends the galleries' worker threads (after stop(); the caller closes the store). */
  close(): void {
    for (const g of this.#galleries.values()) g.close();
    this.#galleries.clear();
  }
}

/**
 * Opens a terminal's replica of a central store: reads the last sequence applied from the local
 * store and loads its records of `purpose` into galleries (one per salt epoch). Then call
 * syncOnce() to catch up, or start() to follow the feed.
 * @throws TypeError / RangeError for bad options; the local store's errors while loading.
 * @example
 * import { openReplica, openSqliteStore } from 'templock/storage/sqlite';
 * const replica = await openReplica({ feed, store: openSqliteStore('replica.db', { keyring, tenant: 'acme' }) });
 * await replica.syncOnce();
 */
export function openReplica(options: ReplicaOptions): Promise<TerminalReplica> {
  return TerminalReplica._open(options);
}
