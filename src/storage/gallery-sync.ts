// Keeping a loaded Gallery in step with its store's revocations (README "Storage"): a Gallery is a
// copy made at load time, so a subject revoked afterwards would still be identified until the
// gallery is told. syncRevocations() removes every subject the store no longer vouches for.
import { DEFAULT_PURPOSE } from './context.js';
import { aUtf8 } from './bytes.js';
import type { TemplateStore } from './store.js';

/** What syncRevocations() needs of a gallery: a 'templock/match' Gallery has it. */
export interface RevocableGallery {
  /** Salt id (hex) of the salt every template of the gallery shares. */
  readonly saltId: string;
  list(): string[];
  removeMany(ids: Iterable<string>): number;
}

/** What syncRevocations() did. */
export interface RevocationSync {
  /** Ids removed from the gallery. */
  readonly removed: string[];
  /** The store's revocationSeq() after the sync: pass it as `since` next time. */
  readonly seq: number;
}

/** Options of syncRevocations(). */
export interface RevocationSyncOptions {
  /** The revocationSeq() of the last sync (or read just before the gallery's load); omitted: check now. */
  readonly since?: number;
  /** The purpose the gallery was loaded for (default 'access'). */
  readonly purpose?: string;
}

/**
 * Removes from `gallery` every subject whose record the store no longer holds for `purpose`
 * (revoked, deleted, or removed with a revoked salt) and, when the gallery's salt is revoked,
 * everyone. Costs one cheap read when the store's revocation list has not changed since `since`;
 * otherwise one pass over the store's metadata (no decryption).
 * @example
 * import { syncRevocations } from 'templock/storage';
 * let seq = store.revocationSeq();
 * for await (const { subjectId, template } of store.openEntries()) gallery.add(subjectId, template);
 * // before each identification:
 * seq = syncRevocations(store, gallery, { since: seq }).seq;
 */
export function syncRevocations(store: TemplateStore, gallery: RevocableGallery, options: RevocationSyncOptions = {}): RevocationSync {
  if (typeof options !== 'object' || options === null) throw new TypeError(`"options" expected object, got ${options === null ? 'null' : typeof options}`);
  const { since } = options;
  if (since !== undefined && (typeof since !== 'number' || !Number.isSafeInteger(since) || since < 0))
    throw new RangeError('"options.since" expected a non-negative integer');
  const purpose = options.purpose ?? DEFAULT_PURPOSE;
  aUtf8('options.purpose', purpose);
  const seq = store.revocationSeq();
  if (since === seq) return { removed: [], seq };
  const revoked = store.revocations();
  const saltRevoked = revoked.some((r) => r.kind === 'salt' && r.value === gallery.saltId);
  const subjects = new Set(revoked.filter((r) => r.kind === 'subject').map((r) => r.value));
  const held = new Set(store.list().filter((r) => r.purpose === purpose && r.saltId === gallery.saltId).map((r) => r.subjectId));
  const removed = gallery.list().filter((id) => saltRevoked || subjects.has(id) || !held.has(id));
  gallery.removeMany(removed);
  return { removed, seq };
}
