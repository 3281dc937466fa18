// The authentication of a change-feed entry (SPEC.md §7.8): the desk MACs every change under the
// manifest key of a storage key (§7.6), binding tenant, sequence number, kind, subject, purpose,
// salt id and the sealed record's digest. A terminal holding the keyring checks it before applying
// anything, so a database writer without the key can neither forge a change (a reinstatement
// that undoes a revocation), nor replay an old one at another sequence, nor reorder them.
import { sha256 } from '@noble/hashes/sha2.js';
import { utf8ToBytes } from '@noble/hashes/utils.js';
import { _equalBytes } from '../bytes.js';
import { TemplockError } from '../errors.js';
import { _lengthPrefixed } from './bytes.js';
import type { Change } from './change-feed.js';
import type { Keyring } from './keyring.js';

/** Bytes of a change MAC. */
export const CHANGE_MAC_BYTES = 32;

const LABEL = utf8ToBytes('templock/v1/feed/change');
const NO_RECORD = new Uint8Array(32);

/** The authenticated bytes of a change of tenant `tenant` (SPEC.md §7.8). */
export function _changeMessage(tenant: string, c: Change): Uint8Array {
  const seq = new Uint8Array(8);
  new DataView(seq.buffer).setBigUint64(0, BigInt(c.seq), true);
  const text = (s: string | undefined) => utf8ToBytes(s ?? '');
  return _lengthPrefixed(LABEL, [
    utf8ToBytes(tenant), seq, utf8ToBytes(c.kind), text(c.subjectId), text(c.purpose), text(c.saltId),
    c.record === undefined ? NO_RECORD : sha256(c.record),
  ]);
}

/** The key id and MAC a desk attaches to `change`, under the keyring's primary key. */
export function _authenticateChange(keyring: Keyring, tenant: string, change: Change): { keyId: string; mac: Uint8Array } {
  const keyId = keyring.primaryId;
  return { keyId, mac: keyring._manifestMac(keyId).mac(_changeMessage(tenant, change)) };
}

/**
 * Checks a change's MAC.
 * @throws TemplockError INTEGRITY (missing or wrong MAC), UNKNOWN_KEY_ID, KEY_DISABLED (destroyed key).
 */
export function _checkChange(keyring: Keyring, tenant: string, change: Change): void {
  if (typeof change.keyId !== 'string' || !(change.mac instanceof Uint8Array) || change.mac.length !== CHANGE_MAC_BYTES)
    throw new TemplockError('INTEGRITY', 'feed: a change without its authentication');
  if (!_equalBytes(keyring._manifestMac(change.keyId).mac(_changeMessage(tenant, change)), change.mac))
    throw new TemplockError('INTEGRITY', 'feed: a change that was not written by a holder of the storage key');
}
