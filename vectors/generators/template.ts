// template_v1.json: template bytes and their decoded fields (SPEC.md §5): templates made by
// protect and templates at the edges of every range, then every decode rejection rule.
import { templateChecker } from '../../src/conformance/checkers/template.js';
import { toHex } from '../../src/conformance/index.js';
import { encodeTemplate } from '../../src/template.js';
import { protect } from '../../src/transforms/protect.js';
import type { TransformParams } from '../../src/transforms/scheme.js';
import { centringMean } from './_embeddings.js';
import { envelope, type TestSpec, type VectorGenerator } from './_envelope.js';
import { gaussianish, labelBytes } from './_inputs.js';

const NOTES = {
  Protected: 'Made by protect() from an embedding.',
  Crafted: 'Encoded from chosen fields (payload values at the edge of their range).',
  Centred: 'A non-zero mean identifier.',
  LongSalt: 'A 32-byte salt.',
  EdgeParameters: 'Parameters at an edge of their range.',
  Truncated: 'Shorter than its header says.',
  Trailing: 'Longer than its header says.',
  BadMagic: 'Does not start with "TLPT".',
  UnsupportedVersion: 'Format version other than 1.',
  UnknownScheme: 'Scheme id other than 1, 2, 3.',
  ParameterRange: 'Dimension or scheme parameters out of range.',
  SaltLength: 'Salt length outside 16..32.',
  PayloadRange: 'A payload index not below q (IoM-GRP) or k (IoM-URP).',
} as const;

const key = labelBytes('key/template/1', 32);
const salt = labelBytes('salt/template/1', 16);
const keyId = labelBytes('template/key-id', 8);
const meanId = labelBytes('template/mean-id', 8);

function made(params: TransformParams, withMean = false, s = salt): Uint8Array {
  const x = gaussianish(`template/${params.dim}`, params.dim);
  return encodeTemplate(protect(x, withMean ? { ...params, mean: centringMean(params.dim) } : params, key, s));
}

/** Template bytes from chosen fields; payload byte i is `value(i)`. */
function crafted(params: TransformParams, saltBytes: number, payloadBytes: number, value: (i: number) => number): Uint8Array {
  return encodeTemplate({ params, salt: labelBytes(`template/salt/${saltBytes}`, saltBytes), keyId, meanId, payload: Uint8Array.from({ length: payloadBytes }, (_, i) => value(i)) });
}

/** A copy of `bytes` with `at` overwritten: numbers are single bytes, [n] a u16 little-endian. */
function patched(bytes: Uint8Array, at: number, value: number | [number]): Uint8Array {
  const out = Uint8Array.from(bytes);
  if (Array.isArray(value)) new DataView(out.buffer).setUint16(at, value[0], true);
  else out[at] = value;
  return out;
}

const ok = (comment: string, flags: string[], bytes: Uint8Array): TestSpec => ({ comment, flags, template: toHex(bytes) });
const no = (comment: string, flags: string[], bytes: Uint8Array, error = 'MALFORMED'): TestSpec => ({ comment, flags, template: toHex(bytes), error });

export const templateVectors: VectorGenerator = {
  file: 'template_v1.json',
  generate: () => {
    const grp = made({ scheme: 'iom-grp', dim: 128, m: 64, q: 8 });
    const urp = made({ scheme: 'iom-urp', dim: 128, m: 64, k: 16, p: 2 });
    const sgn = made({ scheme: 'sign', dim: 128, bits: 256 });
    const enc = (s: string) => new TextEncoder().encode(s);
    return envelope(templateChecker, {
      algorithm: 'templock template format v1',
      notes: NOTES,
      testGroups: [
        { type: 'TemplateTest', tests: [
          ok('IoM-GRP, dim 128, m 64, q 8', ['Protected'], grp),
          ok('IoM-URP, dim 128, m 64, k 16, p 2', ['Protected'], urp),
          ok('sign, dim 128, 256 bits', ['Protected'], sgn),
          ok('IoM-GRP, centred', ['Protected', 'Centred'], made({ scheme: 'iom-grp', dim: 128, m: 16, q: 4 }, true)),
          ok('sign, 32-byte salt', ['Protected', 'LongSalt'], made({ scheme: 'sign', dim: 512, bits: 512 }, false, labelBytes('salt/template/32', 32))),
          ok('IoM-GRP, q 256, payload indices 0..255', ['Crafted', 'EdgeParameters'], crafted({ scheme: 'iom-grp', dim: 32, m: 256, q: 256 }, 16, 256, (i) => 255 - i)),
          ok('IoM-GRP, m 4096, q 2, dim 32', ['Crafted', 'EdgeParameters'], crafted({ scheme: 'iom-grp', dim: 32, m: 4096, q: 2 }, 20, 4096, (i) => (i >> 3) & 1)),
          ok('IoM-GRP, m 16, q 2, dim 4096', ['Crafted', 'EdgeParameters'], crafted({ scheme: 'iom-grp', dim: 4096, m: 16, q: 2 }, 16, 16, (i) => i & 1)),
          ok('IoM-URP, k 256, p 3, dim 256, indices up to 255', ['Crafted', 'EdgeParameters'], crafted({ scheme: 'iom-urp', dim: 256, m: 16, k: 256, p: 3 }, 16, 16, (i) => 255 - 16 * i)),
          ok('IoM-URP, k = dim = 32, p 1', ['Crafted', 'EdgeParameters'], crafted({ scheme: 'iom-urp', dim: 32, m: 16, k: 32, p: 1 }, 32, 16, (i) => 31 - i)),
          ok('sign, 8192 bits, dim 4096, all ones', ['Crafted', 'EdgeParameters'], crafted({ scheme: 'sign', dim: 4096, bits: 8192 }, 16, 1024, () => 255)),
          ok('sign, 64 bits, dim 32', ['Crafted', 'EdgeParameters'], crafted({ scheme: 'sign', dim: 32, bits: 64 }, 16, 8, (i) => 1 << i)),
        ] },
        { type: 'TemplateTest', tests: [
          no('empty', ['Truncated'], new Uint8Array(0)),
          no('magic only', ['Truncated'], enc('TLPT')),
          no('magic and version 1 only', ['Truncated'], enc('TLPT\x01')),
          no('magic and version 2 only', ['UnsupportedVersion'], enc('TLPT\x02'), 'UNSUPPORTED_VERSION'),
          no('bad magic "TLPX"', ['BadMagic'], patched(grp, 3, 0x58)),
          no('lower-case magic "tlpt"', ['BadMagic'], Uint8Array.of(0x74, 0x6c, 0x70, 0x74, ...grp.subarray(4))),
          no('version 0', ['UnsupportedVersion'], patched(grp, 4, 0), 'UNSUPPORTED_VERSION'),
          no('version 2', ['UnsupportedVersion'], patched(grp, 4, 2), 'UNSUPPORTED_VERSION'),
          no('version 255, truncated after the version', ['UnsupportedVersion'], patched(grp, 4, 255).subarray(0, 6), 'UNSUPPORTED_VERSION'),
          no('29 bytes: header truncated', ['Truncated'], grp.subarray(0, 29)),
          no('scheme id 0', ['UnknownScheme'], patched(grp, 5, 0)),
          no('scheme id 4', ['UnknownScheme'], patched(grp, 5, 4)),
          no('scheme id 255', ['UnknownScheme'], patched(grp, 5, 255)),
          no('dim 31', ['ParameterRange'], patched(grp, 6, [31])),
          no('dim 4097', ['ParameterRange'], patched(grp, 6, [4097])),
          no('IoM-GRP m 15', ['ParameterRange'], patched(grp, 8, [15])),
          no('IoM-GRP m 4097', ['ParameterRange'], patched(grp, 8, [4097])),
          no('IoM-GRP q 1', ['ParameterRange'], patched(grp, 10, [1])),
          no('IoM-GRP q 257', ['ParameterRange'], patched(grp, 10, [257])),
          no('IoM-GRP c 1 (must be 0)', ['ParameterRange'], patched(grp, 12, 1)),
          no('IoM-GRP m * q * dim = 2^28', ['ParameterRange'], patched(patched(patched(grp, 6, [4096]), 8, [4096]), 10, [16])),
          no('IoM-URP k 1', ['ParameterRange'], patched(urp, 10, [1])),
          no('IoM-URP k 129 > dim 128', ['ParameterRange'], patched(urp, 10, [129])),
          no('IoM-URP p 0', ['ParameterRange'], patched(urp, 12, 0)),
          no('IoM-URP p 4', ['ParameterRange'], patched(urp, 12, 4)),
          no('sign bits 0', ['ParameterRange'], patched(sgn, 8, [0])),
          no('sign bits 100 (not a multiple of 64)', ['ParameterRange'], patched(sgn, 8, [100])),
          no('sign bits 8256', ['ParameterRange'], patched(sgn, 8, [8256])),
          no('sign b 1 (must be 0)', ['ParameterRange'], patched(sgn, 10, [1])),
          no('sign c 1 (must be 0)', ['ParameterRange'], patched(sgn, 12, 1)),
          no('salt length 15', ['SaltLength'], patched(grp, 13, 15)),
          no('salt length 33', ['SaltLength'], patched(grp, 13, 33)),
          no('salt length 0', ['SaltLength'], patched(grp, 13, 0)),
          no('salt length 17 for the same bytes: one byte short', ['Truncated'], patched(grp, 13, 17)),
          no('payload one byte short', ['Truncated'], grp.subarray(0, grp.length - 1)),
          no('one trailing byte', ['Trailing'], Uint8Array.of(...grp, 0)),
          no('sign, one trailing byte', ['Trailing'], Uint8Array.of(...sgn, 0)),
          no('IoM-GRP payload index 8 = q', ['PayloadRange'], patched(grp, grp.length - 1, 8)),
          no('IoM-GRP payload index 255', ['PayloadRange'], patched(grp, 46, 255)),
          no('IoM-URP payload index 16 = k', ['PayloadRange'], patched(urp, 46, 16)),
        ] },
      ],
    });
  },
};
