// `npm run bench`: builds the native ceiling, installs the peer libraries (bench/peers/), runs every bench/*.bench.ts suite (or those
// matching the filters) each in its own process, N times with --repeat N, prints the table (the
// median over the runs with its range) and optionally writes JSON.
// Usage: npm run bench -- [filter ...] [--json FILE] [--markdown FILE] [--repeat N] [--quick] [--list]
import { fork } from 'node:child_process';
import { readdirSync, writeFileSync } from 'node:fs';
import { basename, join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { machineInfo } from './harness/machine.js';
import { buildNative, nativeEnv } from './harness/native.js';
import { installPeers, peersEnv, PEERS, type PeerName } from './harness/peers.js';
import { formatMarkdown, formatTable, runJson } from './harness/report.js';
import type { SuiteReport } from './harness/results.js';
import type { Suite } from './harness/suite.js';

const BENCH_DIR = fileURLToPath(new URL('.', import.meta.url));
const PROJECT_DIR = fileURLToPath(new URL('..', import.meta.url));
const CHILD = fileURLToPath(new URL('./harness/child.ts', import.meta.url));
/** The suite measuring read bandwidth runs first and always: the other figures refer to it. */
const BANDWIDTH_SUITE = 'memory.bench.ts';

export const USAGE = `npm run bench -- [filter ...] [--json FILE] [--markdown FILE] [--repeat N] [--quick] [--list]
  filter       run only suites/workloads whose name contains it (the bandwidth suite always runs)
  --json FILE  also write every figure, machine info and versions as JSON
  --markdown FILE  also write the table as Markdown
  --repeat N   run every suite N times (each in a new process; 1 to 100, default 1) and publish
               the median over the runs with the range of each ratio
  --quick      short timing (checking a suite while developing; not for publishing)
  --list       list the suites and their workloads`;

/** Where suites are found and where the table goes (tests point them elsewhere). */
export interface RunOptions {
  readonly suiteDir?: string;
  readonly out?: (text: string) => void;
  /** Install the peer libraries first (default: when running the suites of bench/). */
  readonly peers?: boolean;
}

function suiteFiles(dir: string): string[] {
  const files = readdirSync(dir).filter((f) => f.endsWith('.bench.ts')).sort();
  return [...files.filter((f) => f === BANDWIDTH_SUITE), ...files.filter((f) => f !== BANDWIDTH_SUITE)].map((f) => join(dir, f));
}

function runChild(file: string, quick: boolean, filters: readonly string[], env: Record<string, string>): Promise<SuiteReport> {
  return new Promise((resolve) => {
    let report: SuiteReport | undefined;
    const child = fork(CHILD, ['--suite', file, quick ? 'quick' : 'full', ...filters], {
      execArgv: ['--import', import.meta.resolve('tsx'), '--expose-gc'],
      env: { ...process.env, ...env },
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    child.on('message', (m) => (report = m as SuiteReport));
    child.on('exit', (code, signal) => {
      resolve(report ?? { suite: file, workloads: [], error: `suite process ended (${signal ?? `exit ${code}`}) without a report` });
    });
  });
}

async function list(dir: string, out: (text: string) => void): Promise<void> {
  for (const f of suiteFiles(dir)) {
    const s = (await import(pathToFileURL(f).href) as { default: Suite }).default;
    out(`${s.name} (${basename(f)})`);
    for (const w of s.workloads) out(`  ${w.name}`);
  }
}

/** Runs the benchmark CLI on argv; returns the exit code (1 on a mismatch or a failed suite). */
export async function runBench(argv: readonly string[], options: RunOptions = {}): Promise<number> {
  const dir = options.suiteDir ?? BENCH_DIR;
  const out = options.out ?? ((text: string) => console.log(text));
  const { values, positionals } = parseArgs({
    args: [...argv], allowPositionals: true, strict: true,
    options: { json: { type: 'string' }, markdown: { type: 'string' }, repeat: { type: 'string' }, quick: { type: 'boolean' }, list: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } },
  });
  if (values.help) { out(USAGE); return 0; }
  if (values.list) { await list(dir, out); return 0; }
  const repeat = values.repeat === undefined ? 1 : Number(values.repeat);
  if (!Number.isInteger(repeat) || repeat < 1 || repeat > 100) throw new RangeError(`"--repeat" expected an integer from 1 to 100, got ${values.repeat}`);
  const build = buildNative();
  process.stderr.write(build.path ? `native ceiling built: ${build.path}\n` : `${build.skipped}\n`);
  let env = nativeEnv(build);
  let peers: Record<string, string> | undefined;
  if (options.peers ?? options.suiteDir === undefined) {
    const installed = installPeers();
    peers = Object.fromEntries((Object.keys(PEERS) as PeerName[]).map((name) => {
      const p = installed[name];
      const where = 'dir' in p && p.dir.startsWith(PROJECT_DIR) ? relative(PROJECT_DIR, p.dir) : 'dir' in p ? p.dir : '';
      return [name, 'dir' in p ? `${PEERS[name]} (${where})` : `unavailable: ${p.skipped}`];
    }));
    for (const [name, status] of Object.entries(peers)) process.stderr.write(`peer ${name}: ${status}\n`);
    env = { ...env, ...peersEnv(installed) };
  }
  const reports: SuiteReport[] = [];
  const files = suiteFiles(dir);
  // The bandwidth suite once; the others `repeat` times, one pass over all of them after another,
  // so that a change in the machine's load falls on different suites in different passes.
  const bandwidthFirst = files.filter((f) => f.endsWith(BANDWIDTH_SUITE));
  for (const file of bandwidthFirst) reports.push(await runChild(file, values.quick ?? false, [], env));
  for (let pass = 0; pass < repeat; pass++)
    for (const file of files.filter((f) => !f.endsWith(BANDWIDTH_SUITE))) reports.push(await runChild(file, values.quick ?? false, positionals, env));
  // Bandwidth again at the end: on a shared machine the better of the two is the machine's.
  const bandwidthFile = files.find((f) => f.endsWith(BANDWIDTH_SUITE));
  if (bandwidthFile && files.length > 1) {
    const again = await runChild(bandwidthFile, values.quick ?? false, [], env);
    reports.push({ ...again, suite: `${again.suite} (again)`, workloads: again.workloads.map((w) => ({ ...w, suite: `${w.suite} (again)` })) });
  }
  const run = runJson(machineInfo(build), reports.filter((r) => r.workloads.length > 0 || r.error || r.skipped), build.skipped, repeat, peers);
  out(formatTable(run));
  if (values.json) writeFileSync(values.json, JSON.stringify(run, null, 2) + '\n');
  if (values.markdown) writeFileSync(values.markdown, formatMarkdown(run) + '\n');
  return run.errors.length > 0 || run.workloads.some((w) => w.impls.some((f) => f.mismatch)) ? 1 : 0;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) process.exitCode = await runBench(process.argv.slice(2));
