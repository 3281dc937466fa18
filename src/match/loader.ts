// The kernel loader (README "Matching"): `init()` decodes and checks the embedded modules,
// compiles them once (a memoised promise per backend), selects WASM SIMD, WASM scalar or the JS
// reference kernels, and warms the kernels; `_newInstance()` then gives instances with their own
// (or a shared) memory synchronously.
import { _embeddedBytes, type _EmbeddedModule } from '../embedded-module.js';
import { TemplockError } from '../errors.js';
import { BACKENDS, KERNEL_NAMES, type Backend, type KernelSet } from './kernel-set.js';
import { KERNEL_MODULES, type KernelTarget } from './kernels.gen.js';
import { SHARED_KERNEL_MODULES, type SharedKernelTarget } from './kernels-shared.gen.js';
import { _Heap, _JsMemory, MAX_PAGES, type _MemoryLike } from './memory.js';
import { _referenceKernels } from './reference.js';

export type { Backend } from './kernel-set.js';

/** Options of {@link init}. */
export interface InitOptions {
  /** Use this backend instead of the fastest available one (tests, benchmarks). */
  readonly backend?: Backend;
}

interface Compiled {
  readonly backend: Backend;
  /** The module for a private memory, absent for the JS backend. */
  readonly local?: WebAssembly.Module;
  /** The module for a shared memory (worker threads), when the engine has shared memory. */
  readonly shared?: WebAssembly.Module;
}

/** One kernel instance: its kernels and its memory. */
export interface _Instance {
  readonly backend: Backend;
  readonly kernels: KernelSet;
  readonly heap: _Heap;
}

const compiling = new Map<Backend, Promise<Compiled>>();
let active: Compiled | undefined;
const initHooks: (() => void)[] = [];

/**
 * Registers work that every `init()` does once its backend is selected: preparing state that the
 * first call would otherwise set up (instances, paged-in memory). Hooks must be idempotent.
 */
export function _onInit(hook: () => void): void {
  initHooks.push(hook);
}

/** The bytes of one embedded module, checked against its SHA-256. */
function decode(target: KernelTarget | SharedKernelTarget, m: _EmbeddedModule): Uint8Array<ArrayBuffer> {
  return _embeddedBytes(`match: embedded module ${target}`, m);
}

/** True when this build has the shared-memory modules (not in browser builds) and the engine shared memory. */
function sharedMemoryAvailable(): boolean {
  if (SHARED_KERNEL_MODULES === undefined) return false;
  try {
    return new WebAssembly.Memory({ initial: 1, maximum: 1, shared: true }).buffer instanceof SharedArrayBuffer;
  } catch {
    return false;
  }
}

function wasmUsable(backend: Backend): boolean {
  if (backend === 'js') return true;
  if (typeof WebAssembly !== 'object' || typeof WebAssembly.validate !== 'function') return false;
  const target = backend === 'wasm-simd' ? 'simd' : 'scalar';
  return WebAssembly.validate(decode(target, KERNEL_MODULES[target]));
}

async function compile(backend: Backend): Promise<Compiled> {
  if (!wasmUsable(backend)) throw new TemplockError('BACKEND_UNAVAILABLE', `match: backend ${backend} is not supported by this engine`);
  if (backend === 'js') {
    const c: Compiled = { backend };
    await warm(c);
    return c;
  }
  const base = backend === 'wasm-simd' ? 'simd' : 'scalar';
  const local = await WebAssembly.compile(decode(base, KERNEL_MODULES[base]));
  const sharedTarget = `${base}-shared` as const;
  const shared = sharedMemoryAvailable() ? await WebAssembly.compile(decode(sharedTarget, SHARED_KERNEL_MODULES![sharedTarget])) : undefined;
  const c: Compiled = shared ? { backend, local, shared } : { backend, local };
  await warm(c);
  return c;
}

function compiled(backend: Backend): Promise<Compiled> {
  let p = compiling.get(backend);
  if (!p) {
    p = compile(backend);
    compiling.set(backend, p);
    p.catch(() => compiling.delete(backend));
  }
  return p;
}

/**
 * Compiles and selects the kernels: the requested backend, or the fastest this engine runs
 * (wasm-simd, then wasm-scalar, then the JS reference kernels). Memoised: later calls return at
 * once. Must be awaited before Matcher, Gallery, protectFast or createKernels are used.
 * @throws TemplockError BACKEND_UNAVAILABLE when a requested backend cannot run here.
 * @example
 * import { init, backend } from 'templock/match';
 * await init();
 * backend(); // 'wasm-simd' on Node 20
 */
export async function init(options: InitOptions = {}): Promise<Backend> {
  if (typeof options !== 'object' || options === null) throw new TypeError(`"options" expected object, got ${options === null ? 'null' : typeof options}`);
  const want = options.backend;
  if (want !== undefined && !(BACKENDS as readonly unknown[]).includes(want))
    throw new RangeError(`"options.backend" expected one of ${BACKENDS.join(', ')}`);
  let c: Compiled | undefined;
  if (want !== undefined) c = await compiled(want);
  else {
    for (const b of BACKENDS) {
      if (!wasmUsable(b)) continue;
      c = await compiled(b);
      break;
    }
  }
  active = c!;
  for (const hook of initHooks) hook();
  return active.backend;
}

/**
 * The backend the kernels run on: 'wasm-simd', 'wasm-scalar' or 'js'.
 * @throws TemplockError BACKEND_UNAVAILABLE before `await init()`.
 * @example
 * import { init, backend } from 'templock/match';
 * await init();
 * console.log(backend());
 */
export function backend(): Backend {
  return _active().backend;
}

/** The backend `init()` selected, or undefined before it (callers that fall back to JS). */
export function _activeBackend(): Backend | undefined {
  return active?.backend;
}

function _active(): Compiled {
  if (!active) throw new TemplockError('BACKEND_UNAVAILABLE', 'match: call `await init()` from templock/match first');
  return active;
}

/** True when the active backend can run a gallery over worker threads (WASM with shared memory). */
export function _threadsAvailable(): boolean {
  return _active().shared !== undefined;
}

function instantiate(c: Compiled, initialBytes: number, shared: boolean): _Instance {
  const pages = Math.max(1, Math.ceil(initialBytes / 65536));
  if (c.backend === 'js') return _referenceInstance(initialBytes);
  const module = shared ? c.shared! : c.local!;
  const memory = new WebAssembly.Memory({ initial: pages, maximum: MAX_PAGES, shared });
  const exports = new WebAssembly.Instance(module, { env: { memory } }).exports;
  const kernels = {} as Record<string, unknown>;
  for (const name of KERNEL_NAMES) kernels[name] = exports[name];
  const heap = new _Heap(memory as _MemoryLike, (exports.heap_base as () => number)());
  return { backend: c.backend, kernels: kernels as unknown as KernelSet, heap };
}

/** An instance of the JS reference kernels over its own memory, whether or not `init()` ran. */
export function _referenceInstance(initialBytes = 65536): _Instance {
  const heap = new _Heap(new _JsMemory(Math.max(1, Math.ceil(initialBytes / 65536))), 16);
  return { backend: 'js', kernels: _referenceKernels(heap), heap };
}

/** A new instance of the active backend with its own memory (shared when `shared`). */
export function _newInstance(initialBytes = 65536, shared = false): _Instance {
  return instantiate(_active(), initialBytes, shared);
}

/** The active backend's module for shared memory, for worker threads. */
export function _sharedModule(): WebAssembly.Module {
  return _active().shared!;
}

/**
 * Runs every kernel on small inputs until the engine has optimised them, so that the first real
 * call runs at full speed. Inputs are arbitrary bytes; results are discarded.
 */
async function warm(c: Compiled): Promise<void> {
  // Both modules: the private-memory one and, for galleries on threads, the shared-memory one.
  const runs = [kernelRunner(instantiate(c, 1 << 20, false)), ...(c.shared ? [kernelRunner(instantiate(c, 1 << 20, true))] : [])];
  for (let round = 0; round < 4; round++) {
    for (const run of runs) run();
    // Let the engine finish optimising in the background before the next round.
    await new Promise((resolve) => setTimeout(resolve, 1));
  }
}

/** A function that calls every kernel of `inst` 60 times on small arbitrary inputs. */
function kernelRunner(inst: _Instance): () => void {
  const k = inst.kernels, h = inst.heap;
  // The projections get larger inputs: the engine optimises a function after enough work in it.
  const rows = 256, n = 64, dim = 256, m = 32, q = 16;
  const probe = h.alloc(dim * 2), base = h.alloc(Math.max(rows * n * 4, m * q * dim)), out = h.alloc(rows * 8);
  const u8 = h.u8;
  for (let i = probe; i < h.top; i++) u8[i] = (i * 167 + 13) & 0x3f;
  return () => {
    for (let r = 0; r < 60; r++) {
      k.hamming_u1(probe, base, n); k.equal_u8(probe, base, n); k.dot_i8(probe, base, n);
      k.dot_f32(probe, base, n); k.cosine_f32(probe, base, n);
      k.scan_hamming_u1(probe, base, rows, n, out); k.scan_equal_u8(probe, base, rows, n, out);
      k.scan_dot_i8(probe, base, rows, n, out); k.scan_dot_f32(probe, base, rows, n, out);
      k.scan_hamming_u1(probe, base, rows, 128, out);
      k.topk_hamming_u1(probe, base, 0, rows, n, 10, n * 8, out); k.topk_hamming_u1(probe, base, 0, rows, 128, 10, 1024, out);
      k.topk_equal_u8(probe, base, 0, rows, n, 10, n, out);
    }
    for (let r = 0; r < 8; r++) {
      k.iomgrp_argmax(probe, base, dim, m, q, out); k.sign_project(probe, base, dim, m * q, out);
      k.iomgrp_argmax_batch(probe, base, dim / 4, m, q, 4, out);
    }
  };
}
