// The shared-memory kernel modules in browser builds: galleries on worker threads need Node's
// worker_threads, so browsers have no use for them. package.json "browser" maps
// kernels-shared.gen.js to this module, which keeps those modules out of browser bundles.
import type { SHARED_KERNEL_MODULES_BUILT } from './kernels-shared.gen.js';

export const SHARED_KERNEL_MODULES: typeof SHARED_KERNEL_MODULES_BUILT | undefined = undefined;
