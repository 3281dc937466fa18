// fuzzy_commitment_v1.json: key binding by fuzzy commitment (SPEC.md §4.5): templates and released
// keys for injected messages, probes that release the key after noise and probes that do not,
// then invalid inputs and malformed template bytes with the error each must raise.
import { fuzzyCommitmentChecker } from '../../src/conformance/checkers/fuzzy-commitment.js';
import { f32ToHex, toHex, type JsonValue } from '../../src/conformance/index.js';
import { encodeBoundTemplate } from '../../src/template.js';
import { bindKey, messageBytes } from '../../src/transforms/key-binding.js';
import { _messageBits, type FuzzyCommitmentParams } from '../../src/transforms/fuzzy-commitment.js';
import { centringMean } from './_embeddings.js';
import { envelope, type GroupSpec, type TestSpec, type VectorGenerator } from './_envelope.js';
import { gaussianish, labelBytes, perturbed, vectorKey, vectorSalt } from './_inputs.js';

const NOTES = {
  Noisy: 'The probe is the enrolled embedding plus noise and releases the key.',
  Exact: 'The probe is the enrolled embedding itself.',
  TooFar: 'The probe is too far from the enrolled embedding: rejected, no key.',
  OtherPerson: 'The probe is an unrelated embedding: rejected, no key.',
  Centred: 'Parameters with a centring mean.',
  Padding: 'n * r is not a multiple of 8: the last helper byte has padding bits.',
  Default: 'The recommended parameters for 128-d face embeddings.',
  InvalidParameters: 'A parameter is outside its range or of the wrong type.',
  InvalidInput: 'The key, salt, message or embedding is of the wrong length or value.',
  Malformed: 'Template bytes that do not decode.',
  Incompatible: 'A template made under another key or mean.',
} as const;

const fc = (dim: number, m: number, t: number, r: number): FuzzyCommitmentParams => ({ scheme: 'fuzzy-commitment', dim, m, t, r });
/** Parameters as a vector file writes them. */
const json = (p: FuzzyCommitmentParams): JsonValue => ({ ...p });
const SMALL = fc(128, 8, 18, 4);
const PADDED = fc(64, 6, 5, 3);
const DEFAULT = fc(128, 10, 150, 4);

/** An injected message of the right size with the bits beyond k cleared. */
function secret(p: FuzzyCommitmentParams, label: string): string {
  const b = labelBytes(`fuzzy/secret/${label}`, messageBytes(p));
  const k = _messageBits(p);
  if (k & 7) b[b.length - 1]! &= (1 << (k & 7)) - 1;
  return toHex(b);
}

function bindTests(p: FuzzyCommitmentParams, name: string, withMean: boolean): TestSpec[] {
  const key = vectorKey(`fuzzy/${name}`);
  const salt = vectorSalt(`fuzzy/${name}`);
  const x = gaussianish(`fuzzy/${name}`, p.dim);
  const other = gaussianish(`fuzzy/${name}/other`, p.dim);
  const flags = withMean ? ['Centred'] : [];
  const t = (comment: string, f: string[], probe: Float32Array, s = secret(p, name), sl = salt): TestSpec =>
    ({ comment, flags: [...flags, ...f], key, salt: sl, secret: s, embedding: f32ToHex(x), probe: f32ToHex(probe) });
  return [
    t('probe = enrolled embedding', ['Exact'], x),
    t('probe with small noise (cosine about 0.96)', ['Noisy'], perturbed(x, `fuzzy/${name}/n1`, 0.3)),
    t('probe with more noise (cosine about 0.9), another message', ['Noisy'], perturbed(x, `fuzzy/${name}/n2`, 0.45), secret(p, `${name}/2`)),
    t('probe with heavy noise (cosine about 0.55)', ['TooFar'], perturbed(x, `fuzzy/${name}/n3`, 1.5)),
    t('probe of another person', ['OtherPerson'], other),
    t('32-byte salt, small noise', ['Noisy'], perturbed(x, `fuzzy/${name}/n4`, 0.3), secret(p, name), vectorSalt(`fuzzy/${name}/long`, 32)),
  ];
}

function templateOf(p: FuzzyCommitmentParams, name: string): { bytes: Uint8Array; key: string; x: Float32Array } {
  const key = vectorKey(`fuzzy/${name}`);
  const x = gaussianish(`fuzzy/${name}`, p.dim);
  const t = bindKey(x, p, Uint8Array.from(Buffer.from(key, 'hex')), Uint8Array.from(Buffer.from(vectorSalt(`fuzzy/${name}`), 'hex')), Uint8Array.from(Buffer.from(secret(p, name), 'hex')));
  return { bytes: encodeBoundTemplate(t.template), key, x };
}

function patched(b: Uint8Array, at: number, v: number): string {
  const c = b.slice();
  c[at] = v;
  return toHex(c);
}

export const fuzzyCommitmentVectors: VectorGenerator = {
  file: 'fuzzy_commitment_v1.json',
  generate() {
    const mean = centringMean(128);
    const valid: GroupSpec[] = [
      { type: 'BindTest', params: json(SMALL), tests: bindTests(SMALL, 'small', false) },
      { type: 'BindTest', params: json(SMALL), mean: f32ToHex(mean), tests: bindTests(SMALL, 'centred', true) },
      { type: 'BindTest', params: json(PADDED), tests: bindTests(PADDED, 'padded', false).map((t) => ({ ...t, flags: [...(t.flags ?? []), 'Padding'] })) },
      { type: 'BindTest', params: json(DEFAULT), tests: bindTests(DEFAULT, 'default', false).slice(0, 4).map((t) => ({ ...t, flags: [...(t.flags ?? []), 'Default'] })) },
    ];
    const key = vectorKey('fuzzy/small');
    const salt = vectorSalt('fuzzy/small');
    const x = f32ToHex(gaussianish('fuzzy/small', 128));
    const bad = (comment: string, fields: Record<string, string>, error = 'RangeError'): TestSpec =>
      ({ comment, flags: ['InvalidInput'], key, salt, secret: secret(SMALL, 'small'), embedding: x, probe: x, ...fields, error });
    const badParams = (comment: string, params: unknown, error: string): GroupSpec =>
      ({ type: 'BindTest', params: params as never, tests: [{ comment, flags: ['InvalidParameters'], key, salt, secret: secret(SMALL, 'small'), embedding: x, probe: x, error }] });
    const tpl = templateOf(SMALL, 'small');
    const pad = templateOf(PADDED, 'padded');
    const saltLen = 16;
    const rel = (comment: string, flags: string[], template: string, error: string, k = tpl.key): TestSpec =>
      ({ comment, flags, key: k, template, probe: f32ToHex(tpl.x), error });
    const invalid: GroupSpec[] = [
      { type: 'BindTest', params: json(SMALL), tests: [
        bad('key of 31 bytes', { key: key.slice(0, 62) }),
        bad('salt of 15 bytes', { salt: salt.slice(0, 30) }),
        bad('message one byte short', { secret: secret(SMALL, 'small').slice(2) }),
        bad('message with a bit set beyond k', { secret: secret(SMALL, 'small').slice(0, -2) + 'f8' }),
        bad('embedding one entry short', { embedding: x.slice(8) }),
        bad('all-zero embedding', { embedding: f32ToHex(new Float32Array(128)) }),
      ] },
      badParams('m = 5', { ...SMALL, m: 5 }, 'RangeError'),
      badParams('m = 11', { ...SMALL, m: 11 }, 'RangeError'),
      badParams('r = 0', { ...SMALL, r: 0 }, 'RangeError'),
      badParams('r = 17', { ...SMALL, r: 17 }, 'RangeError'),
      badParams('t = 0', { ...SMALL, t: 0 }, 'RangeError'),
      badParams('t = 30 leaves fewer than 32 message bits', { ...SMALL, t: 30 }, 'RangeError'),
      badParams('n * r * dim above 2^25', fc(4096, 10, 66, 16), 'RangeError'),
      badParams('t given as a string', { ...SMALL, t: '18' }, 'TypeError'),
      badParams('scheme sign', { scheme: 'sign', dim: 128, bits: 64 }, 'RangeError'),
      { type: 'ReleaseTest', tests: [
        rel('truncated by one byte', ['Malformed'], toHex(tpl.bytes.subarray(0, tpl.bytes.length - 1)), 'MALFORMED'),
        rel('one trailing byte', ['Malformed'], toHex(Uint8Array.of(...tpl.bytes, 0)), 'MALFORMED'),
        rel('scheme id 3', ['Malformed'], patched(tpl.bytes, 5, 3), 'MALFORMED'),
        rel('m = 11', ['Malformed'], patched(tpl.bytes, 12, 11), 'MALFORMED'),
        rel('r = 0', ['Malformed'], patched(tpl.bytes, 10, 0), 'MALFORMED'),
        rel('salt length 15', ['Malformed'], patched(tpl.bytes, 13, 15), 'MALFORMED'),
        rel('format version 2', ['Malformed'], patched(tpl.bytes, 4, 2), 'UNSUPPORTED_VERSION'),
        rel('bad magic', ['Malformed'], patched(tpl.bytes, 0, 0), 'MALFORMED'),
        rel('helper padding bit set', ['Malformed', 'Padding'], patched(pad.bytes, 30 + saltLen + 23, pad.bytes[30 + saltLen + 23]! | 0x80), 'MALFORMED', pad.key),
        rel('made under another key', ['Incompatible'], toHex(tpl.bytes), 'INCOMPATIBLE', vectorKey('fuzzy/other')),
      ] },
    ];
    return envelope(fuzzyCommitmentChecker, { algorithm: 'templock fuzzy commitment v1', notes: NOTES, testGroups: [...valid, ...invalid] });
  },
};
