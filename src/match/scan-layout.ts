// The control block of the scan pool (scan-pool.ts): int32 words in the gallery's shared
// WebAssembly memory through which the calling thread and the scan workers (scan-worker.ts) share
// one identification: the job header, a claim / done / result word per chunk, a ready flag per worker.

/** Control block layout (int32 words): job header, per-chunk words, per-worker ready flags. */
export const SEQ = 0, STOP = 1, FAMILY = 2, PROBE = 3, BASE = 4, N = 5, K = 6, MAX_DIST = 7;
export const CHUNKS = 8, CHUNK_ROWS = 9, ROWS = 10, OUTS = 11, OUT_STRIDE = 12;
const HEADER_WORDS = 16;
/** Most chunks of one identification. */
export const CHUNKS_MAX = 32;
/** Per chunk: the job that claimed it, the job that finished it, its result count. */
export const CLAIM = HEADER_WORDS, DONE = CLAIM + CHUNKS_MAX, RESULT = DONE + CHUNKS_MAX;
export const READY = RESULT + CHUNKS_MAX;

/** Bytes of the control block for `workers` workers. */
export function _controlBytes(workers: number): number {
  return 4 * (READY + workers);
}

/** Kernel family of a job: 0 = topk_hamming_u1, 1 = topk_equal_u8. */
export type _Family = 0 | 1;
