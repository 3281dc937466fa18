// require() for optional peer packages in browser builds: browsers have none, so every call
// fails with BACKEND_UNAVAILABLE. package.json "browser" maps peers.js here, which keeps
// node:module out of browser bundles. In browsers templock/embed takes raw pixels (a canvas
// ImageData, or pixels the page decoded), and its face-api comes from the page's bundle.
import { TemplockError } from './errors.js';

function unavailable(id: string): never {
  throw new TemplockError('BACKEND_UNAVAILABLE', `${id} cannot be loaded by require() in a browser; pass raw pixels to templock/embed there`);
}

/** Fails: there is no require() in browsers. */
export const _requirePeer = Object.assign(unavailable, { resolve: unavailable });
