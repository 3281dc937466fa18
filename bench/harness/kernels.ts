// The templock/match kernels as benchmark variants: one instance per backend this engine runs
// (wasm-simd, wasm-scalar, js reference), each with its own memory holding its own copy of the
// inputs; afterwards the fastest backend is selected again.
import { BACKENDS, createKernels, init, type Backend, type Kernels } from '../../src/match/index.js';

export interface KernelInstance { readonly backend: Backend; readonly k: Kernels }

/** Kernel instances of every backend that runs here, fastest first. */
export async function kernelInstances(): Promise<KernelInstance[]> {
  const out: KernelInstance[] = [];
  for (const b of BACKENDS) {
    try {
      await init({ backend: b });
    } catch {
      continue; // not available on this engine: no variant
    }
    out.push({ backend: b, k: createKernels() });
  }
  await init();
  return out;
}

/** Copies `data` into a fresh 16-aligned allocation of `k`; returns its byte offset. */
export function place(k: Kernels, data: ArrayBufferView): number {
  const ptr = k.alloc(data.byteLength);
  k.u8(ptr, data.byteLength).set(new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
  return ptr;
}

/** The (row, distance) pairs a topk_* kernel wrote, as ids and scores (score = maxScore - distance). */
export function kernelTopK(k: Kernels, out: number, count: number, maxScore: number): { ids: number[]; scores: number[] } {
  const u = k.u32(out, 2 * count);
  const ids: number[] = [], scores: number[] = [];
  for (let i = 0; i < count; i++) { ids.push(u[2 * i]!); scores.push(maxScore - u[2 * i + 1]!); }
  return { ids, scores };
}
