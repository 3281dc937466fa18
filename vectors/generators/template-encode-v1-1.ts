// template_encode_v1_1.json (conformance v1.1): template encoding (SPEC.md §5 "Encoding"), valid
// fields at their edges and every field out of range: parameters, salt length, key and mean id
// lengths, payload length and payload values (RangeError).
import { templateEncodeChecker } from '../../src/conformance/checkers/template-encode.js';
import { toHex, type JsonValue } from '../../src/conformance/index.js';
import { envelope, type TestSpec, type VectorGenerator } from './_envelope.js';
import { labelBytes } from './_inputs.js';

const NOTES = {
  Valid: 'Fields in range: the encoding.',
  OutOfRange: 'A field out of range: RangeError.',
} as const;

const hex = (label: string, n: number) => toHex(labelBytes(`template-encode/${label}`, n));
const GRP = { scheme: 'iom-grp', dim: 32, m: 16, q: 4 };
const URP = { scheme: 'iom-urp', dim: 32, m: 16, k: 8, p: 2 };
const SIGN = { scheme: 'sign', dim: 32, bits: 64 };
const fields = (params: JsonValue, payload: string, over: Record<string, string> = {}) =>
  ({ params, salt: hex('salt', 16), keyId: hex('key-id', 8), meanId: hex('mean-id', 8), payload, ...over });
const ok = (comment: string, f: Record<string, JsonValue>): TestSpec => ({ comment, flags: ['Valid'], ...f });
const no = (comment: string, f: Record<string, JsonValue>): TestSpec => ({ comment, flags: ['OutOfRange'], ...f, error: 'RangeError' });
const bytes = (values: readonly number[]) => toHex(Uint8Array.from(values));

export const templateEncodeV11Vectors: VectorGenerator = {
  file: 'template_encode_v1_1.json',
  generate: () => envelope(templateEncodeChecker, {
    algorithm: 'templock protected template v1 encoding (conformance v1.1 additions)',
    notes: NOTES,
    testGroups: [{ type: 'TemplateEncode', tests: [
      ok('IoM-GRP, payload values up to q - 1', fields(GRP, bytes(Array.from({ length: 16 }, (_, i) => i % 4)))),
      ok('IoM-URP, 32-byte salt', fields(URP, bytes(Array.from({ length: 16 }, (_, i) => i % 8)), { salt: hex('salt32', 32) })),
      ok('sign, 8 payload bytes', fields(SIGN, hex('sign', 8))),
      no('IoM-GRP, a payload value equal to q', fields(GRP, bytes(Array.from({ length: 16 }, (_, i) => (i === 7 ? 4 : 0))))),
      no('IoM-URP, a payload value equal to k', fields(URP, bytes(Array.from({ length: 16 }, (_, i) => (i === 0 ? 8 : 0))))),
      no('sign, 7 payload bytes', fields(SIGN, hex('sign7', 7))),
      no('sign, 9 payload bytes', fields(SIGN, hex('sign9', 9))),
      no('salt of 15 bytes', fields(SIGN, hex('sign', 8), { salt: hex('salt15', 15) })),
      no('salt of 33 bytes', fields(SIGN, hex('sign', 8), { salt: hex('salt33', 33) })),
      no('key id of 7 bytes', fields(SIGN, hex('sign', 8), { keyId: hex('key-id7', 7) })),
      no('mean id of 9 bytes', fields(SIGN, hex('sign', 8), { meanId: hex('mean-id9', 9) })),
      no('parameters out of range: sign bits 72', fields({ scheme: 'sign', dim: 32, bits: 72 }, hex('sign', 9))),
      no('parameters out of range: IoM-GRP q 1', fields({ scheme: 'iom-grp', dim: 32, m: 16, q: 1 }, bytes(new Array(16).fill(0)))),
    ] }],
  }),
};
