// The key-release worker program in browser builds: there are no Node worker threads there, so
// there is none, and a BoundGallery releases on the calling thread. package.json "browser" maps
// bound-worker.gen.js to this module, which keeps the Node-only program out of browser bundles.

export const BOUND_WORKER_SOURCE: string | undefined = undefined;
