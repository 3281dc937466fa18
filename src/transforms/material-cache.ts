// Bounded LRU cache of derived transform material (projection matrices, permutations), keyed by
// a hash of the instance's stream key. Default budget 64 MiB; evicted material is zero-filled.
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex } from '@noble/hashes/utils.js';
import { aInt } from '../validate.js';

/** Default memory budget of the material cache, in bytes. */
export const DEFAULT_CACHE_BYTES = 64 * 1024 * 1024;

type Material = Int8Array | Uint16Array;
interface Entry { readonly material: Material; readonly bytes: number }

const entries = new Map<string, Entry>();
let limitBytes = DEFAULT_CACHE_BYTES;
let usedBytes = 0;

function evictDownTo(budget: number): void {
  for (const [id, e] of entries) {
    if (usedBytes <= budget) break;
    entries.delete(id);
    e.material.fill(0);
    usedBytes -= e.bytes;
  }
}

/**
 * Runs `use` on the material of `streamKey`, derived by `make` on a miss and cached when it fits
 * the budget. `make(transient)` learns whether the material will be used once only (it does not
 * fit the budget); such material is wiped by `discard` (default: zero-filled) once `use` returns.
 */
export function _withMaterial<M extends Material, T>(streamKey: Uint8Array, bytes: number, make: (transient: boolean) => M, use: (m: M) => T, discard: (m: M) => void = (m) => m.fill(0)): T {
  const id = bytesToHex(sha256(streamKey));
  const hit = entries.get(id);
  if (hit) {
    entries.delete(id);
    entries.set(id, hit);
    return use(hit.material as M);
  }
  const material = make(bytes > limitBytes);
  if (bytes > limitBytes) {
    try { return use(material); } finally { discard(material); }
  }
  evictDownTo(limitBytes - bytes);
  entries.set(id, { material, bytes });
  usedBytes += bytes;
  return use(material);
}

/**
 * Sets the memory budget of the derived-material cache (0 disables caching) and returns the
 * bytes in use afterwards. Material over the budget is evicted and zero-filled.
 * @example
 * import { setMaterialCacheLimit } from 'templock';
 * setMaterialCacheLimit(16 * 1024 * 1024);
 */
export function setMaterialCacheLimit(bytes: number): number {
  limitBytes = aInt('bytes', bytes, 0, Number.MAX_SAFE_INTEGER);
  evictDownTo(limitBytes);
  return usedBytes;
}

/** Bytes of material currently cached. */
export function materialCacheBytes(): number {
  return usedBytes;
}
