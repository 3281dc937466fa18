// Argon2id (RFC 9106, version 0x13) on WebAssembly: the `argon2id` package of OpenPGP.js (MIT)
// over its modules embedded in argon2id-wasm.gen.ts, compiled once and instantiated per call so
// that the memory of one derivation is released with it. Same bytes as the pure-JavaScript path
// of kdf.ts (SPEC.md §8.2), several times faster; used whenever the engine runs WebAssembly and the
// inputs are inside the package's documented limits.
import setupWasm from 'argon2id/lib/setup.js';
import { _embeddedBytes } from '../embedded-module.js';
import { ARGON2ID_MODULES } from './argon2id-wasm.gen.js';
import type { Argon2Params } from './kdf.js';

/** The package's documented input limits: passwords and salts of 8 bytes or more, a secret of at most 32. */
const MIN_PASSWORD_BYTES = 8;
const MIN_SALT_BYTES = 8;
const MAX_SECRET_BYTES = 32;

let compiling: Promise<WebAssembly.Module | undefined> | undefined;

/** The compiled module (SIMD where the engine validates it), or undefined where WebAssembly cannot run. */
function compiled(): Promise<WebAssembly.Module | undefined> {
  compiling ??= (async () => {
    if (typeof WebAssembly !== 'object' || typeof WebAssembly.compile !== 'function') return undefined;
    const simd = _embeddedBytes('storage: embedded Argon2id module simd', ARGON2ID_MODULES.simd);
    const bytes = WebAssembly.validate(simd) ? simd : _embeddedBytes('storage: embedded Argon2id module scalar', ARGON2ID_MODULES.scalar);
    try {
      return await WebAssembly.compile(bytes);
    } catch {
      return undefined; // e.g. a page whose Content-Security-Policy forbids compiling WebAssembly
    }
  })();
  return compiling;
}

/** True when the inputs are inside the limits the WebAssembly path is documented for. */
export function _argon2idWasmFits(password: Uint8Array, salt: Uint8Array, secret: Uint8Array | undefined): boolean {
  return password.length >= MIN_PASSWORD_BYTES && salt.length >= MIN_SALT_BYTES && (secret === undefined || secret.length <= MAX_SECRET_BYTES);
}

/**
 * Argon2id v0x13 on WebAssembly, or undefined when this engine cannot compile WebAssembly or the
 * inputs are outside {@link _argon2idWasmFits}. Synchronous work once compiled: it holds the thread
 * for the whole derivation. Costs are trusted here: callers check them.
 */
export async function _argon2idWasm(
  password: Uint8Array, salt: Uint8Array, cost: Argon2Params, ad: Uint8Array, secret: Uint8Array | undefined, dkLen: number,
): Promise<Uint8Array<ArrayBuffer> | undefined> {
  if (!_argon2idWasmFits(password, salt, secret)) return undefined;
  const module = await compiled();
  if (module === undefined) return undefined;
  const load = async (imports: WebAssembly.Imports) => ({ module, instance: await WebAssembly.instantiate(module, imports) });
  const hash = await setupWasm(load, load);
  // The package allocates the tag as a new Uint8Array(tagLength): an ArrayBuffer of its own.
  return hash({
    password, salt, parallelism: cost.p, passes: cost.t, memorySize: cost.m, tagLength: dkLen, ad,
    ...(secret && secret.length > 0 ? { secret } : {}),
  }) as Uint8Array<ArrayBuffer>;
}
