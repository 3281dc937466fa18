// The catalogue of single-rule mutants of the reference implementation, named by the SPEC.md
// section whose rule each breaks (vectors/mutants/run.ts applies one at a time to a copy of src/
// and verifies every vector file against it). Each replacement must match its file exactly once.
// `fast` marks the subset that `npm test` runs; `npm run vectors:mutants` runs them all.
// UNTESTABLE lists the normative rules that no vector can check, with the reason.

/** One mutant: a text replacement in one file of src/. */
export interface Mutant {
  readonly name: string;
  /** Path under src/. */
  readonly file: string;
  readonly find: string;
  readonly replace: string;
  readonly fast?: boolean;
}

export const MUTANTS: readonly Mutant[] = [
  // §2 canonicalisation
  { name: '§2 step 2: centring subtracted in float32', file: 'canonical.ts', find: 'c[i] = mean ? x[i]! - mean[i]! : x[i]!', replace: 'c[i] = mean ? Math.fround(x[i]! - mean[i]!) : x[i]!', fast: true },
  { name: '§2 step 3: sum of squares right to left', file: 'canonical.ts', find: 'for (let i = 0; i < d; i++) s += c[i]! * c[i]!;', replace: 'for (let i = d - 1; i >= 0; i--) s += c[i]! * c[i]!;', fast: true },
  { name: '§2 step 3: pairwise sum of squares', file: 'canonical.ts', find: 'for (let i = 0; i < d; i++) s += c[i]! * c[i]!;', replace: 'const sum = (a: number, b: number): number => (b - a <= 8 ? c.subarray(a, b).reduce((t, v) => t + v * v, 0) : sum(a, a + ((b - a) >> 1)) + sum(a + ((b - a) >> 1), b));\n  s = sum(0, d);' },
  {
    name: '§2 step 3: fused multiply-add (one rounding for c * c + s)', file: 'canonical.ts', find: 'for (let i = 0; i < d; i++) s += c[i]! * c[i]!;',
    replace: [
      'const dv = new DataView(new ArrayBuffer(8));',
      '  const parts = (v: number): [bigint, number] => { if (v === 0) return [0n, 0]; dv.setFloat64(0, v); const h = dv.getUint32(0), ex = (h >>> 20) & 0x7ff;',
      '    const m = (BigInt(h & 0xfffff) << 32n) | BigInt(dv.getUint32(4)) | (ex ? 1n << 52n : 0n); return [h >>> 31 ? -m : m, (ex || 1) - 1075]; };',
      '  for (let i = 0; i < d; i++) { const [mc, ec] = parts(c[i]!), [ms, es] = parts(s); const e = Math.min(2 * ec, es);',
      '    const r = Number(((mc * mc) << BigInt(2 * ec - e)) + (ms << BigInt(es - e))); s = e >= -1000 ? r * 2 ** e : (r * 2 ** (e + 600)) * 2 ** -600; }',
    ].join('\n'),
  },
  { name: '§2 step 4: an all-zero centred vector not rejected', file: 'canonical.ts', find: 'if (s === 0) {', replace: 'if (s < 0) {' },
  { name: '§2 step 5: the norm rounded to float32', file: 'canonical.ts', find: 'const n = Math.sqrt(s);', replace: 'const n = Math.fround(Math.sqrt(s));' },
  { name: '§2 step 6: halves rounded away from zero', file: 'canonical.ts', find: "return r - v === 0.5 && (r & 1) !== 0 ? r - 1 : r;", replace: 'return Math.sign(v) * Math.round(Math.abs(v));', fast: true },
  { name: '§2 step 6: scale 2^14 - 1', file: 'canonical.ts', find: 'export const CANONICAL_SCALE = 16384;', replace: 'export const CANONICAL_SCALE = 16383;' },
  // §3 key derivation and randomness
  { name: '§3.1 key id: another label', file: 'transforms/ids.ts', find: "enc.encode('templock/v1/key-id')", replace: "enc.encode('templock/v1/key-id ')" },
  { name: '§3.1 mean id: another label', file: 'transforms/ids.ts', find: "enc.encode('templock/v1/mean')", replace: "enc.encode('templock/v1/mean ')" },
  { name: '§3.1 mean id: -0 written as +0', file: 'transforms/ids.ts', find: 'dv.setFloat32(i * 4, mean[i]!, true);', replace: 'dv.setFloat32(i * 4, mean[i]! + 0, true);' },
  { name: '§3.2 stream key: salt and info swapped in HKDF', file: 'random/keystream.ts', find: 'return hkdf(sha256, key, salt, info, 32);', replace: 'return hkdf(sha256, key, info, salt, 32);', fast: true },
  { name: '§3.3 uniform: no rejection (plain modulo)', file: 'random/samplers.ts', find: 'if (r < limit) return r % n;', replace: 'return r % n;' },
  { name: '§3.4 partial permutation: backward Fisher–Yates', file: 'random/samplers.ts', find: 'const j = i + _uniform(ks, n - i);', replace: 'const j = n - 1 - i - _uniform(ks, n - i);' },
  { name: '§3.5 binomial weights: bytes of a pair swapped', file: 'random/samplers.ts', find: 'w[t] = POPCOUNT8[raw[b]!]! - POPCOUNT8[raw[b + 1]!]!;', replace: 'w[t] = POPCOUNT8[raw[b + 1]!]! - POPCOUNT8[raw[b]!]!;', fast: true },
  { name: '§3.3 sampler vectors: n up to 2^32 + 1', file: 'conformance/checkers/samplers.ts', find: "const n = aInt('n', num(test, 'n'), 1, 2 ** 32);", replace: "const n = aInt('n', num(test, 'n'), 1, 2 ** 32 + 1);" },
  { name: '§3.4 sampler vectors: k not bounded by n', file: 'conformance/checkers/samplers.ts', find: "const k = aInt('k', num(test, 'k'), 1, n);", replace: "const k = aInt('k', num(test, 'k'), 1, 4096);" },
  { name: '§1 sampler vectors: count up to 4097', file: 'conformance/checkers/samplers.ts', find: "const count = aInt('count', num(test, 'count'), 1, 4096);", replace: "const count = aInt('count', num(test, 'count'), 1, 4097);" },
  // §4 transforms
  { name: '§4.1 IoM-GRP: ties to the largest index', file: 'transforms/iom-grp.ts', find: 'if (s > best) { best = s; arg = t; }', replace: 'if (s >= best) { best = s; arg = t; }' },
  { name: '§4.2 IoM-URP: ties to the largest index', file: 'transforms/iom-urp.ts', find: 'if (z > best) { best = z; arg = i; }', replace: 'if (z >= best) { best = z; arg = i; }' },
  { name: '§4.2 IoM-URP: products in float32', file: 'transforms/iom-urp.ts', find: 'for (let r = 0; r < p.p; r++) z *= v[P[base + r * p.k + i]!]!;', replace: 'for (let r = 0; r < p.p; r++) z = Math.fround(z * v[P[base + r * p.k + i]!]!);' },
  { name: '§4.3 sign: a zero projection gives bit 1', file: 'transforms/sign-projection.ts', find: 'if (_projectRow(W, l, v) > 0) out', replace: 'if (_projectRow(W, l, v) >= 0) out' },
  { name: '§4.4 score: IoM counts unequal indices', file: 'transforms/index-of-max.ts', find: 'if (a[i] === b[i]) eq++;', replace: 'if (a[i] !== b[i]) eq++;', fast: true },
  // §1.1 parameter ranges
  { name: '§1.1 sign: bits a multiple of 8 (not 64)', file: 'transforms/sign-projection.ts', find: 'if (p.bits % 64 !== 0) throw', replace: 'if (p.bits % 8 !== 0) throw' },
  { name: '§1.1 IoM-GRP: no bound on m·q·d', file: 'transforms/iom-grp.ts', find: 'if (p.m * p.q * p.dim > IOM_GRP_MAX_WEIGHTS)', replace: 'if (p.m * p.q * p.dim > 4 * IOM_GRP_MAX_WEIGHTS)' },
  { name: '§1.1 IoM-URP: k bounded by 256 only, not by d', file: 'transforms/iom-urp.ts', find: "aInt('k', p.k, 2, Math.min(p.dim, 256));", replace: "aInt('k', p.k, 2, 256);" },
  { name: '§1.1 dimension: range not checked', file: 'transforms/registry.ts', find: "const dim = aInt('dim', (params as { dim?: unknown }).dim, DIM_MIN, DIM_MAX);", replace: "const dim = aInt('dim', (params as { dim?: unknown }).dim, 1, 65535);" },
  // §5 rule 8 (decoding side of §1.1)
  { name: '§5 rule 8: sign bits a multiple of 8 (not 64)', file: 'transforms/sign-projection.ts', find: 'p.bits <= 8192 && p.bits % 64 === 0 ? p : undefined', replace: 'p.bits <= 8192 && p.bits % 8 === 0 ? p : undefined' },
  { name: '§5 rule 8: IoM-GRP m·q·d not bounded', file: 'transforms/iom-grp.ts', find: '      p.m * p.q * dim <= IOM_GRP_MAX_WEIGHTS ? p : undefined;', replace: '      true ? p : undefined;' },
  { name: '§5 rule 8: IoM-GRP m above 4096 accepted', file: 'transforms/iom-grp.ts', find: 'return h.c === 0 && p.m >= IOM_M_MIN && p.m <= IOM_M_MAX && p.q >= 2', replace: 'return h.c === 0 && p.m >= IOM_M_MIN && p.q >= 2' },
  { name: '§5 rule 8: IoM-URP k bounded by 256 only, not by d', file: 'transforms/iom-urp.ts', find: 'p.k >= 2 && p.k <= Math.min(dim, 256) &&', replace: 'p.k >= 2 && p.k <= 256 &&' },
  { name: '§5 rules 3–4: the version checked before the magic', file: 'template.ts', find: "  for (let i = 0; i < 4; i++) if (bytes[i] !== TEMPLATE_MAGIC[i]) throw malformed('bad magic');\n  if (bytes[4] !== TEMPLATE_VERSION) throw new TemplockError('UNSUPPORTED_VERSION', `template: unsupported format version ${bytes[4]}`);", replace: "  if (bytes[4] !== TEMPLATE_VERSION) throw new TemplockError('UNSUPPORTED_VERSION', `template: unsupported format version ${bytes[4]}`);\n  for (let i = 0; i < 4; i++) if (bytes[i] !== TEMPLATE_MAGIC[i]) throw malformed('bad magic');" },
  { name: '§5 rules 4–5: the length checked before the version', file: 'template.ts', find: "  if (bytes[4] !== TEMPLATE_VERSION) throw new TemplockError('UNSUPPORTED_VERSION', `template: unsupported format version ${bytes[4]}`);\n  if (bytes.length < TEMPLATE_FIXED_BYTES) throw malformed('truncated header');", replace: "  if (bytes.length < TEMPLATE_FIXED_BYTES) throw malformed('truncated header');\n  if (bytes[4] !== TEMPLATE_VERSION) throw new TemplockError('UNSUPPORTED_VERSION', `template: unsupported format version ${bytes[4]}`);" },
  // §4.5 key binding
  { name: '§4.5.1 key binding: the projection depends on t', file: 'transforms/fuzzy-commitment.ts', find: 'block[3] = 0; //', replace: 'block[3] = block[3]!; //' },
  { name: '§4.5.1 key binding: slot = π mod n instead of floor(π / r)', file: 'transforms/fuzzy-commitment.ts', find: 'slot[l] = Math.floor(slot[l]! / p.r);', replace: 'slot[l] = slot[l]! % ((1 << p.m) - 1);' },
  { name: '§4.5.4 key binding: a tie votes 1', file: 'transforms/fuzzy-commitment.ts', find: 'word[j] = soft[j]! > 0 ? 1 : 0;', replace: 'word[j] = soft[j]! >= 0 ? 1 : 0;' },
  // §5 template format
  { name: '§5 rule 4: any version byte accepted', file: 'template.ts', find: "if (bytes[4] !== TEMPLATE_VERSION) throw", replace: 'if (bytes[4] === 0xff) throw' },
  { name: '§5 rule 7: dimension range not checked', file: 'template.ts', find: "  if (dim < DIM_MIN || dim > DIM_MAX) throw malformed('dimension out of range');\n  const params = scheme.fromHeader", replace: "  const params = scheme.fromHeader" },
  { name: '§5 rule 9: salt length range not checked', file: 'template.ts', find: "  if (saltLen < SALT_MIN_BYTES || saltLen > SALT_MAX_BYTES) throw malformed('salt length out of range');\n  const payloadLen", replace: '  const payloadLen' },
  { name: '§5 rule 11: trailing bytes accepted', file: 'template.ts', find: "  if (bytes.length > total) throw malformed('trailing bytes');\n  const payload = ", replace: '  const payload = ' },
  { name: '§5 rule 12: payload values not checked', file: 'template.ts', find: "if (!scheme.payloadValid(params, payload)) throw malformed('payload value out of range');", replace: '' },
  { name: '§5 encoding: payload values not checked', file: 'template.ts', find: "if (!s.payloadValid(params, payload)) throw new RangeError('\"template.payload\" holds values out of range for its parameters');", replace: '' },
  { name: '§5 encoding: salts of 15 bytes accepted', file: 'template.ts', find: "const salt = aBytes('template.salt', t.salt, SALT_MIN_BYTES, SALT_MAX_BYTES);\n  const keyId = aBytes('template.keyId', t.keyId, 8);\n  const meanId = aBytes('template.meanId', t.meanId, 8);\n  const s = _schemeOf(params);", replace: "const salt = aBytes('template.salt', t.salt, SALT_MIN_BYTES - 1, SALT_MAX_BYTES);\n  const keyId = aBytes('template.keyId', t.keyId, 8);\n  const meanId = aBytes('template.meanId', t.meanId, 8);\n  const s = _schemeOf(params);" },
  // §7 sealed records
  { name: '§7.4 rule 7: record version 0 accepted', file: 'storage/record.ts', find: 'if (hi > 0x1fffff || (hi === 0 && lo === 0)) throw', replace: 'if (hi > 0x1fffff) throw' },
  { name: '§7.4 rule 12: the key commitment not compared', file: 'storage/record.ts', find: 'if (key.algorithm !== rec.algorithm || !_equalBytes(key.commitment, rec.commitment)) throw decryptFailed();', replace: 'if (key.algorithm !== rec.algorithm) throw decryptFailed();' },
  { name: '§7.3 context: an empty field accepted', file: 'validate.ts', find: 'if (bytes.length === 0 || bytes.length > maxBytes)', replace: 'if (bytes.length > maxBytes)' },
  { name: '§7.3 context: fields up to 256 bytes', file: 'validate.ts', find: 'export function aUtf8(name: string, value: unknown, maxBytes = 255): Uint8Array {', replace: 'export function aUtf8(name: string, value: unknown, maxBytes = 256): Uint8Array {' },
  { name: '§7.3 context: lone surrogates accepted', file: 'validate.ts', find: 'if (bytes.length !== value.length && LONE_SURROGATE.test(value))', replace: 'if (bytes.length !== value.length && LONE_SURROGATE.test(value) && false)' },
  { name: '§7.4 rule 11: a disabled key opens records', file: 'storage/keyring.ts', find: "if (e.status !== 'enabled') throw new TemplockError('KEY_DISABLED', `record: sealed under a key that is ${e.status}`);", replace: "if (e.status === 'destroyed') throw new TemplockError('KEY_DISABLED', `record: sealed under a key that is ${e.status}`);" },
  { name: '§7.4 rules 2–3: the length checked before the format version', file: 'storage/record.ts', find: "  if (format < 1 || format > maxFormat) throw new TemplockError('UNSUPPORTED_VERSION', `record: unsupported format version ${format}`);\n  const fixed = format === 1 ? RECORD_FIXED_BYTES : RECORD_V2_FIXED_BYTES;\n  if (bytes.length < fixed) throw malformed('truncated header');", replace: "  if (bytes.length < RECORD_FIXED_BYTES) throw malformed('truncated header');\n  if (format < 1 || format > maxFormat) throw new TemplockError('UNSUPPORTED_VERSION', `record: unsupported format version ${format}`);\n  const fixed = format === 1 ? RECORD_FIXED_BYTES : RECORD_V2_FIXED_BYTES;\n  if (bytes.length < fixed) throw malformed('truncated header');" },
  // §1.1 parameter types
  { name: '§1.1 params: a non-string scheme is a RangeError', file: 'transforms/registry.ts', find: "if (typeof scheme !== 'string') throw new TypeError(`\"params.scheme\" expected string, got ${typeof scheme}`);", replace: "if (typeof scheme !== 'string') throw new RangeError(`\"params.scheme\" expected string, got ${typeof scheme}`);" },
  { name: '§1.1 params: not an object is a RangeError', file: 'transforms/registry.ts', find: "if (typeof params !== 'object' || params === null) throw new TypeError(`\"params\" expected object", replace: "if (typeof params !== 'object' || params === null) throw new RangeError(`\"params\" expected object" },
  // §7.6, §7.8 manifest and change feed
  { name: '§7.6 manifest key: another HKDF label', file: 'storage/manifest-codec.ts', find: "utf8ToBytes('templock/v1/manifest/mac')", replace: "utf8ToBytes('templock/v1/manifest/mac2')" },
  { name: '§7.8 change MAC: another label', file: 'storage/change-mac.ts', find: "utf8ToBytes('templock/v1/feed/change')", replace: "utf8ToBytes('templock/v1/feed/changes')" },
  // §8 keyring export
  { name: '§8.1 Argon2id bounds not checked', file: 'storage/keyring-export.ts', find: "if (!_argon2InBounds(cost)) throw malformed('argon2id cost outside the accepted bounds');", replace: '' },
  { name: '§8.1 an empty wrapper label accepted', file: 'storage/keyring-export.ts', find: "if (labelLen < 1) throw malformed('empty wrapper label');", replace: '' },
  { name: '§8.4 a repeated key id accepted', file: 'storage/keyring-export.ts', find: "if (ids.has(id)) throw malformed('duplicate key id');", replace: '' },
  { name: '§8.4 a primary key that is not enabled accepted', file: 'storage/keyring-export.ts', find: "if (entries[primaryIndex]!.status !== 'enabled') throw malformed('primary key is not enabled');", replace: '' },
  { name: '§8.4 trailing body bytes accepted', file: 'storage/keyring-export.ts', find: "if (o !== body.length) throw malformed('trailing bytes');", replace: '' },
  { name: '§8.4 creation times up to 2^64 accepted', file: 'storage/keyring-export.ts', find: "if (createdAt > BigInt(Number.MAX_SAFE_INTEGER)) throw malformed('creation time out of range');", replace: '' },
  // §4.5.5 credentials
  { name: '§4.5.5 credential: the released key used without HKDF', file: 'transforms/credential.ts', find: 'return hkdf(sha256, aBytes(\'key\', key, RELEASED_KEY_BYTES), new Uint8Array(0), INFO, 32);', replace: "return Uint8Array.from(aBytes('key', key, RELEASED_KEY_BYTES));" },
];

/** Normative rules that vectors cannot check, and why. */
export const UNTESTABLE: ReadonlyArray<{ readonly rule: string; readonly reason: string }> = [
  { rule: '§4.5.3 the message comes from a CSPRNG', reason: 'randomness is not observable in one output; vectors inject the message' },
  { rule: '§5 a decoder MUST NOT allocate more than the input length justifies', reason: 'memory use is not an output; covered by the fuzz suites (test/transforms/template-decode, test/storage/fuzz)' },
  { rule: '§7.4 sealing draws a fresh random nonce', reason: 'vectors inject the nonce; uniqueness is not observable in one record' },
  { rule: '§7.4 rule 12, the AEAD half: the key\'s AEAD differs from the record\'s', reason: 'a record opened under the other AEAD\'s key fails rule 13 with the same DECRYPT_FAILED, so no vector separates the two' },
  { rule: '§8.1 the Argon2id costs are checked before any work', reason: 'the order of work is not an output (keyring_v1.json refuses out-of-bound headers; test/storage/keyring-export times a refused file)' },
  { rule: '§8.2 a passphrase export opens under Argon2id of the passphrase', reason: 'keyring_v1.json covers the key-wrapper protection; Argon2id itself is RFC 9106 (test/storage/argon2id checks its vectors), and a valid passphrase vector would cost every port a full Argon2id run' },
];
