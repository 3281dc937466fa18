// template_v1_1.json (conformance v1.1): template bytes whose length matches their one bad field,
// so that only the rule on that field can reject them — a salt length outside 16..32, sign bits a
// multiple of 8 but not of 64, IoM-GRP m above 4096 or m·q·d above 2^26, IoM-URP k above d or
// above 256 — and the order of the first rules where two fail at once.
import { templateChecker } from '../../src/conformance/checkers/template.js';
import { toHex } from '../../src/conformance/index.js';
import { TEMPLATE_MAGIC } from '../../src/template.js';
import { envelope, type TestSpec, type VectorGenerator } from './_envelope.js';
import { labelBytes } from './_inputs.js';

const NOTES = {
  LengthMatches: 'The length is exactly what the header fields imply, so no truncation or trailing-bytes rule applies.',
  SaltLength: 'Salt length outside 16..32.',
  ParameterRange: 'A scheme parameter out of range (SPEC.md §1.1).',
  CheckOrder: 'Two rules fail; the first in SPEC.md §5 order decides the error.',
} as const;

/** Template bytes from raw header fields: scheme id, d, (a, b, c), salt length, payload length. */
function raw(id: number, d: number, a: number, b: number, c: number, saltLen: number, payloadLen: number, payloadByte = 0): Uint8Array {
  const out = new Uint8Array(30 + saltLen + payloadLen);
  out.set(TEMPLATE_MAGIC, 0);
  out[4] = 1;
  const dv = new DataView(out.buffer);
  out[5] = id;
  dv.setUint16(6, d, true);
  dv.setUint16(8, a, true);
  dv.setUint16(10, b, true);
  out[12] = c;
  out[13] = saltLen;
  out.set(labelBytes('template-v1-1/key-id', 8), 14);
  out.set(labelBytes('template-v1-1/mean-id', 8), 22);
  out.set(labelBytes(`template-v1-1/salt/${saltLen}`, saltLen), 30);
  out.fill(payloadByte, 30 + saltLen);
  return out;
}

const no = (comment: string, flags: string[], bytes: Uint8Array, error = 'MALFORMED'): TestSpec => ({ comment, flags, template: toHex(bytes), error });
const ok = (comment: string, flags: string[], bytes: Uint8Array): TestSpec => ({ comment, flags, template: toHex(bytes) });

export const templateV11Vectors: VectorGenerator = {
  file: 'template_v1_1.json',
  generate: () => {
    const sign72 = raw(3, 128, 72, 0, 0, 16, 9);
    const badMagic = raw(3, 128, 64, 0, 0, 16, 8);
    badMagic[0] = 0x58;
    badMagic[4] = 2;
    return envelope(templateChecker, {
      algorithm: 'templock protected template v1 (conformance v1.1 additions)',
      notes: NOTES,
      testGroups: [{
        type: 'TemplateTest',
        tests: [
          no('sign, 15-byte salt, length 30 + 15 + 8', ['SaltLength', 'LengthMatches'], raw(3, 128, 64, 0, 0, 15, 8)),
          no('sign, 33-byte salt, length 30 + 33 + 8', ['SaltLength', 'LengthMatches'], raw(3, 128, 64, 0, 0, 33, 8)),
          no('IoM-GRP, 0-byte salt, length 30 + 0 + 16', ['SaltLength', 'LengthMatches'], raw(1, 32, 16, 2, 0, 0, 16)),
          no('sign, bits 72 (a multiple of 8, not of 64), 9 payload bytes', ['ParameterRange', 'LengthMatches'], sign72),
          no('sign, bits 8256, 1032 payload bytes', ['ParameterRange', 'LengthMatches'], raw(3, 32, 8256, 0, 0, 16, 1032)),
          ok('sign, bits 8192 (the largest), 1024 payload bytes', ['LengthMatches'], raw(3, 32, 8192, 0, 0, 16, 1024)),
          no('IoM-GRP, m 4097, 4097 payload bytes', ['ParameterRange', 'LengthMatches'], raw(1, 32, 4097, 2, 0, 16, 4097)),
          no('IoM-GRP, m·q·d = 4096·8·4096 = 2^27 > 2^26, 4096 payload bytes', ['ParameterRange', 'LengthMatches'], raw(1, 4096, 4096, 8, 0, 16, 4096)),
          ok('IoM-GRP, m·q·d = 4096·4·4096 = 2^26 (the largest), 4096 payload bytes', ['LengthMatches'], raw(1, 4096, 4096, 4, 0, 16, 4096)),
          no('IoM-URP, d 32, k 33 (above d), 16 payload bytes', ['ParameterRange', 'LengthMatches'], raw(2, 32, 16, 33, 1, 16, 16)),
          no('IoM-URP, d 512, k 257 (above 256), 16 payload bytes', ['ParameterRange', 'LengthMatches'], raw(2, 512, 16, 257, 1, 16, 16)),
          ok('IoM-URP, d 512, k 256, 16 payload bytes', ['LengthMatches'], raw(2, 512, 16, 256, 1, 16, 16)),
          no('bad magic and version 2: the magic decides', ['CheckOrder'], badMagic),
          no('version 2, 10 bytes long: the version decides before the length', ['CheckOrder'], (() => { const b = raw(3, 128, 64, 0, 0, 16, 8).slice(0, 10); b[4] = 2; return b; })(), 'UNSUPPORTED_VERSION'),
        ],
      }],
    });
  },
};
