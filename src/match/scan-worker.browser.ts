// The scan worker's program in browser builds: there are no Node worker threads there, so there
// is none, and galleries scan on the calling thread. package.json "browser" maps scan-worker.js
// to this module, which keeps the Node-only program out of browser bundles.

export const SCAN_WORKER_SOURCE: string | undefined = undefined;
