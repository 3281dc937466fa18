// `npm run bench:evaluate`: the wall time of `templock evaluate` (all default schemes and
// scenarios) on a synthetic set of a vendor model's shape: LFW's 13,223 rows and 5,744 identities
// with their sizes (read from ../shared/data/lfw-faceapi128/meta.json) at a chosen dim (default
// 1024), seeded. Row = normalise(0.5 mean + 0.75 identity direction + 0.45 noise), every
// direction a seeded Gaussian unit vector, so the set has a model mean to centre and LFW-like
// genuine and impostor cosines. Prints the time per system and scenario; --json FILE keeps them.
// Usage: npm run bench:evaluate -- [--dim 1024] [--threads N] [--keep DIR] [--json FILE]
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { main, processIo } from '../src/cli/main.js';
import { _EvalRng } from '../src/eval/rng.js';
import type { EvaluationResult } from '../src/eval/index.js';
import { sharedPath } from '../test/_lib/shared.js';

const { values } = parseArgs({ options: { dim: { type: 'string', default: '1024' }, threads: { type: 'string' }, keep: { type: 'string' }, json: { type: 'string' } } });
const dim = Number(values.dim);
if (!Number.isSafeInteger(dim) || dim < 8 || dim > 4096) throw new RangeError('--dim expected an integer in 8..4096');
const lfw = sharedPath('data/lfw-faceapi128', 'bench:evaluate');
if (!lfw) process.exit(0);
const meta = JSON.parse(readFileSync(join(lfw, 'meta.json'), 'utf8')) as { n: number; labels: string[]; rows: [string, number][] };

/** x scaled to unit length. */
function unit(x: Float64Array): Float64Array {
  let s = 0;
  for (let i = 0; i < x.length; i++) s += x[i]! * x[i]!;
  return x.map((v) => v / Math.sqrt(s));
}

/** A seeded Gaussian unit vector. */
function direction(rng: _EvalRng): Float64Array {
  return unit(Float64Array.from({ length: dim }, () => rng.gauss()));
}

const rng = new _EvalRng(1, `bench:evaluate/${dim}`);
const mean = direction(rng), centres = meta.labels.map(() => direction(rng));
const vectors = new Float32Array(meta.n * dim);
meta.rows.forEach(([, label], r) => {
  const noise = direction(rng), c = centres[label]!;
  vectors.set(unit(Float64Array.from({ length: dim }, (_, i) => 0.5 * mean[i]! + 0.75 * c[i]! + 0.45 * noise[i]!)), r * dim);
});
const dir = values.keep ?? mkdtempSync(join(tmpdir(), `templock-synthetic-${dim}-`));
mkdirSync(dir, { recursive: true });
writeFileSync(join(dir, 'embeddings.f32'), new Uint8Array(vectors.buffer));
writeFileSync(join(dir, 'meta.json'), JSON.stringify({ dim, n: meta.n, labels: meta.labels, rows: meta.rows.map(([, l], r) => [`synthetic-${r}`, l]) }));

const out = join(dir, 'out');
const started = performance.now();
const code = await main(['evaluate', dir, '--out', out, ...(values.threads ? ['--threads', values.threads] : [])], processIo(false));
const seconds = (performance.now() - started) / 1000;
if (code !== 0) process.exit(code);
const result = JSON.parse(readFileSync(join(out, 'result.json'), 'utf8')) as EvaluationResult;
const threads = values.threads ? Number(values.threads) : cpus().length;
console.log(`\n${meta.n} rows x ${dim}, ${result.dataset.identities} identities, ${threads} thread(s): ${seconds.toFixed(1)} s in all`);
for (const s of result.systems) console.log(`  ${s.label}: ${s.seconds!.toFixed(1)} s (${Object.entries(s.scenarioSeconds ?? {}).map(([k, v]) => `${k} ${v.toFixed(1)} s`).join(', ')})`);
if (values.json) writeFileSync(values.json, JSON.stringify({ date: new Date().toISOString(), rows: meta.n, dim, threads, cpus: cpus().map((c) => c.model)[0], seconds, systems: result.systems.map((s) => ({ label: s.label, seconds: s.seconds, scenarioSeconds: s.scenarioSeconds })), raw: result.raw.seconds }, null, 1) + '\n');
if (!values.keep) rmSync(dir, { recursive: true, force: true });
