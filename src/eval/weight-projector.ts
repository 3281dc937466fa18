// Float projections onto an instance's int8 weight rows for the known-material attacks
// (docs/EVALUATION.md "Irreversibility"): the weights are copied once into a kernel instance of
// their own, and project_i8_f32 / backproject_i8_f32 of the active templock/match backend (the JS
// reference kernels before `init()`) compute W x and W^T c in float32, in the same order on every
// backend, so an attack's result does not depend on the backend or the thread it runs on.
import { _activeBackend, _newInstance, _referenceInstance, type _Instance as _KernelInstance } from '../match/loader.js';
import type { _Instance } from './batch.js';

const projectors = new WeakMap<_Instance, _WeightProjector>();

/** The projector of an instance's weights (IoM-GRP, sign), made on first use and kept with it. */
export function _projectorOf(inst: _Instance): _WeightProjector {
  let p = projectors.get(inst);
  if (!p) projectors.set(inst, (p = new _WeightProjector(inst.material as Int8Array, inst.params.dim)));
  return p;
}

/** Wipes and forgets an instance's projector (with the instance's material). */
export function _dropProjector(inst: _Instance): void {
  projectors.get(inst)?.wipe();
  projectors.delete(inst);
}

/** W x and W^T c over the int8 rows (rows x dim) of one weight matrix. */
export class _WeightProjector {
  private readonly k: _KernelInstance;
  private readonly wPtr: number;
  private readonly xPtr: number;
  private readonly cPtr: number;
  private readonly outPtr: number;
  private readonly gPtr: number;

  constructor(W: Int8Array, readonly dim: number) {
    const rows = W.length / dim, bytes = W.length + 8 * dim + 8 * rows + 256;
    this.k = _activeBackend() ? _newInstance(bytes) : _referenceInstance(bytes);
    const heap = this.k.heap;
    this.wPtr = heap.alloc(W.length);
    this.xPtr = heap.alloc(4 * dim);
    this.gPtr = heap.alloc(4 * dim);
    this.cPtr = heap.alloc(4 * rows);
    this.outPtr = heap.alloc(4 * rows);
    heap.i8.set(W, this.wPtr);
  }

  /** Sets the vector that project() multiplies (rounded to float32). */
  setX(x: ArrayLike<number>): void {
    this.k.heap.f32.set(x, this.xPtr >>> 2);
  }

  /** Dots of x with rows [from, from + count): a float32 view valid until the next call. */
  project(from: number, count: number): Float32Array {
    this.k.kernels.project_i8_f32(this.xPtr, this.wPtr + from * this.dim, this.dim, count, this.outPtr);
    return this.k.heap.f32.subarray(this.outPtr >>> 2, (this.outPtr >>> 2) + count);
  }

  /** The coefficients of backproject(), one per row (write them, then call it). */
  coefficients(count: number): Float32Array {
    return this.k.heap.f32.subarray(this.cPtr >>> 2, (this.cPtr >>> 2) + count);
  }

  /** sum over rows r < count of coefficients[r] * W[r]: a float32 view valid until the next call. */
  backproject(count: number): Float32Array {
    const f = this.k.heap.f32, g = this.gPtr >>> 2;
    f.fill(0, g, g + this.dim);
    this.k.kernels.backproject_i8_f32(this.cPtr, this.wPtr, this.dim, count, this.gPtr);
    return f.subarray(g, g + this.dim);
  }

  /** Zero-fills the copy of the weights. */
  wipe(): void {
    this.k.heap.u8.fill(0);
  }
}
