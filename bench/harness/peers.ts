// Peer libraries as benchmark variants: usearch and faiss-node, the exact searches a vendor
// compares templock with. Installed on demand by the parent run (like the native ceiling), with
// npm, into a cache folder outside templock's dependencies: bench/peers/<name>/ (git-ignored, not
// shipped), or a temporary folder when the package folder is read-only. A peer that cannot be
// installed or loaded is not an error: its rows say "peer unavailable: reason".
import { spawnSync } from 'node:child_process';
import { accessSync, constants, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The peers and the versions measured (exact, so a run is reproducible). */
export const PEERS = { usearch: '2.26.2', 'faiss-node': '0.5.1' } as const;
export type PeerName = keyof typeof PEERS;

/** Where each peer was installed, or why it was not. */
export type PeerInstall = Readonly<Record<PeerName, { readonly dir: string } | { readonly skipped: string }>>;

/** The parts of usearch's API the suites use (its exact, brute-force search). */
export interface Usearch {
  exactSearch(dataset: Float32Array | Int8Array, queries: Float32Array | Int8Array, dimensions: number, count: number, metric: 'ip', threads: number): { keys: BigUint64Array; distances: Float32Array };
}

/** The parts of faiss-node's API the suites use (IndexFlatIP: exact inner product over float32). */
export interface FaissNode {
  IndexFlatIP: new (dimension: number) => { add(vectors: number[]): void; search(query: number[], k: number): { labels: number[]; distances: number[] } };
}

const CACHE = fileURLToPath(new URL('../peers/', import.meta.url));
const ENV = 'TEMPLOCK_BENCH_PEERS';

function writable(dir: string): boolean {
  try {
    mkdirSync(dir, { recursive: true });
    accessSync(dir, constants.W_OK);
    return true;
  } catch {
    return false;
  }
}

/** What went wrong, from npm's or Node's error text: a failed download by its network error code, else the first line. */
function reason(text: string): string {
  const network = /\b(ENOTFOUND|EAI_AGAIN|ETIMEDOUT|ECONNREFUSED|ECONNRESET)\b|Could not resolve host/.exec(text);
  if (network) return `a download during its install failed (${network[1] ?? 'could not resolve host'})`;
  const lines = text.split('\n').map((l) => l.replace(/^npm (error|ERR!)\s*/, '').trim()).filter(Boolean);
  return (lines.find((l) => /Cannot find|not found|error/i.test(l)) ?? lines[0] ?? 'unknown error').replace(/https?:\/\/\S+/g, '(url)');
}

/** Installs one peer into its own folder of the cache (when absent) and loads it once. */
function installOne(root: string, name: PeerName): { dir: string } | { skipped: string } {
  const dir = join(root, name);
  const installed = join(dir, 'node_modules', name, 'package.json');
  const have = existsSync(installed) && (JSON.parse(readFileSync(installed, 'utf8')) as { version: string }).version === PEERS[name];
  if (!have) {
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'package.json'), JSON.stringify({ private: true, description: 'benchmark peer, installed by bench/harness/peers.ts' }));
    const r = spawnSync('npm', ['install', '--no-audit', '--no-fund', '--no-package-lock', '--loglevel', 'error', `${name}@${PEERS[name]}`],
      { cwd: dir, encoding: 'utf8', timeout: 300_000, env: { ...process.env, npm_config_update_notifier: 'false' } });
    if (r.error || r.status !== 0) return { skipped: `npm install ${name}@${PEERS[name]} failed: ${reason(r.stderr || String(r.error))}` };
  }
  try {
    createRequire(join(dir, 'package.json'))(name);
  } catch (e) {
    return { skipped: `${name} does not load: ${reason(String((e as Error)?.message ?? e))}` };
  }
  return { dir };
}

/** Installs (when needed) and loads every peer. Never throws. */
export function installPeers(): PeerInstall {
  const root = writable(CACHE) ? CACHE : join(tmpdir(), 'templock-bench-peers');
  return Object.fromEntries((Object.keys(PEERS) as PeerName[]).map((name) => [name, installOne(root, name)])) as PeerInstall;
}

/** Environment that hands the installs to suite processes. */
export function peersEnv(install: PeerInstall): Record<string, string> {
  return { [ENV]: JSON.stringify(install) };
}

function handed(): PeerInstall | undefined {
  const text = process.env[ENV];
  return text ? JSON.parse(text) as PeerInstall : undefined;
}

/** Where a peer is installed in the cache and loads, when no run handed its installs (tests: they never install). */
function cached(name: PeerName): { dir: string } | { skipped: string } {
  for (const root of [CACHE, join(tmpdir(), 'templock-bench-peers')]) {
    const dir = join(root, name);
    if (!existsSync(join(dir, 'node_modules', name, 'package.json'))) continue;
    try {
      createRequire(join(dir, 'package.json'))(name);
      return { dir };
    } catch {
      // installed but not loadable (e.g. no binary for this platform): look further
    }
  }
  return { skipped: `${name} is not installed in bench/peers/ (npm run bench installs it)` };
}

const where = (name: PeerName) => handed()?.[name] ?? cached(name);

/** The peer's module, or undefined (see {@link peerSkipped}): as the run installed it, else from the cache. */
export function peer(name: 'usearch'): Usearch | undefined;
export function peer(name: 'faiss-node'): FaissNode | undefined;
export function peer(name: PeerName): unknown {
  const p = where(name);
  return 'dir' in p ? createRequire(join(p.dir, 'package.json'))(name) : undefined;
}

/** Why {@link peer} is undefined, if it is. */
export function peerSkipped(name: PeerName): string | undefined {
  const p = where(name);
  return 'skipped' in p ? p.skipped : undefined;
}
