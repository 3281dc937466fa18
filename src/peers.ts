// require() for the optional peer packages (better-sqlite3 for templock/storage/sqlite; TF.js,
// face-api, jpeg-js and pngjs for templock/embed), resolved at run time from this module's location. In a CommonJS or IIFE bundle, where bundlers
// leave import.meta empty, it resolves from the bundle's own file instead, so the entry loads there.
import { createRequire } from 'node:module';

/** Loads or resolves an installed package the way the code that imports templock/embed would. */
export const _requirePeer = createRequire(import.meta.url ?? __filename);
