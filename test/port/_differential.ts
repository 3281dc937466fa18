// Seeded differential cases for the two implementations: random parameter sets (any dimension,
// window, permutation count, bit count, salt length, with and without a mean; valid and with one
// broken parameter, key or salt), random and tie-prone embeddings, template pairs, mutated and
// random template bytes, key binding (random small codes, injected messages, near and far probes,
// broken inputs, mutated templates), and sealed records under both AEADs with random UTF-8
// contexts and mutations. This implementation's conformance checkers record every outcome, as for the
// published vector files; the Python port must then agree on each.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CHECKERS, f32ToHex, runOutcome, toHex, type JsonValue, type VectorFile, type VectorGroup, type VectorTest,
} from '../../src/conformance/index.js';
import { _encodeContext } from '../../src/storage/context.js';
import { Keyring } from '../../src/storage/keyring.js';
import { _sealRecord } from '../../src/storage/record.js';
import { decodeTemplate } from '../../src/template.js';
import { _bchCode } from '../../src/transforms/bch.js';
import { PROJECT_ROOT } from '../_lib/shared.js';
import { Seeded } from '../_lib/seeded.js';

const PORT = join(PROJECT_ROOT, 'test', 'port', 'templock_port.py');

/** True when python3 runs here. */
export const hasPython = spawnSync('python3', ['--version']).status === 0;

type Inputs = Record<string, JsonValue>;
interface GroupSpec { fields: Inputs; tests: Inputs[] }

/** A vector file whose every outcome is what this implementation computes (valid or invalid). */
function vectorFile(schema: string, groups: GroupSpec[]): VectorFile {
  const checker = CHECKERS.find((c) => c.schema === schema)!;
  let tcId = 0;
  const testGroups = groups.map(({ fields, tests }) => {
    const group = { type: 'DifferentialTest', ...fields, tests: [] as VectorTest[] } as VectorGroup & { tests: VectorTest[] };
    for (const inputs of tests) {
      const draft = { tcId: ++tcId, comment: 'random', flags: [], ...inputs } as unknown as VectorTest;
      const outcome = runOutcome(checker, group, draft);
      group.tests.push('error' in outcome ? { ...draft, result: 'invalid', error: outcome.error } : { ...draft, result: 'valid', [checker.outputKey]: outcome.output });
    }
    return group;
  });
  return { algorithm: `differential ${schema}`, schema, numberOfTests: tcId, notes: {}, testGroups };
}

/** Offset of d in a sealed record: the parameter block starts at 46 (SPEC.md §7.4), d at its byte 1. */
const RECORD_DIM_OFFSET = 47;

/**
 * The differential files for `seed`: protect, record, template and compare cases, `scale` times
 * the base counts (40 + 40 parameter sets, 320 records with 8 out-of-range dimensions, 1,700
 * template byte strings plus the valid templates, 400 pairs).
 */
export function differentialFiles(seed: string, scale: number): VectorFile[] {
  const rng = new Seeded(seed);
  const pick = <T>(xs: readonly T[]): T => xs[rng.int(xs.length)]!;
  const between = (lo: number, hi: number) => lo + rng.int(hi - lo + 1);

  /** Random parameters of every scheme, material small enough for a pure-Python port. */
  function randomParams(): Inputs {
    const dim = pick([32, 33, between(34, 160), 64, 128]);
    for (;;) {
      const scheme = pick(['iom-grp', 'iom-urp', 'sign']);
      if (scheme === 'iom-grp') {
        const m = between(16, 96), q = pick([2, 3, between(4, 40), 256]);
        if (m * q * dim <= 2 ** 18) return { scheme, dim, m, q };
      } else if (scheme === 'iom-urp') {
        return { scheme, dim, m: between(16, 96), k: pick([2, between(3, Math.min(dim, 256)), Math.min(dim, 256)]), p: between(1, 3) };
      } else {
        return { scheme, dim, bits: 64 * between(1, 6) };
      }
    }
  }

  /** Embeddings of several kinds: Gaussian at random scales, sparse with equal magnitudes, rounding ties. */
  function randomEmbedding(dim: number): Float32Array {
    const kind = rng.int(4);
    if (kind === 0) {
      const scale = 2 ** (rng.int(200) - 100);
      return Float32Array.from({ length: dim }, () => rng.gauss() * scale);
    }
    if (kind === 1) {
      const x = new Float32Array(dim);
      for (let n = 1 + rng.int(4); n > 0; n--) x[rng.int(dim)] = pick([1, -1, 0.5, 2 ** -140]);
      if (x.every((v) => v === 0)) x[0] = 1;
      return x;
    }
    if (kind === 2) return Float32Array.from({ length: dim }, () => pick([1, -1, 0, -0, 3]));
    return Float32Array.from({ length: dim }, () => between(-1000, 1000) / 8);
  }

  const protectGroups: GroupSpec[] = [];
  const templates: string[] = [];
  for (let g = 0; g < 40 * scale; g++) {
    const params = randomParams();
    const dim = params.dim as number;
    const fields: Inputs = { params };
    if (rng.int(3) === 0) fields.mean = f32ToHex(Float32Array.from({ length: dim }, () => rng.gauss() * 0.1));
    const key = toHex(rng.bytes(32)), salt = toHex(rng.bytes(between(16, 32)));
    const tests: Inputs[] = Array.from({ length: 3 }, () => ({ key, salt, embedding: f32ToHex(randomEmbedding(dim)) }));
    tests.push({ key, salt, embedding: f32ToHex(randomEmbedding(dim + pick([-1, 1]))) });
    protectGroups.push({ fields, tests });
  }
  /** A valid parameter set with one field broken: out of range by one, fractional, or of the wrong type. */
  function brokenParams(): Inputs {
    const params = randomParams();
    const field = pick(Object.keys(params));
    const value = params[field];
    params[field] = typeof value === 'number'
      ? pick([value + 4097, -value, value + 0.5, String(value), null, 0, 2 ** 32, 1])
      : pick(['IoM-GRP', 'sign ', 7, '']);
    return params;
  }
  for (let g = 0; g < 40 * scale; g++) {
    const params = g % 4 !== 3 ? brokenParams() : randomParams();
    const dim = typeof params.dim === 'number' && params.dim >= 32 && params.dim <= 4096 ? params.dim : 64;
    const key = toHex(rng.bytes(g % 8 === 3 ? pick([0, 16, 31, 33]) : 32));
    const salt = toHex(rng.bytes(g % 8 === 7 ? pick([0, 8, 15, 33, 64]) : 16));
    protectGroups.push({ fields: { params }, tests: [{ key, salt, embedding: f32ToHex(randomEmbedding(dim)) }] });
  }
  const protectFile = vectorFile('protect_v1.schema.json', protectGroups);
  for (const g of protectFile.testGroups) for (const t of g.tests) if (t.result === 'valid') templates.push(t.template as string);

  function mutated(hexText: string): string {
    const b = Uint8Array.from(Buffer.from(hexText, 'hex'));
    const kind = rng.int(5);
    if (kind === 0) return toHex(b.subarray(0, rng.int(b.length)));
    if (kind === 1) return toHex(Uint8Array.of(...b, ...rng.bytes(1 + rng.int(3))));
    for (let n = 1 + rng.int(2); n > 0; n--) {
      const at = kind === 2 ? rng.int(30) : rng.int(b.length);
      b[at] = rng.int(2) ? rng.u32() & 0xff : b[at]! ^ (1 << rng.int(8));
    }
    return toHex(b);
  }

  const templateTests: Inputs[] = [
    ...templates.map((template) => ({ template })),
    ...Array.from({ length: 1500 * scale }, () => ({ template: mutated(pick(templates)) })),
    ...Array.from({ length: 200 * scale }, () => ({ template: toHex(rng.bytes(rng.int(120))) })),
  ];
  const compareTests: Inputs[] = Array.from({ length: 400 * scale }, () => {
    const a = pick(templates);
    const kind = rng.int(4);
    const b = kind === 0 ? a : kind === 1 ? mutated(a) : pick(templates);
    return rng.int(2) ? { a, b } : { a: b, b: a };
  });
  /** A random context string of 1 to 255 UTF-8 bytes, with multi-byte characters at times. */
  function contextString(): string {
    const alphabet = ['a', 'Z', '7', '-', ' ', 'é', 'ß', '東', '京', '🙂', 'Ω'];
    let text = '';
    const target = pick([1, between(2, 40), 255]);
    while (Buffer.byteLength(text) < target) {
      const ch = pick(alphabet);
      if (Buffer.byteLength(text + ch) > 255) break;
      text += ch;
    }
    return text || 'x';
  }
  const randomContext = (): Inputs => ({ tenant: contextString(), subjectId: contextString(), purpose: contextString() });


  const recordGroups: GroupSpec[] = (['xchacha20-poly1305', 'aes-256-gcm-siv'] as const).map((aead) => {
    const key = rng.bytes(32);
    const sealKey = Keyring.fromKey(key, { algorithm: aead })._sealKey();
    const tests: Inputs[] = [];
    for (let i = 0; i < 40 * scale; i++) {
      const template = pick(templates), context = randomContext();
      const nonce = rng.bytes(aead === 'aes-256-gcm-siv' ? 12 : 24);
      const record = toHex(_sealRecord(sealKey, decodeTemplate(Buffer.from(template, 'hex')), _encodeContext(context), nonce, 0));
      tests.push({ context, template, nonce: toHex(nonce), record });
      tests.push({ context, record: mutated(record) }, { context, record: mutated(record) });
      tests.push({ context: { ...context, [pick(['tenant', 'subjectId', 'purpose'])]: contextString() }, record });
    }
    const record = Buffer.from(tests[0]!.record as string, 'hex');
    for (const dim of [0, 31, 4097, 0xffff]) {
      const bad = Uint8Array.from(record);
      new DataView(bad.buffer).setUint16(RECORD_DIM_OFFSET, dim, true);
      tests.push({ context: tests[0]!.context!, record: toHex(bad), comment: `parameter block dimension ${dim}` });
    }
    return { fields: { key: toHex(key), aead }, tests };
  });

  /** Key binding (SPEC.md §4.5): random small codes, injected messages, probes near and far, broken inputs, mutated templates. */
  const bindingGroups: GroupSpec[] = [];
  const boundTemplates: { template: string; key: string; probe: string; mean?: string }[] = [];
  for (let g = 0; g < 24 * scale; g++) {
    const dim = pick([32, 33, between(34, 128)]), m = pick([6, 7, 7, 8]), r = between(1, m === 8 ? 2 : 6);
    const n = (1 << m) - 1;
    let t = between(1, (n - 1) / 2);
    while (_bchCode(m, t).k < 32) t = between(1, t);
    const k = _bchCode(m, t).k;
    const params: Inputs = { scheme: 'fuzzy-commitment', dim, m, t, r };
    const fields: Inputs = { params };
    const mean = rng.int(3) === 0 ? Float32Array.from({ length: dim }, () => rng.gauss() * 0.1) : undefined;
    if (mean) fields.mean = f32ToHex(mean);
    const key = toHex(rng.bytes(32)), salt = toHex(rng.bytes(between(16, 32)));
    const secretOf = () => { const b = rng.bytes(Math.ceil(k / 8)); if (k & 7) b[b.length - 1]! &= (1 << (k & 7)) - 1; return toHex(b); };
    const tests: Inputs[] = Array.from({ length: 3 }, () => {
      const x = randomEmbedding(dim);
      const noise = pick([0, 0.05, 0.2, 0.5, 2]);
      const probe = Float32Array.from(x, (v) => v + noise * rng.gauss() * (Math.abs(v) + 1e-3));
      return { key, salt, secret: secretOf(), embedding: f32ToHex(x), probe: f32ToHex(probe) };
    });
    const broken = pick(['secret', 'key', 'salt', 'embedding', 'params']);
    const bad: Inputs = { ...tests[0]! };
    if (broken === 'secret') bad.secret = k & 7 ? (bad.secret as string).slice(0, -2) + 'ff' : (bad.secret as string) + '00';
    if (broken === 'key') bad.key = toHex(rng.bytes(pick([0, 31, 33])));
    if (broken === 'salt') bad.salt = toHex(rng.bytes(pick([0, 15, 33])));
    if (broken === 'embedding') bad.embedding = f32ToHex(randomEmbedding(dim + pick([-1, 1])));
    bindingGroups.push({ fields, tests: broken === 'params' ? tests : [...tests, bad] });
    if (broken === 'params') {
      const field = pick(['dim', 'm', 't', 'r']);
      const value = params[field] as number;
      bindingGroups.push({ fields: { ...fields, params: { ...params, [field]: pick([value + 4097, -value, value + 0.5, String(value), 0, 2 ** 32]) } }, tests: [tests[0]!] });
    }
  }
  const bindFile = vectorFile('fuzzy_commitment_v1.schema.json', bindingGroups.map((gr) => ({ fields: { ...gr.fields, type: 'BindTest' }, tests: gr.tests })));
  for (const g of bindFile.testGroups) for (const t of g.tests) {
    if (t.result !== 'valid') continue;
    boundTemplates.push({ template: (t.outcome as { template: string }).template, key: t.key as string, probe: t.probe as string, ...(g.mean ? { mean: g.mean as string } : {}) });
  }
  const releaseGroups: GroupSpec[] = [{ fields: { type: 'ReleaseTest' }, tests: [] }, { fields: { type: 'ReleaseTest', mean: '' }, tests: [] }];
  for (const b of boundTemplates) {
    const into = b.mean ? { fields: { type: 'ReleaseTest', mean: b.mean }, tests: [] as Inputs[] } : releaseGroups[0]!;
    for (let i = 0; i < 3; i++) into.tests.push({ key: b.key, probe: b.probe, template: i === 0 ? b.template : mutated(b.template) });
    if (b.mean) releaseGroups.push(into);
  }
  releaseGroups.splice(1, 1);

  return [
    protectFile,
    bindFile,
    vectorFile('fuzzy_commitment_v1.schema.json', releaseGroups),
    vectorFile('record_v1.schema.json', recordGroups),
    vectorFile('template_v1.schema.json', [{ fields: {}, tests: templateTests }]),
    vectorFile('compare_v1.schema.json', [{ fields: {}, tests: compareTests }]),
  ];
}

/** Counts of outcomes per file kind and result, e.g. "record_v1.schema.json DECRYPT_FAILED". */
export function outcomeCounts(files: readonly VectorFile[]): Map<string, number> {
  const outcomes = new Map<string, number>();
  for (const f of files) for (const g of f.testGroups) for (const t of g.tests) {
    const k = `${f.schema} ${t.result === 'valid' ? 'valid' : t.error}`;
    outcomes.set(k, (outcomes.get(k) ?? 0) + 1);
  }
  return outcomes;
}

/**
 * Runs the Python port on `files` (written to a temporary folder, or to `keepDir` when given) and
 * returns its failure lines, its summary line and the number of tests.
 */
export function runPortOn(files: readonly VectorFile[], keepDir?: string): { failures: string[]; summary: string; total: number; status: number | null; stderr: string } {
  const dir = keepDir ?? mkdtempSync(join(tmpdir(), 'templock-differential-'));
  try {
    files.forEach((f, i) => writeFileSync(join(dir, `differential_${i}.json`), JSON.stringify(f)));
    const r = spawnSync('python3', [PORT, dir], { encoding: 'utf8', timeout: 1_800_000, maxBuffer: 1 << 26 });
    const lines = r.stdout.trimEnd().split('\n');
    return {
      failures: lines.filter((l) => l.startsWith('FAIL')), summary: lines.at(-1) ?? '', status: r.status, stderr: r.stderr,
      total: files.reduce((a, f) => a + f.numberOfTests, 0),
    };
  } finally {
    if (!keepDir) rmSync(dir, { recursive: true });
  }
}
