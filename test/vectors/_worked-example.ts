// The worked example of SPEC.md Appendix A, recomputed step by step from the implementation's
// internals: each named value is printed in the appendix, and the spec-example suite checks that
// the appendix text equals this computation. `node --import tsx test/vectors/_worked-example.ts`
// prints the block.
import { _canonicalise } from '../../src/canonical.js';
import { toHex } from '../../src/conformance/index.js';
import { _deriveStreamKey, _KeyStream } from '../../src/random/keystream.js';
import { compareTemplates, encodeTemplate, protect, type TransformParams } from '../../src/index.js';
import { _prepare } from '../../src/transforms/protect.js';
import { _projectRow } from '../../src/transforms/projection.js';
import { _schemeOf } from '../../src/transforms/registry.js';

const EXAMPLE_DIM = 32;
/** x[i] = ((7 i) mod 11 - 5) / 4, exact in float32. */
const exampleEmbedding = (): Float32Array => Float32Array.from({ length: EXAMPLE_DIM }, (_, i) => (((7 * i) % 11) - 5) / 4);
const exampleKey = (): Uint8Array => Uint8Array.from({ length: 32 }, (_, i) => i);
const exampleSalt = (): Uint8Array => Uint8Array.from({ length: 16 }, (_, i) => 0xa0 + i);

const ints = (xs: ArrayLike<number>) => Array.from(xs).join(' ');

function float64Bits(v: number): string {
  const b = new DataView(new ArrayBuffer(8));
  b.setFloat64(0, v);
  return toHex(new Uint8Array(b.buffer));
}

/** The example's named values, in the order the appendix lists them. */
export function workedExample(): [string, string][] {
  const x = exampleEmbedding(), key = exampleKey(), salt = exampleSalt();
  let s = 0;
  for (const c of x) s += c * c;
  const v = _canonicalise(x);
  const out: [string, string][] = [
    ['x', ints(x)],
    ['s', `${s} (float64 ${float64Bits(s)})`],
    ['n', `${Math.sqrt(s)} (float64 ${float64Bits(Math.sqrt(s))})`],
    ['v', ints(v)],
  ];
  const grp: TransformParams = { scheme: 'iom-grp', dim: EXAMPLE_DIM, m: 16, q: 4 };
  const urp: TransformParams = { scheme: 'iom-urp', dim: EXAMPLE_DIM, m: 16, k: 4, p: 2 };
  const sgn: TransformParams = { scheme: 'sign', dim: EXAMPLE_DIM, bits: 64 };
  for (const [tag, params] of [['grp', grp], ['urp', urp], ['sign', sgn]] as const) {
    const prep = _prepare(params, key);
    const streamKey = _deriveStreamKey(prep.key, salt, prep.info);
    const head = new Uint8Array(32);
    new _KeyStream(streamKey).fill(head);
    const material = _schemeOf(params).derive(new _KeyStream(streamKey), params);
    if (tag === 'grp') out.push(['key_id', toHex(prep.keyId)]);
    out.push([`${tag}.info`, toHex(prep.info)], [`${tag}.stream_key`, toHex(streamKey)], [`${tag}.keystream[0..32)`, toHex(head)]);
    const t = protect(x, params, key, salt);
    if (tag === 'grp') {
      const W = material as Int8Array;
      out.push(['grp.W[0][0..8)', ints(W.subarray(0, 8))]);
      out.push(['grp.proj(0..4) (hash 0)', ints([0, 1, 2, 3].map((r) => _projectRow(W, r, v)))]);
      out.push(['grp.proj(4..8) (hash 1)', ints([4, 5, 6, 7].map((r) => _projectRow(W, r, v)))]);
    } else if (tag === 'urp') {
      const P = material as Uint16Array;
      out.push(['urp.P[0]', ints(P.subarray(0, 4))], ['urp.P[1]', ints(P.subarray(4, 8))]);
      out.push(['urp.z (hash 0)', ints([0, 1, 2, 3].map((i) => v[P[i]!]! * v[P[4 + i]!]!))]);
    } else {
      const W = material as Int8Array;
      out.push(['sign.proj(0..8)', ints([0, 1, 2, 3, 4, 5, 6, 7].map((r) => _projectRow(W, r, v)))]);
    }
    out.push([`${tag}.payload`, tag === 'sign' ? toHex(t.payload) : ints(t.payload)], [`${tag}.template`, toHex(encodeTemplate(t))]);
    if (tag === 'sign') {
      const flipped = Float32Array.from(x);
      flipped[1] = -flipped[1]!;
      const u = protect(flipped, params, key, salt);
      out.push(['sign.payload (x[1] negated)', toHex(u.payload)], ['sign.score', String(compareTemplates(t, u))]);
    }
  }
  return out;
}

/** The appendix block: one `name = value` line per value. */
export function workedExampleBlock(): string {
  return workedExample().map(([k, val]) => `${k} = ${val}`).join('\n');
}

if (process.argv[1]?.endsWith('_worked-example.ts')) console.log(workedExampleBlock());
