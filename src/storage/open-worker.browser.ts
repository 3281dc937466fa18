// The record-opening worker program in browser builds: there are no Node worker threads there,
// so there is none, and stores open records on the calling thread. package.json "browser" maps
// open-worker.gen.js to this module, which keeps the 33 kB Node-only program out of browser bundles.

export const OPEN_WORKER_SOURCE: string | undefined = undefined;
