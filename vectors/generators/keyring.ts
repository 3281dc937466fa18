// keyring_v1.json: keyring exports (SPEC.md §8) protected by the in-process key wrapper, built
// here from the layout of §8.1, the blobs of §8.3 and the body of §8.4 with injected keys and
// nonces: one key, several keys of both AEADs with a disabled and a destroyed one; then every
// import check — magic, version, protection, header fields, Argon2id bounds of a passphrase
// header (refused before any work), a wrong key-encryption key or label, changed bytes, and each
// body rule (sealed correctly, so only that rule can refuse it).
import { keyringChecker } from '../../src/conformance/checkers/keyring.js';
import { toHex } from '../../src/conformance/index.js';
import { _sealBlob } from '../../src/storage/blob.js';
import { _deriveSealKey } from '../../src/storage/key-material.js';
import { envelope, type TestSpec, type VectorGenerator } from './_envelope.js';
import { labelBytes } from './_inputs.js';

const NOTES = {
  Valid: 'A well-formed export: the keys and the primary are listed.',
  Destroyed: 'A destroyed key: its id and metadata stay, its 32 bytes are absent.',
  Header: 'A header field out of range or of the wrong form (SPEC.md §8.1).',
  Argon2Bounds: 'A passphrase header whose Argon2id cost is outside the bounds: refused before any work.',
  WrongKey: 'Another key-encryption key, or another label in the header.',
  Modified: 'A byte of the wrapped key or of the sealed body changed.',
  Body: 'The body, sealed correctly, breaks one rule of SPEC.md §8.4.',
} as const;

const enc = new TextEncoder();
const KEK = labelBytes('keyring/kek', 32);
const LABEL = 'device-kek';

interface Key { readonly material?: Uint8Array; readonly id?: Uint8Array; readonly alg: 1 | 2; readonly status: 1 | 2 | 3; readonly created: bigint }

/** The §7.1 key id of a storage key. */
function idOf(material: Uint8Array, alg: 1 | 2): Uint8Array {
  return _deriveSealKey(material, 'record', alg === 1 ? 'xchacha20-poly1305' : 'aes-256-gcm-siv').keyId;
}

/** A body (§8.4): u16le(count) || u16le(primary) || per key: id || alg || status || u64le(created) || key. */
function body(keys: readonly Key[], primary: number, count = keys.length, trailing = 0): Uint8Array {
  const parts: number[] = [count & 0xff, count >> 8, primary & 0xff, primary >> 8];
  for (const k of keys) {
    parts.push(...(k.id ?? idOf(k.material!, k.alg)), k.alg, k.status);
    for (let i = 0n; i < 8n; i++) parts.push(Number((k.created >> (8n * i)) & 0xffn));
    if (k.status !== 3) parts.push(...k.material!);
  }
  for (let i = 0; i < trailing; i++) parts.push(0);
  return Uint8Array.from(parts);
}

/** An export under the key wrapper: header (§8.1, protection 2) and the sealed body (§8.3). */
function exported(plain: Uint8Array, label: string, n: string, edit?: (header: Uint8Array) => void): Uint8Array {
  const l = enc.encode(label);
  const prefix = Uint8Array.of(0x54, 0x4c, 0x4b, 0x52, 1, 2, l.length, ...l);
  const dataKey = labelBytes(`keyring/data-key/${n}`, 32);
  const wrapped = _sealBlob(_deriveSealKey(KEK, 'wrap', 'xchacha20-poly1305'), dataKey, prefix, labelBytes(`keyring/wrap-nonce/${n}`, 24));
  const header = Uint8Array.of(...prefix, wrapped.length & 0xff, wrapped.length >> 8, ...wrapped);
  edit?.(header);
  const blob = _sealBlob(_deriveSealKey(dataKey, 'keyring', 'xchacha20-poly1305'), plain, header, labelBytes(`keyring/body-nonce/${n}`, 24));
  return Uint8Array.of(...header, ...blob);
}

const key = (n: string, alg: 1 | 2, status: 1 | 2 | 3, created: bigint): Key => ({ material: labelBytes(`keyring/key/${n}`, 32), alg, status, created });

function tests(): TestSpec[] {
  const k1 = key('1', 1, 1, 1_764_000_000_000n), k2 = key('2', 2, 1, 1_764_000_100_000n), k3 = key('3', 1, 2, 1_700_000_000_000n), k4 = key('4', 2, 3, 1_600_000_000_000n);
  const t = (comment: string, flags: string[], bytes: Uint8Array, error?: string, kek = KEK, label = LABEL): TestSpec =>
    ({ comment, flags, kek: toHex(kek), label, export: toHex(bytes), ...(error ? { error } : {}) });
  const one = exported(body([k1], 0), LABEL, 'one');
  const many = exported(body([k3, k1, k4, k2], 1), LABEL, 'many');
  const flip = (b: Uint8Array, at: number) => { const c = Uint8Array.from(b); c[at]! ^= 1; return c; };
  const passphrase = (m: number, tt: number, p: number, saltLen = 16): Uint8Array => {
    const h = new Uint8Array(16 + saltLen + 80);
    h.set([0x54, 0x4c, 0x4b, 0x52, 1, 1]);
    new DataView(h.buffer).setUint32(6, m, true);
    new DataView(h.buffer).setUint32(10, tt, true);
    h[14] = p;
    h[15] = saltLen;
    return h;
  };
  const labelAt = 7, wrappedLenAt = 7 + LABEL.length;
  return [
    t('one enabled XChaCha20-Poly1305 key', ['Valid'], one),
    t('four keys: disabled, primary, destroyed, AES-256-GCM-SIV', ['Valid', 'Destroyed'], many),
    t('bad magic', ['Header'], flip(one, 0), 'MALFORMED'),
    t('format version 2', ['Header'], (() => { const c = Uint8Array.from(one); c[4] = 2; return c; })(), 'UNSUPPORTED_VERSION'),
    t('protection 3', ['Header'], (() => { const c = Uint8Array.from(one); c[5] = 3; return c; })(), 'MALFORMED'),
    t('5 bytes', ['Header'], one.subarray(0, 5), 'MALFORMED'),
    t('label length 0', ['Header'], (() => { const c = Uint8Array.from(one); c[6] = 0; return c; })(), 'MALFORMED'),
    t('an empty label, wrapped consistently with it', ['Header'], exported(body([k1], 0), '', 'empty-label'), 'MALFORMED', KEK, ''),
    t('label not UTF-8', ['Header'], exported(body([k1], 0), LABEL, 'bad-label', (h) => { h[labelAt] = 0xff; }), 'MALFORMED'),
    t('wrapped key length 0', ['Header'], (() => { const c = Uint8Array.from(one); c[wrappedLenAt] = 0; c[wrappedLenAt + 1] = 0; return c; })(), 'MALFORMED'),
    t('wrapped key length 4097', ['Header'], (() => { const c = Uint8Array.from(one); c[wrappedLenAt] = 0x01; c[wrappedLenAt + 1] = 0x10; return c; })(), 'MALFORMED'),
    t('passphrase header, m = 19455 KiB (below the bound)', ['Argon2Bounds'], passphrase(19455, 3, 1), 'MALFORMED'),
    t('passphrase header, m = 262145 KiB (above the bound)', ['Argon2Bounds'], passphrase(262145, 3, 1), 'MALFORMED'),
    t('passphrase header, t = 1', ['Argon2Bounds'], passphrase(65536, 1, 1), 'MALFORMED'),
    t('passphrase header, t = 17', ['Argon2Bounds'], passphrase(65536, 17, 1), 'MALFORMED'),
    t('passphrase header, p = 9', ['Argon2Bounds'], passphrase(65536, 3, 9), 'MALFORMED'),
    t('passphrase header, p = 0', ['Argon2Bounds'], passphrase(65536, 3, 0), 'MALFORMED'),
    t('passphrase header, salt of 15 bytes', ['Header'], passphrase(65536, 3, 1, 15), 'MALFORMED'),
    t('another key-encryption key', ['WrongKey'], one, 'DECRYPT_FAILED', labelBytes('keyring/other-kek', 32)),
    t('the label changed in the header after wrapping (the wrapped key authenticates it)', ['WrongKey'], exported(body([k1], 0), LABEL, 'other-label', (h) => { h[labelAt + LABEL.length - 1] = 0x7a; }), 'DECRYPT_FAILED'),
    t('a wrapped-key byte changed', ['Modified'], flip(one, wrappedLenAt + 2 + 40), 'DECRYPT_FAILED'),
    t('the last byte changed (body tag)', ['Modified'], flip(one, one.length - 1), 'DECRYPT_FAILED'),
    t('body: count 0', ['Body'], exported(body([], 0, 0), LABEL, 'count0'), 'MALFORMED'),
    t('body: count 2, one key', ['Body'], exported(body([k1], 0, 2), LABEL, 'count2'), 'MALFORMED'),
    t('body: a trailing byte', ['Body'], exported(body([k1], 0, 1, 1), LABEL, 'trailing'), 'MALFORMED'),
    t('body: primary index 1 of 1 key', ['Body'], exported(body([k1], 1), LABEL, 'primary-range'), 'MALFORMED'),
    t('body: the primary key disabled', ['Body'], exported(body([k3, k1], 0), LABEL, 'primary-disabled'), 'MALFORMED'),
    t('body: algorithm 3', ['Body'], exported(body([{ ...k1, alg: 3 as 1, id: idOf(k1.material!, 1) }], 0), LABEL, 'alg3'), 'MALFORMED'),
    t('body: status 4', ['Body'], exported(body([{ ...k1, status: 4 as 1 }], 0), LABEL, 'status4'), 'MALFORMED'),
    t('body: creation time 2^53', ['Body'], exported(body([{ ...k1, created: 2n ** 53n }], 0), LABEL, 'created'), 'MALFORMED'),
    t('body: a key id repeated', ['Body'], exported(body([k1, k1], 0), LABEL, 'duplicate'), 'MALFORMED'),
    t('body: a key id that is not its key\'s', ['Body'], exported(body([{ ...k1, id: idOf(k2.material!, 1) }], 0), LABEL, 'id-mismatch'), 'MALFORMED'),
  ];
}

export const keyringVectors: VectorGenerator = {
  file: 'keyring_v1.json',
  generate: () => envelope(keyringChecker, {
    algorithm: 'templock keyring export v1 (key wrapper)',
    notes: NOTES,
    testGroups: [{ type: 'KeyringImport', tests: tests() }],
  }),
};
