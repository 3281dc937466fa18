// `templock bench`: runs the benchmark suites (bench/*.bench.ts, README "Benchmarks") of this
// package -- the same harness as `npm run bench` -- in a child Node process with the tsx loader,
// from a source checkout or from the installed package (which ships bench/ and src/).
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { EXIT } from '../exit-status.js';
import type { Command, Io } from '../command.js';

/** The package root: this file is src/cli/commands/bench.ts or dist/cli/commands/bench.js. */
const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const RUNNER = `${ROOT}bench/run.ts`;

/** Packages the suites need beyond templock's own dependencies (dev dependencies in a checkout). */
const BENCH_PACKAGES = ['tsx', 'benchmark'] as const;

function resolvable(pkg: string): boolean {
  try {
    createRequire(`${ROOT}package.json`).resolve(pkg);
    return true;
  } catch {
    return false;
  }
}

/** Forwards a child stream to `write`, one line at a time. */
function forwardLines(stream: NodeJS.ReadableStream, write: (line: string) => void): Promise<void> {
  let rest = '';
  stream.setEncoding('utf8');
  stream.on('data', (chunk: string) => {
    const lines = (rest + chunk).split('\n');
    rest = lines.pop()!;
    for (const l of lines) write(l);
  });
  return new Promise((resolve) => stream.on('end', () => { if (rest) write(rest); resolve(); }));
}

export const benchCommand: Command = {
  name: ['bench'],
  summary: 'Run the matching and transform benchmarks (JS baseline, WASM, native C ceiling)',
  help: `[filter ...] [--json FILE] [--markdown FILE] [--repeat N] [--quick] [--list]
  Runs the suites in bench/ (each in its own process) and prints, per workload and variant, the
  median and first-call time, GB/s, items/s, and the ratios to the plain-JS baseline and to the
  native C ceiling (compiled now with cc -O3 -march=native; skipped without a compiler).
  filter       only suites/workloads whose name contains it (e.g. hamming, protect)
  --json FILE  also write every figure with machine info as JSON
  --markdown FILE  also write the table as Markdown
  --repeat N   run every suite N times and publish the median over the runs with the range of
               each ratio (what is stable on this machine and what is not)
  --quick      short timing, for a smoke run (not for publishing figures)
  --list       list the suites and workloads
  Needs the tsx and benchmark packages (dev dependencies of a checkout; in a project that
  installed templock: npm install --save-dev tsx benchmark)`,
  options: {
    json: { type: 'string' },
    markdown: { type: 'string' },
    repeat: { type: 'string' },
    quick: { type: 'boolean' },
    list: { type: 'boolean' },
  },
  positionals: true,
  async run(values, positionals, io: Io) {
    if (!existsSync(RUNNER)) {
      io.err(`templock bench: the benchmark suites are not in this installation (expected ${RUNNER})`);
      return EXIT.RUNTIME;
    }
    const missing = BENCH_PACKAGES.filter((p) => !resolvable(p));
    if (missing.length > 0) {
      io.err(`templock bench: the suites run with ${BENCH_PACKAGES.join(' and ')}; install them: npm install --save-dev ${missing.join(' ')}`);
      return EXIT.RUNTIME;
    }
    const tsx = import.meta.resolve('tsx');
    const args = [
      ...positionals,
      ...(typeof values.json === 'string' ? ['--json', values.json] : []),
      ...(typeof values.markdown === 'string' ? ['--markdown', values.markdown] : []),
      ...(typeof values.repeat === 'string' ? ['--repeat', values.repeat] : []),
      ...(values.quick ? ['--quick'] : []),
      ...(values.list ? ['--list'] : []),
    ];
    const child = spawn(process.execPath, ['--import', tsx, RUNNER, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    const done = Promise.all([forwardLines(child.stdout, io.out), forwardLines(child.stderr, io.err)]);
    const code = await new Promise<number>((resolve) => child.on('close', (c) => resolve(c ?? 1)));
    await done;
    return code;
  },
};
