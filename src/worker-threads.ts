// Worker threads without a static import of node:worker_threads, so the modules that use them
// (the Gallery's scan pool, the store's record-opening pool) still load where there are none.

/** A Worker constructor whose instances have the shape `W` the caller relies on. */
export type _WorkerCtor<W> = new (source: string | URL, options: object) => W;

/** The Worker constructor of node:worker_threads, or undefined outside Node.js (browsers). */
export function _workerConstructor<W>(): _WorkerCtor<W> | undefined {
  const proc = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }).process;
  const wt = proc?.getBuiltinModule?.('node:worker_threads') as { Worker?: _WorkerCtor<W> } | undefined;
  return wt?.Worker;
}
