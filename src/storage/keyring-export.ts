// Keyring export format v1 (SPEC.md §8): a keyring leaves the process only sealed, under a
// passphrase (Argon2id, cost stored in the file and bounded both ways) or under a
// data-encryption key wrapped by a KeyWrapper (KMS, TPM, secure element, or in-process).
//   0 magic "TLKR" | 4 version 1 | 5 protection (1 passphrase, 2 key wrapper)
//   protection 1: m u32 LE (KiB) | t u32 LE | p u8 | salt length u8 (16..64) | salt
//   protection 2: label length u8 (1..255) | label | wrapped length u16 LE (1..4096) | wrapped key
//   then a sealed blob (§8.3) of the body, associated data = every byte before the blob.
import { bytesToHex, hexToBytes, randomBytes, utf8ToBytes } from '@noble/hashes/utils.js';
import { TemplockError } from '../errors.js';
import { aBytes } from '../validate.js';
import { _aeadById, AEADS, decryptFailed } from './aead.js';
import { aUtf8 } from './bytes.js';
import { _openBlob, _sealBlob } from './blob.js';
import { _argon2id, _argon2InBounds, aArgon2, type Argon2Params } from './kdf.js';
import { _deriveSealKey, KEY_ID_BYTES, SEALING_KEY_BYTES } from './key-material.js';
import type { KeyWrapper } from './key-wrapper.js';
import { Keyring, KEYRING_MAX_KEYS, type _KeyEntry, type KeyStatus } from './keyring.js';

/** "TLKR": the first four bytes of every keyring export. */
export const KEYRING_MAGIC = Uint8Array.of(0x54, 0x4c, 0x4b, 0x52);
export const KEYRING_VERSION = 1;
/** Largest export accepted (1024 keys, a 4 KiB wrapped key and the headers fit well below). */
export const KEYRING_MAX_BYTES = 1 << 16;

/** How an export is protected. A pepper is RFC 9106's secret K (e.g. a device-bound secret). */
export type KeyringProtection =
  | { readonly passphrase: string; readonly argon2?: Partial<Argon2Params>; readonly pepper?: Uint8Array }
  | { readonly wrapper: KeyWrapper };

const PROTECTION_PASSPHRASE = 1;
const PROTECTION_WRAPPER = 2;
const ARGON2_AD = utf8ToBytes('templock/v1/keyring/passphrase');
const STATUS_CODES: Record<KeyStatus, number> = { enabled: 1, disabled: 2, destroyed: 3 };
const STATUS_BY_CODE: readonly (KeyStatus | undefined)[] = [undefined, 'enabled', 'disabled', 'destroyed'];
const KEY_HEAD_BYTES = KEY_ID_BYTES + 1 + 1 + 8;

type Parsed =
  | { kind: 'passphrase'; header: Uint8Array; cost: Argon2Params; salt: Uint8Array }
  | { kind: 'wrapper'; header: Uint8Array; prefix: Uint8Array; wrapped: Uint8Array };

function malformed(why: string): TemplockError {
  return new TemplockError('MALFORMED', `keyring: ${why}`);
}

function aProtection(p: unknown): { passphrase: Uint8Array; argon2: unknown; pepper: Uint8Array | undefined } | { wrapper: KeyWrapper } {
  if (typeof p !== 'object' || p === null) throw new TypeError(`"protection" expected object, got ${p === null ? 'null' : typeof p}`);
  const o = p as { passphrase?: unknown; argon2?: unknown; pepper?: unknown; wrapper?: unknown };
  if (o.passphrase !== undefined) {
    if (typeof o.passphrase !== 'string') throw new TypeError(`"protection.passphrase" expected string, got ${typeof o.passphrase}`);
    const pepper = o.pepper === undefined ? undefined : aBytes('protection.pepper', o.pepper, 1, 64);
    return { passphrase: aUtf8('protection.passphrase', o.passphrase.normalize('NFC'), 1024), argon2: o.argon2 ?? {}, pepper };
  }
  const w = o.wrapper as Partial<KeyWrapper> | undefined;
  if (typeof w !== 'object' || w === null || typeof w.wrap !== 'function' || typeof w.unwrap !== 'function')
    throw new TypeError('"protection" expected { passphrase } or { wrapper: KeyWrapper }');
  aUtf8('protection.wrapper.label', w.label);
  return { wrapper: w as KeyWrapper };
}

function encodeBody(ring: Keyring): Uint8Array {
  const entries = ring._entries();
  let n = 4;
  for (const e of entries) n += KEY_HEAD_BYTES + (e.material ? SEALING_KEY_BYTES : 0);
  const out = new Uint8Array(n);
  const dv = new DataView(out.buffer);
  dv.setUint16(0, entries.length, true);
  dv.setUint16(2, entries.findIndex((e) => e.id === ring.primaryId), true);
  let o = 4;
  for (const e of entries) {
    out.set(hexToBytes(e.id), o);
    out[o + 8] = AEADS[e.algorithm].id;
    out[o + 9] = STATUS_CODES[e.status];
    dv.setBigUint64(o + 10, BigInt(e.createdAt), true);
    o += KEY_HEAD_BYTES;
    if (e.material) {
      out.set(e.material, o);
      o += SEALING_KEY_BYTES;
    }
  }
  return out;
}

function decodeBody(body: Uint8Array): Keyring {
  if (body.length < 4) throw malformed('truncated body');
  const dv = new DataView(body.buffer, body.byteOffset, body.byteLength);
  const count = dv.getUint16(0, true);
  const primaryIndex = dv.getUint16(2, true);
  if (count < 1 || count > KEYRING_MAX_KEYS) throw malformed('key count out of range');
  if (primaryIndex >= count) throw malformed('primary index out of range');
  const entries: _KeyEntry[] = [];
  const ids = new Set<string>();
  let o = 4;
  try {
    for (let i = 0; i < count; i++) {
      if (o + KEY_HEAD_BYTES > body.length) throw malformed('truncated key');
      const id = bytesToHex(body.subarray(o, o + KEY_ID_BYTES));
      const algorithm = _aeadById(body[o + 8]!);
      const status = STATUS_BY_CODE[body[o + 9]!];
      const createdAt = dv.getBigUint64(o + 10, true);
      if (!algorithm) throw malformed('unknown algorithm');
      if (!status) throw malformed('unknown key status');
      if (createdAt > BigInt(Number.MAX_SAFE_INTEGER)) throw malformed('creation time out of range');
      if (ids.has(id)) throw malformed('duplicate key id');
      ids.add(id);
      o += KEY_HEAD_BYTES;
      let material: Uint8Array | undefined;
      let derived;
      if (status !== 'destroyed') {
        if (o + SEALING_KEY_BYTES > body.length) throw malformed('truncated key');
        material = body.slice(o, o + SEALING_KEY_BYTES);
        o += SEALING_KEY_BYTES;
        derived = _deriveSealKey(material, 'record', algorithm);
        if (bytesToHex(derived.keyId) !== id) {
          material.fill(0);
          throw malformed('key id does not match its key');
        }
      }
      entries.push({ id, algorithm, status, createdAt: Number(createdAt), material, derived });
    }
    if (o !== body.length) throw malformed('trailing bytes');
    if (entries[primaryIndex]!.status !== 'enabled') throw malformed('primary key is not enabled');
  } catch (e) {
    for (const k of entries) k.material?.fill(0);
    throw e;
  }
  return Keyring._fromEntries(entries, entries[primaryIndex]!.id);
}

/** The header of an export (SPEC.md §8.1 import checks up to the Argon2id bounds), and its blob. */
export function _parseKeyringHeader(bytes: Uint8Array): Parsed & { blob: Uint8Array } {
  if (bytes.length < 6) throw malformed('truncated header');
  for (let i = 0; i < 4; i++) if (bytes[i] !== KEYRING_MAGIC[i]) throw malformed('bad magic');
  if (bytes[4] !== KEYRING_VERSION) throw new TemplockError('UNSUPPORTED_VERSION', `keyring: unsupported format version ${bytes[4]}`);
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (bytes[5] === PROTECTION_PASSPHRASE) {
    if (bytes.length < 16) throw malformed('truncated header');
    const cost = { m: dv.getUint32(6, true), t: dv.getUint32(10, true), p: bytes[14]! };
    if (!_argon2InBounds(cost)) throw malformed('argon2id cost outside the accepted bounds');
    const saltLen = bytes[15]!;
    if (saltLen < 16 || saltLen > 64) throw malformed('salt length out of range');
    const end = 16 + saltLen;
    if (bytes.length < end) throw malformed('truncated header');
    return { kind: 'passphrase', header: bytes.subarray(0, end), cost, salt: bytes.subarray(16, end), blob: bytes.subarray(end) };
  }
  if (bytes[5] === PROTECTION_WRAPPER) {
    if (bytes.length < 7) throw malformed('truncated header');
    const labelLen = bytes[6]!;
    if (labelLen < 1) throw malformed('empty wrapper label');
    if (bytes.length < 7 + labelLen + 2) throw malformed('truncated header');
    try {
      new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(7, 7 + labelLen));
    } catch {
      throw malformed('wrapper label is not UTF-8');
    }
    const wrappedLen = dv.getUint16(7 + labelLen, true);
    const start = 9 + labelLen;
    if (wrappedLen < 1 || wrappedLen > 4096) throw malformed('wrapped key length out of range');
    if (bytes.length < start + wrappedLen) throw malformed('truncated header');
    return {
      kind: 'wrapper', header: bytes.subarray(0, start + wrappedLen), prefix: bytes.subarray(0, 7 + labelLen),
      wrapped: bytes.subarray(start, start + wrappedLen), blob: bytes.subarray(start + wrappedLen),
    };
  }
  throw malformed('unknown protection');
}

function withBlob(header: Uint8Array, bodyKey: Uint8Array, body: Uint8Array): Uint8Array<ArrayBuffer> {
  const key = _deriveSealKey(bodyKey, 'keyring', 'xchacha20-poly1305');
  try {
    const blob = _sealBlob(key, body, header, randomBytes(AEADS['xchacha20-poly1305'].nonceBytes));
    const out = new Uint8Array(header.length + blob.length);
    out.set(header, 0);
    out.set(blob, header.length);
    return out;
  } finally {
    key.aeadKey.fill(0);
    bodyKey.fill(0);
    body.fill(0);
  }
}

/**
 * Exports a keyring sealed under a passphrase (Argon2id) or a KeyWrapper; the only form in which
 * key bytes leave the process.
 * @example
 * import { Keyring, exportKeyring } from 'templock/storage';
 * const bytes = await exportKeyring(Keyring.generate(), { passphrase: 'correct horse battery staple' });
 */
export async function exportKeyring(keyring: Keyring, protection: KeyringProtection): Promise<Uint8Array<ArrayBuffer>> {
  if (!(keyring instanceof Keyring)) throw new TypeError(`"keyring" expected Keyring, got ${keyring === null ? 'null' : typeof keyring}`);
  const p = aProtection(protection);
  if ('passphrase' in p) {
    const cost = aArgon2('protection.argon2', p.argon2);
    const salt = randomBytes(16);
    const header = new Uint8Array(16 + salt.length);
    const dv = new DataView(header.buffer);
    header.set(KEYRING_MAGIC, 0);
    header[4] = KEYRING_VERSION;
    header[5] = PROTECTION_PASSPHRASE;
    dv.setUint32(6, cost.m, true);
    dv.setUint32(10, cost.t, true);
    header[14] = cost.p;
    header[15] = salt.length;
    header.set(salt, 16);
    const bodyKey = await _argon2id(p.passphrase, salt, cost, ARGON2_AD, p.pepper);
    p.passphrase.fill(0);
    return withBlob(header, bodyKey, encodeBody(keyring));
  }
  const label = utf8ToBytes(p.wrapper.label);
  const prefix = new Uint8Array(7 + label.length);
  prefix.set(KEYRING_MAGIC, 0);
  prefix[4] = KEYRING_VERSION;
  prefix[5] = PROTECTION_WRAPPER;
  prefix[6] = label.length;
  prefix.set(label, 7);
  const dek = randomBytes(SEALING_KEY_BYTES);
  const wrapped = await p.wrapper.wrap(dek, prefix);
  aBytes('wrapped key', wrapped, 1, 4096);
  const header = new Uint8Array(prefix.length + 2 + wrapped.length);
  header.set(prefix, 0);
  new DataView(header.buffer).setUint16(prefix.length, wrapped.length, true);
  header.set(wrapped, prefix.length + 2);
  return withBlob(header, dek, encodeBody(keyring));
}

/**
 * Imports a keyring export. The Argon2id cost comes from the file and is refused outside
 * ARGON2_BOUNDS before any work.
 * @throws TemplockError DECRYPT_FAILED (wrong passphrase or key, tampered file), MALFORMED, UNSUPPORTED_VERSION.
 * @example
 * import { importKeyring } from 'templock/storage';
 * const ring = await importKeyring(bytes, { passphrase: 'correct horse battery staple' });
 */
export async function importKeyring(bytes: Uint8Array, protection: KeyringProtection): Promise<Keyring> {
  aBytes('bytes', bytes, 0, KEYRING_MAX_BYTES);
  const p = aProtection(protection);
  const parsed = _parseKeyringHeader(bytes);
  let bodyKey: Uint8Array;
  if (parsed.kind === 'passphrase') {
    if (!('passphrase' in p)) throw new TypeError('"protection" expected { passphrase } for a passphrase-protected keyring');
    bodyKey = await _argon2id(p.passphrase, parsed.salt, parsed.cost, ARGON2_AD, p.pepper);
    p.passphrase.fill(0);
  } else {
    if (!('wrapper' in p)) throw new TypeError('"protection" expected { wrapper } for a keyring protected by a key wrapper');
    const unwrapped = await p.wrapper.unwrap(parsed.wrapped.slice(), parsed.prefix.slice());
    if (!(unwrapped instanceof Uint8Array) || unwrapped.length !== SEALING_KEY_BYTES) throw decryptFailed();
    bodyKey = unwrapped;
  }
  return _openKeyringBody(parsed, bodyKey);
}

/** Opens the blob of a parsed export under its body key (wiped) and decodes the body (SPEC.md §8.3, §8.4). */
export function _openKeyringBody(parsed: { readonly header: Uint8Array; readonly blob: Uint8Array }, bodyKey: Uint8Array): Keyring {
  const key = _deriveSealKey(bodyKey, 'keyring', 'xchacha20-poly1305');
  bodyKey.fill(0);
  let body: Uint8Array;
  try {
    body = _openBlob(key, parsed.blob, parsed.header);
  } finally {
    key.aeadKey.fill(0);
  }
  try {
    return decodeBody(body);
  } finally {
    body.fill(0);
  }
}
