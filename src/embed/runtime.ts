// The TF.js runtime of the face embedder: @tensorflow/tfjs-node when it is installed (native
// TensorFlow), otherwise @tensorflow/tfjs with the WebAssembly backend, whose .wasm binaries are
// read from the installed package folder. The face-api models (SSD-MobileNetV1 detector, 68-point
// landmarks, 128-d recogniser) are read from the installed @vladmandic/face-api model/ folder.
// Nothing is fetched from the network. Loaded once per process.
import { dirname, join } from 'node:path';
import type * as FaceApi from '@vladmandic/face-api';
import { TemplockError } from '../errors.js';
import { _requirePeer } from '../peers.js';

/** Which TF.js runtime computes embeddings. */
export type RuntimeName = 'tfjs-node' | 'tfjs-wasm';
/** The runtime to use: the best installed one, or a named one. */
export type RuntimePreference = 'auto' | RuntimeName;

/** The few TF.js functions the embedder uses beyond face-api's own. @internal */
export interface _Tf {
  tensor3d(values: Uint8Array, shape: [number, number, number], dtype: 'int32'): FaceApi.tf.Tensor3D;
  setBackend(name: string): Promise<boolean>;
  ready(): Promise<void>;
  getBackend(): string;
  env(): { getAsync(flag: string): Promise<unknown> };
  setWasmPaths?(prefix: string): void;
}

/** A loaded runtime with its models. @internal */
export interface _Runtime {
  readonly name: RuntimeName;
  /** Runtime, backend and features, e.g. "tfjs-wasm 4.22.0 (SIMD)". */
  readonly description: string;
  readonly faceapi: typeof FaceApi;
  readonly tf: _Tf;
  /** Milliseconds spent loading TF.js and the three models. */
  readonly loadMs: number;
}


function packageDir(name: string): string {
  return dirname(_requirePeer.resolve(`${name}/package.json`));
}

function packageVersion(name: string): string {
  return (_requirePeer(`${name}/package.json`) as { version: string }).version;
}

function unavailable(what: string): TemplockError {
  return new TemplockError('BACKEND_UNAVAILABLE', what);
}

/** face-api on tfjs-node, or undefined when tfjs-node is not installed or does not load. */
function tryNode(): typeof FaceApi | undefined {
  try {
    _requirePeer.resolve('@tensorflow/tfjs-node');
  } catch {
    return undefined;
  }
  try {
    return _requirePeer(join(packageDir('@vladmandic/face-api'), 'dist/face-api.node.js')) as typeof FaceApi;
  } catch {
    return undefined;
  }
}

/** face-api on @tensorflow/tfjs with the WASM backend, binaries from `wasmDir` or the installed package. */
async function loadWasm(wasmDirOption: string | undefined): Promise<{ faceapi: typeof FaceApi; tf: _Tf; description: string }> {
  let faceapi: typeof FaceApi;
  let wasmDir: string;
  try {
    faceapi = _requirePeer(join(packageDir('@vladmandic/face-api'), 'dist/face-api.node-wasm.js')) as typeof FaceApi;
    wasmDir = wasmDirOption === undefined ? join(packageDir('@tensorflow/tfjs-backend-wasm'), 'dist') + '/' : join(wasmDirOption, '/');
  } catch {
    throw unavailable('templock/embed needs @vladmandic/face-api, @tensorflow/tfjs and @tensorflow/tfjs-backend-wasm (or @tensorflow/tfjs-node)');
  }
  const tf = faceapi.tf as unknown as _Tf;
  tf.setWasmPaths!(wasmDir);
  // The Emscripten glue of the backend installs process handlers that rethrow every unhandled
  // rejection and uncaught exception (printing its own minified source); take them off again.
  const listeners = () => [...process.listeners('unhandledRejection'), ...process.listeners('uncaughtException')];
  const before = new Set<unknown>(listeners());
  try {
    if (!(await tf.setBackend('wasm'))) throw unavailable('the TF.js WebAssembly backend did not start');
    await tf.ready();
  } finally {
    for (const l of process.listeners('unhandledRejection')) if (!before.has(l)) process.removeListener('unhandledRejection', l);
    for (const l of process.listeners('uncaughtException')) if (!before.has(l)) process.removeListener('uncaughtException', l);
  }
  const simd = (await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT')) === true;
  const threads = (await tf.env().getAsync('WASM_HAS_MULTITHREAD_SUPPORT')) === true;
  const features = [simd ? 'SIMD' : 'scalar', threads ? 'threads' : 'single thread'].join(', ');
  return { faceapi, tf, description: `tfjs-wasm ${packageVersion('@tensorflow/tfjs-backend-wasm')} (${features})` };
}

async function load(preference: RuntimePreference, modelDir: string | undefined, wasmDir: string | undefined): Promise<_Runtime> {
  const t0 = performance.now();
  let name: RuntimeName;
  let faceapi: typeof FaceApi;
  let tf: _Tf;
  let description: string;
  const nodeApi = preference === 'tfjs-wasm' ? undefined : tryNode();
  if (nodeApi) {
    name = 'tfjs-node';
    faceapi = nodeApi;
    tf = faceapi.tf as unknown as _Tf;
    await tf.ready();
    description = `tfjs-node ${packageVersion('@tensorflow/tfjs-node')} (${tf.getBackend()} backend)`;
  } else if (preference === 'tfjs-node') {
    throw unavailable('@tensorflow/tfjs-node is not installed or does not load on this machine');
  } else {
    name = 'tfjs-wasm';
    ({ faceapi, tf, description } = await loadWasm(wasmDir));
  }
  const models = modelDir ?? join(packageDir('@vladmandic/face-api'), 'model');
  try {
    await faceapi.nets.ssdMobilenetv1.loadFromDisk(models);
    await faceapi.nets.faceLandmark68Net.loadFromDisk(models);
    await faceapi.nets.faceRecognitionNet.loadFromDisk(models);
  } catch {
    throw unavailable(`cannot load the face-api models from "${models}"`);
  }
  return { name, description, faceapi, tf, loadMs: performance.now() - t0 };
}

let loaded: { key: string; runtime: Promise<_Runtime> } | undefined;

/**
 * The process-wide runtime, loaded on first call. TF.js holds one global backend per process,
 * so a later call asking for another runtime, model folder or WASM folder throws BACKEND_UNAVAILABLE.
 * @internal
 */
export function _loadRuntime(preference: RuntimePreference, modelDir?: string, wasmDir?: string): Promise<_Runtime> {
  const key = `${preference}\u0000${modelDir ?? ''}\u0000${wasmDir ?? ''}`;
  if (loaded) {
    if (loaded.key === key || (preference === 'auto' && modelDir === undefined && wasmDir === undefined)) return loaded.runtime;
    return loaded.runtime.then((r) => {
      if (preference !== 'auto' && preference !== r.name) throw unavailable(`the ${r.name} runtime is already loaded in this process`);
      if (modelDir !== undefined || wasmDir !== undefined) throw unavailable('the face-api models or the TF.js WebAssembly binaries are already loaded from another folder in this process');
      return r;
    });
  }
  const runtime = load(preference, modelDir, wasmDir);
  loaded = { key, runtime };
  runtime.catch(() => { if (loaded?.runtime === runtime) loaded = undefined; });
  return runtime;
}
