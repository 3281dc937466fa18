// The mutation check of the test vectors (`npm run vectors:mutants`): each mutant of the
// catalogue breaks one normative rule of SPEC.md in a copy of the reference implementation
// (src/), and the published vectors are verified against that copy. A mutant that passes every
// vector survives: the vectors cannot tell that rule from its violation. Exit status 1 when a
// mutant survives or its text replacement no longer applies.
//   --fast        only the mutants marked fast (the subset npm test runs)
//   --only TEXT   only the mutants whose name contains TEXT
//   --json FILE   the results as JSON
import { spawn } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { MUTANTS, UNTESTABLE, type Mutant } from './catalogue.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
/** Seconds a verification may take; the unchanged source needs about 2 (a mutant that loops is stopped). */
const TIMEOUT_SECONDS = 30;

/**
 * One mutant's outcome: killed (by how many failing vectors), survived, stale (its replacement
 * no longer applies) or error (the verifier did not report: a broken check, not a kill).
 */
export interface MutantResult {
  readonly name: string;
  readonly outcome: 'killed' | 'survived' | 'stale' | 'error';
  /** True when the verifier did not finish in time (a vector drove the mutant into a loop). */
  readonly timedOut?: boolean;
  readonly failures: number;
  readonly seconds: number;
}

/**
 * The mutated source tree of `m` in a new folder under .mutants/ (inside the project, so that its
 * imports resolve to the project's node_modules; the caller removes it).
 */
function mutatedTree(m: Mutant): string {
  mkdirSync(join(ROOT, '.mutants'), { recursive: true });
  const dir = mkdtempSync(join(ROOT, '.mutants', 'm-'));
  cpSync(join(ROOT, 'src'), join(dir, 'src'), { recursive: true });
  if (m !== CONTROL) {
    const file = join(dir, 'src', m.file);
    const text = readFileSync(file, 'utf8');
    const at = text.indexOf(m.find);
    if (at < 0 || text.indexOf(m.find, at + 1) >= 0) throw new Error(`${m.name}: the text to replace is not found exactly once in src/${m.file}`);
    writeFileSync(file, text.slice(0, at) + m.replace + text.slice(at + m.find.length));
  }
  writeFileSync(join(dir, 'verify.ts'), [
    "import { verifyVectorDir } from './src/conformance/directory.js';",
    `const r = verifyVectorDir(${JSON.stringify(join(ROOT, 'vectors'))});`,
    'process.stdout.write(JSON.stringify({ passed: r.passed, failed: r.failed }));',
  ].join('\n'));
  return dir;
}

/** The unchanged source, verified first: every vector must pass, or the check itself is broken. */
const CONTROL: Mutant = { name: 'control: the unchanged source', file: '', find: '', replace: '' };

/** Verifies the vectors against the mutated copy in a child process. */
function runMutant(m: Mutant): Promise<MutantResult> {
  const t0 = performance.now();
  let dir: string;
  try {
    dir = mutatedTree(m);
  } catch {
    return Promise.resolve({ name: m.name, outcome: 'stale', failures: 0, seconds: 0 });
  }
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', join(dir, 'verify.ts')], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (b: Buffer) => { out += b.toString(); });
    child.stderr.on('data', (b: Buffer) => { err += b.toString(); });
    let timedOut = false;
    const timer = setTimeout(() => { timedOut = true; child.kill('SIGKILL'); }, TIMEOUT_SECONDS * 1000);
    child.on('close', (code) => {
      clearTimeout(timer);
      rmSync(dir, { recursive: true, force: true });
      const seconds = (performance.now() - t0) / 1000;
      if (timedOut) {
        resolve({ name: m.name, outcome: m === CONTROL ? 'error' : 'killed', failures: 0, seconds, timedOut });
        return;
      }
      let report: { failed: number } | undefined;
      try { report = JSON.parse(out) as { failed: number }; } catch { /* no report */ }
      if (!report || code !== 0) {
        process.stderr.write(`${m.name}: the verifier exited ${code} without a report\n${err.slice(0, 2000)}\n`);
        resolve({ name: m.name, outcome: 'error', failures: 0, seconds });
        return;
      }
      resolve({ name: m.name, outcome: report.failed > 0 ? 'killed' : 'survived', failures: report.failed, seconds });
    });
  });
}

/** Verifies the vectors against an unchanged copy of src/: 'survived' with 0 failures when the check itself works. */
export async function verifyUnchanged(): Promise<MutantResult> {
  return (await runMutants([CONTROL], 1))[0]!;
}

/** Runs `mutants`, `parallel` at a time, in catalogue order. */
export async function runMutants(mutants: readonly Mutant[], parallel: number): Promise<MutantResult[]> {
  const results: MutantResult[] = new Array(mutants.length);
  let next = 0;
  const worker = async () => {
    while (next < mutants.length) {
      const i = next++;
      results[i] = await runMutant(mutants[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, parallel) }, worker));
  return results;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { values } = parseArgs({ options: { fast: { type: 'boolean' }, only: { type: 'string' }, json: { type: 'string' } } });
  const chosen = MUTANTS.filter((m) => (!values.fast || m.fast) && (values.only === undefined || m.name.includes(values.only)));
  const control = await verifyUnchanged();
  if (control.outcome !== 'survived') {
    console.log(`the unchanged source fails ${control.failures} vectors (${control.outcome}): no mutant can be judged`);
    process.exit(1);
  }
  const results = await runMutants(chosen, availableParallelism());
  for (const r of results) console.log(`${r.outcome.padEnd(8)} ${r.name}${r.timedOut ? `  (the verification did not end in ${TIMEOUT_SECONDS} s)` : r.outcome === 'killed' ? `  (${r.failures} vectors fail)` : ''}`);
  const survived = results.filter((r) => r.outcome !== 'killed');
  console.log(`\n${results.length - survived.length} of ${results.length} mutants killed; ${UNTESTABLE.length} rules listed as untestable by vectors (vectors/mutants/catalogue.ts)`);
  if (values.json) writeFileSync(values.json, JSON.stringify({ results, untestable: UNTESTABLE }, null, 2));
  process.exitCode = survived.length === 0 ? 0 : 1;
}
