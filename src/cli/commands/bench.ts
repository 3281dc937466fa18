// `templock bench`: runs the benchmark suites (bench/*.bench.ts, README "Benchmarks") of this
// package -- the same harness as `npm run bench` -- in a child Node process with the tsx loader,
// from a source checkout or from the installed package (which ships bench/ and src/).
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Command, Io } from '../command.js';

/** The package root: this file is src/cli/commands/bench.ts or dist/cli/commands/bench.js. */
const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const RUNNER = `${ROOT}bench/run.ts`;

function tsxLoader(): string | undefined {
  try {
    return import.meta.resolve('tsx');
  } catch {
    return undefined;
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
  help: `[filter ...] [--json FILE] [--markdown FILE] [--quick] [--list]
  Runs the suites in bench/ (each in its own process) and prints, per workload and variant, the
  median and first-call time, GB/s, items/s, and the ratios to the plain-JS baseline and to the
  native C ceiling (compiled now with cc -O3 -march=native; skipped without a compiler).
  filter       only suites/workloads whose name contains it (e.g. hamming, protect)
  --json FILE  also write every figure with machine info as JSON
  --markdown FILE  also write the table as Markdown
  --quick      short timing, for a smoke run (not for publishing figures)
  --list       list the suites and workloads
  Needs the tsx package (the suites are TypeScript): npm install --save-dev tsx`,
  options: {
    json: { type: 'string' },
    markdown: { type: 'string' },
    quick: { type: 'boolean' },
    list: { type: 'boolean' },
  },
  positionals: true,
  async run(values, positionals, io: Io) {
    if (!existsSync(RUNNER)) {
      io.err(`templock bench: the benchmark suites are not in this installation (expected ${RUNNER})`);
      return 1;
    }
    const tsx = tsxLoader();
    if (!tsx) {
      io.err('templock bench: the suites are TypeScript and run with tsx; install it: npm install --save-dev tsx');
      return 1;
    }
    const args = [
      ...positionals,
      ...(typeof values.json === 'string' ? ['--json', values.json] : []),
      ...(typeof values.markdown === 'string' ? ['--markdown', values.markdown] : []),
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
