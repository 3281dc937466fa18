// The at-rest check of the access-terminal demo: searches the bytes of the database files for
// any 16-byte run of a raw embedding (float32, little-endian), of its canonical integer vector
// (int16, little-endian) or of a protected template's payload. Finding none shows that the
// store holds only sealed records.
import { existsSync, readFileSync } from 'node:fs';

/** Bytes of each searched window. */
const WINDOW_BYTES = 16;

/** What to look for: named byte strings. */
export interface ScanTarget {
  readonly kind: 'raw embedding' | 'canonical vector' | 'template payload';
  readonly bytes: Uint8Array;
}

/** Little-endian bytes of a float32 or int16 vector. */
export function vectorBytes(v: Float32Array | Int16Array): Uint8Array {
  const out = new Uint8Array(v.length * v.BYTES_PER_ELEMENT);
  const view = new DataView(out.buffer);
  v.forEach((x, i) => (v instanceof Float32Array ? view.setFloat32(i * 4, x, true) : view.setInt16(i * 2, x, true)));
  return out;
}

/** Number of targets of which some aligned 16-byte window occurs in `haystack`. */
export function countFound(haystack: Uint8Array, targets: readonly ScanTarget[]): number {
  const hay = Buffer.from(haystack.buffer, haystack.byteOffset, haystack.byteLength);
  return targets.filter((t) => {
    for (let o = 0; o + WINDOW_BYTES <= t.bytes.length; o += WINDOW_BYTES) if (hay.indexOf(t.bytes.subarray(o, o + WINDOW_BYTES)) >= 0) return true;
    return false;
  }).length;
}

/** The database file and its SQLite companions (-wal, -shm) that exist, with their bytes. */
export function databaseFiles(db: string): Array<{ path: string; bytes: Uint8Array }> {
  return [db, `${db}-wal`, `${db}-shm`].filter((p) => existsSync(p)).map((path) => ({ path, bytes: readFileSync(path) }));
}
