// The TF.js runtime of the face embedder in browsers: face-api's browser build (TF.js inside it)
// on the WebAssembly backend, the same backend and kernels as Node's tfjs-wasm runtime, so the
// same pixels give the same embedding. The page serves the face-api models (`modelDir`) and the
// binaries of @tensorflow/tfjs-backend-wasm (`wasmDir`); both are fetched from those URLs.
// package.json "browser" maps runtime.js here. Loaded once per page.
import * as faceapi from '@vladmandic/face-api';
import { TemplockError } from '../errors.js';
import type { _Runtime, _Tf, RuntimePreference } from './runtime.js';

function unavailable(what: string): TemplockError {
  return new TemplockError('BACKEND_UNAVAILABLE', what);
}

/** TF.js version inside face-api's browser build. */
function tfVersion(tf: _Tf): string {
  return (tf as unknown as { version_core?: string }).version_core ?? 'unknown';
}

async function load(modelDir: string, wasmDir: string): Promise<_Runtime> {
  const t0 = performance.now();
  const tf = faceapi.tf as unknown as _Tf;
  tf.setWasmPaths!(wasmDir.endsWith('/') ? wasmDir : `${wasmDir}/`);
  if (!(await tf.setBackend('wasm'))) throw unavailable('the TF.js WebAssembly backend did not start');
  await tf.ready();
  const simd = (await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT')) === true;
  const threads = (await tf.env().getAsync('WASM_HAS_MULTITHREAD_SUPPORT')) === true;
  const features = [simd ? 'SIMD' : 'scalar', threads ? 'threads' : 'single thread'].join(', ');
  try {
    await faceapi.nets.ssdMobilenetv1.loadFromUri(modelDir);
    await faceapi.nets.faceLandmark68Net.loadFromUri(modelDir);
    await faceapi.nets.faceRecognitionNet.loadFromUri(modelDir);
  } catch {
    throw unavailable(`cannot load the face-api models from "${modelDir}"`);
  }
  return { name: 'tfjs-wasm', description: `tfjs-wasm ${tfVersion(tf)} (${features})`, faceapi, tf, loadMs: performance.now() - t0 };
}

let loaded: { key: string; runtime: Promise<_Runtime> } | undefined;

/**
 * The page-wide runtime, loaded on first call: tfjs-wasm with the models from `modelDir` and the
 * WebAssembly binaries from `wasmDir` (both URLs, both required in browsers).
 * @internal
 */
export function _loadRuntime(preference: RuntimePreference, modelDir?: string, wasmDir?: string): Promise<_Runtime> {
  if (preference === 'tfjs-node') return Promise.reject(unavailable('@tensorflow/tfjs-node runs only in Node.js'));
  if (modelDir === undefined || wasmDir === undefined)
    return Promise.reject(new TypeError('"options.modelDir" and "options.wasmDir" expected URLs in a browser (where the page serves the face-api models and the TF.js WebAssembly binaries)'));
  const key = `${modelDir}\u0000${wasmDir}`;
  if (loaded) {
    if (loaded.key === key) return loaded.runtime;
    return Promise.reject(unavailable('the face-api models or the TF.js WebAssembly binaries are already loaded from another URL in this page'));
  }
  const runtime = load(modelDir, wasmDir);
  loaded = { key, runtime };
  runtime.catch(() => { if (loaded?.runtime === runtime) loaded = undefined; });
  return runtime;
}
