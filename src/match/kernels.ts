// Raw kernel access (README "Matching"): a new instance of the active backend with its own
// memory, a bump allocator in it and typed views, and the kernels by name. For benchmarks,
// conformance runs and callers who lay out their own data.
import type { KernelSet } from './kernel-set.js';
import { _newInstance, type Backend } from './loader.js';

/** One kernel instance: the kernels by name plus its memory. Views are valid until the next alloc. */
export interface Kernels extends KernelSet {
  readonly backend: Backend;
  /** Reserves `bytes` bytes (16-aligned, never freed) and returns their byte offset; grows memory. */
  alloc(bytes: number): number;
  u8(ptr: number, length: number): Uint8Array;
  i8(ptr: number, length: number): Int8Array;
  i16(ptr: number, length: number): Int16Array;
  u32(ptr: number, length: number): Uint32Array;
  i32(ptr: number, length: number): Int32Array;
  f32(ptr: number, length: number): Float32Array;
  /** Bytes of the instance's memory. */
  readonly memoryBytes: number;
}

/**
 * A new kernel instance of the active backend. Pointers are byte offsets from `alloc`; 2- and
 * 4-byte element arrays must be 2- and 4-aligned (alloc gives 16).
 * @example
 * import { init, createKernels } from 'templock/match';
 * await init();
 * const k = createKernels();
 * const a = k.alloc(64), b = k.alloc(64);
 * k.u8(a, 64).set(templateA); k.u8(b, 64).set(templateB);
 * const distance = k.hamming_u1(a, b, 64);
 */
export function createKernels(): Kernels {
  const { backend, kernels, heap } = _newInstance();
  return {
    ...kernels,
    backend,
    alloc: (bytes) => heap.alloc(bytes),
    u8: (ptr, length) => heap.u8.subarray(ptr, ptr + length),
    i8: (ptr, length) => heap.i8.subarray(ptr, ptr + length),
    i16: (ptr, length) => heap.i16.subarray(ptr >>> 1, (ptr >>> 1) + length),
    u32: (ptr, length) => heap.u32.subarray(ptr >>> 2, (ptr >>> 2) + length),
    i32: (ptr, length) => heap.i32.subarray(ptr >>> 2, (ptr >>> 2) + length),
    f32: (ptr, length) => heap.f32.subarray(ptr >>> 2, (ptr >>> 2) + length),
    get memoryBytes() { return heap.byteLength; },
  };
}
