// Native C ceiling: compiles bench/native/*.c at bench time with the system C compiler into one
// Node-API addon (no node-gyp, no Node headers: see bench/native/napi_abi.h) and loads it, so
// the C kernels run in the same process, on the same buffers, timed by the same benchmark loop
// as the JS and WASM variants. Without a compiler the ceiling is skipped with the reason.
import { spawnSync } from 'node:child_process';
import { accessSync, constants, mkdirSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The C kernels, in C argument order (see bench/native/kernels.h); ids/scores/out are outputs. */
export interface NativeKernels {
  read_f64(buf: Float64Array): number;
  hamming_u1_topk(gallery: Uint8Array, probe: Uint8Array, count: number, words64: number, k: number, ids: Int32Array, scores: Float64Array): number;
  hamming_u1_topk_threads(gallery: Uint8Array, probe: Uint8Array, count: number, words64: number, k: number, ids: Int32Array, scores: Float64Array, threads: number): number;
  hamming_u1_pair(a: Uint8Array, b: Uint8Array, words64: number, reps: number): number;
  equal_u8_topk(gallery: Uint8Array, probe: Uint8Array, count: number, m: number, k: number, ids: Int32Array, scores: Float64Array): number;
  dot_i8_scan(gallery: Int8Array, probe: Int8Array, count: number, dim: number, out: Int32Array): number;
  dot_f32_scan(gallery: Float32Array, probe: Float32Array, count: number, dim: number, out: Float32Array): number;
  /** narrow 1: the projections on 128-bit vectors (WASM SIMD's width). */
  iom_grp_protect(embeddings: Float32Array, n: number, dim: number, W: Int8Array, m: number, q: number, out: Uint8Array, narrow: 0 | 1): number;
  binomial_weights(key: Uint8Array, count: number, out: Int8Array, lanes: 4 | 8): number;
  partial_permutations(key: Uint8Array, n: number, k: number, count: number, out: Uint16Array): number;
  bound_scan(helpers: Uint8Array, proj: Int32Array, count: number, m: number, t: number, r: number, out: Int32Array): number;
}

/** How the ceiling was built: the addon path, or why there is none. */
export interface NativeBuild {
  readonly path?: string;
  readonly compiler?: string;
  readonly flags: readonly string[];
  readonly skipped?: string;
}

const SOURCE_DIR = fileURLToPath(new URL('../native/', import.meta.url));
/** Compiler flags; -ffp-contract=off keeps the canonicalisation bit-exact (no fused multiply-add). */
export const NATIVE_FLAGS: readonly string[] = ['-O3', '-march=native', '-ffp-contract=off', '-std=gnu11', '-fPIC', '-shared', '-pthread'];
const ENV_PATH = 'TEMPLOCK_BENCH_NATIVE';
const ENV_SKIPPED = 'TEMPLOCK_BENCH_NATIVE_SKIPPED';

function writableDir(dir: string): boolean {
  try {
    mkdirSync(dir, { recursive: true });
    accessSync(dir, constants.W_OK);
    return true;
  } catch {
    return false;
  }
}

/**
 * Compiles the addon with $CC (default `cc`) into bench/native/build/ (or a temporary folder when
 * the package folder is read-only). Never throws: a missing compiler or a failed build is a note.
 */
export function buildNative(): NativeBuild {
  const cc = process.env.CC ?? 'cc';
  if (process.platform === 'win32') return { flags: NATIVE_FLAGS, skipped: 'native ceiling is built on Linux and macOS only' };
  const version = spawnSync(cc, ['--version'], { encoding: 'utf8' });
  if (version.error || version.status !== 0) return { flags: NATIVE_FLAGS, skipped: `no C compiler ("${cc}" not found): native ceiling skipped` };
  const local = join(SOURCE_DIR, 'build');
  const dir = writableDir(local) ? local : join(tmpdir(), `templock-bench-${process.pid}`);
  mkdirSync(dir, { recursive: true });
  const out = join(dir, 'templock_bench.node');
  const sources = readdirSync(SOURCE_DIR).filter((f) => f.endsWith('.c')).sort().map((f) => join(SOURCE_DIR, f));
  const flags = [...NATIVE_FLAGS, ...(process.platform === 'darwin' ? ['-undefined', 'dynamic_lookup'] : [])];
  const r = spawnSync(cc, [...flags, '-o', out, ...sources, '-lm'], { encoding: 'utf8' });
  const compiler = version.stdout.split('\n')[0]!.trim();
  if (r.error || r.status !== 0)
    return { flags, compiler, skipped: `native build failed (${cc}): ${(r.stderr || String(r.error)).trim().split('\n')[0]}` };
  return { path: out, compiler, flags };
}

/** Environment that hands a build to suite processes. */
export function nativeEnv(build: NativeBuild): Record<string, string> {
  return build.path ? { [ENV_PATH]: build.path } : { [ENV_SKIPPED]: build.skipped ?? 'native ceiling not built' };
}

let loaded: NativeKernels | undefined;

/** The addon built by the parent run (or by `buildNative` in this process), or undefined. */
export function native(): NativeKernels | undefined {
  if (loaded) return loaded;
  const path = process.env[ENV_PATH];
  if (!path) return undefined;
  loaded = createRequire(import.meta.url)(path) as NativeKernels;
  return loaded;
}

/** Why native() is undefined, if it is. */
export function nativeSkipped(): string | undefined {
  return process.env[ENV_PATH] ? undefined : process.env[ENV_SKIPPED] ?? 'native ceiling not built';
}

/** Builds (when needed) and loads the addon in this process: for tests and single-process use. */
export function loadNative(): NativeKernels | undefined {
  if (!process.env[ENV_PATH] && !process.env[ENV_SKIPPED]) Object.assign(process.env, nativeEnv(buildNative()));
  return native();
}
