// The public face of sealed records (SPEC.md §7): seal a protected template for a context under
// a keyring's primary key, open it again, read its header without a key.
import { bytesToHex, randomBytes } from '@noble/hashes/utils.js';
import type { BoundTemplate, ProtectedTemplate, SealableTemplate } from '../template.js';
import { aBytes } from '../validate.js';
import { AEADS } from './aead.js';
import { _contextVersion, _encodeContext, type RecordContext } from './context.js';
import { Keyring } from './keyring.js';
import { _saltIdBytes } from '../salt-id.js';
import {
  _decodeSealed, _decodeSealedBound, _expectVersion, _openRecord, _parseRecord, _recordHeader, _sealRecord,
  type _SealedDecoder, type RecordHeader,
} from './record.js';

/** Largest record any supported template gives; longer inputs are refused before parsing. */
export const RECORD_MAX_BYTES = 1 << 16;

function aKeyring(ring: unknown): Keyring {
  if (!(ring instanceof Keyring)) throw new TypeError(`"keyring" expected Keyring, got ${ring === null ? 'null' : typeof ring}`);
  return ring;
}

function aRecord(record: unknown): Uint8Array {
  return aBytes('record', record, 0, RECORD_MAX_BYTES);
}

/**
 * Seals a protected template (or a key-binding template from bindKey) for `context` under the keyring's primary key, with a fresh random
 * nonce inside the record: a format v2 record of version `context.version` (default 1).
 * @example
 * import { protect } from 'templock';
 * import { Keyring, sealTemplate } from 'templock/storage';
 * const ring = Keyring.generate();
 * const record = sealTemplate(ring, protect(embedding, params, appKey, salt),
 *   { tenant: 'acme-gate-1', subjectId: 'resident-42', purpose: 'access' });
 */
export function sealTemplate(keyring: Keyring, template: SealableTemplate, context: RecordContext): Uint8Array<ArrayBuffer> {
  const key = aKeyring(keyring)._sealKey();
  const ctx = _encodeContext(context);
  const version = _contextVersion(context, 1) ?? 1;
  return _sealRecord(key, template, ctx, randomBytes(AEADS[key.algorithm].nonceBytes), version);
}

/**
 * Opens a sealed record (format v1 or v2) for the context it was sealed for; when the context
 * names a version, a record of another version is refused.
 * @throws TemplockError DECRYPT_FAILED (tampered, wrong context, wrong key: one opaque error),
 *   MALFORMED / UNSUPPORTED_VERSION (framing), ROLLBACK (not the version named), UNKNOWN_KEY_ID,
 *   KEY_DISABLED.
 * @example
 * import { openTemplate } from 'templock/storage';
 * const template = openTemplate(ring, record, { tenant: 'acme-gate-1', subjectId: 'resident-42', purpose: 'access' });
 */
export function openTemplate(keyring: Keyring, record: Uint8Array, context: RecordContext): ProtectedTemplate {
  return openAs(keyring, record, context, _decodeSealed);
}

/**
 * As openTemplate, for a record holding a key-binding template (INCOMPATIBLE when it holds a
 * protected template; openTemplate is INCOMPATIBLE for a key-binding one).
 * @example
 * import { openBoundTemplate } from 'templock/storage';
 * const bound = openBoundTemplate(ring, record, { tenant: 'acme-gate-1', subjectId: 'resident-42', purpose: 'door-key' });
 */
export function openBoundTemplate(keyring: Keyring, record: Uint8Array, context: RecordContext): BoundTemplate {
  return openAs(keyring, record, context, _decodeSealedBound);
}

function openAs<T extends SealableTemplate>(keyring: Keyring, record: Uint8Array, context: RecordContext, decode: _SealedDecoder<T>): T {
  const ring = aKeyring(keyring);
  const ctx = _encodeContext(context);
  const version = _contextVersion(context, 0);
  const parsed = _parseRecord(aRecord(record));
  if (version !== undefined) _expectVersion(parsed, version);
  return _openRecord(ring._openKey(parsed.keyId), parsed, ctx, undefined, decode);
}

/**
 * The public header of a record (algorithm, storage key id, template parameters, ids), without a key.
 * @throws TemplockError MALFORMED / UNSUPPORTED_VERSION.
 * @example
 * import { readRecordHeader } from 'templock/storage';
 * const { keyId, params } = readRecordHeader(record);
 */
export function readRecordHeader(record: Uint8Array): RecordHeader {
  return _recordHeader(_parseRecord(aRecord(record)));
}

/**
 * The public salt id of a salt (32 hex characters), as records and revocation lists carry it.
 * @example
 * import { saltId } from 'templock/storage';
 * const id = saltId(template.salt);
 */
export function saltId(salt: Uint8Array): string {
  return bytesToHex(_saltIdBytes(aBytes('salt', salt, 16, 32)));
}
