// templock/storage: sealed records (SPEC.md §7), keyrings and their sealed export (§8), and the
// TemplateStore interface with its in-memory implementation, and access control (attempt limits,
// audit log) over any store. Core dependencies only.
export { AEADS, DEFAULT_AEAD, type AeadName } from './aead.js';
export { ARGON2_BOUNDS, ARGON2_DEFAULTS, type Argon2Params } from './kdf.js';
export { DEFAULT_PURPOSE, type RecordContext } from './context.js';
export { RECORD_MAGIC, RECORD_VERSION, RECORD_VERSION_MAX, type RecordHeader } from './record.js';
export { sealTemplate, openTemplate, openBoundTemplate, readRecordHeader, saltId, RECORD_MAX_BYTES } from './seal.js';
export { Keyring, KEYRING_MAX_KEYS, type KeyInfo, type KeyOptions, type KeyStatus } from './keyring.js';
export { localKeyWrapper, type KeyWrapper } from './key-wrapper.js';
export { memoryCounter, type MonotonicCounter } from './counter.js';
export { exportKeyring, importKeyring, KEYRING_MAGIC, KEYRING_VERSION, type KeyringProtection } from './keyring-export.js';
export {
  type TemplateStore, type StoreOptions, type EntriesOptions, type OpenEntriesOptions, type PutItem, type RecordInfo, type StoredTemplate, type StoredBoundTemplate, type Revocation,
  type RecordFailure, type IntegrityReport, type RewrapReport,
} from './store.js';
export { MemoryTemplateStore } from './memory-store.js';
export {
  AccessControl, DEFAULT_AUDIT_MAX_ENTRIES, type AccessControlOptions, type AttemptOptions, type AccessIdentifyOptions, type RankingGallery,
  type AccessDecision, type IdentifyDecision, type AuditQuery, type AttemptTarget,
} from './access-control.js';
export { DEFAULT_ATTEMPT_POLICY, type AttemptPolicy } from './attempt-policy.js';
export { AUDIT_ACTIONS, AUDIT_OUTCOMES, type AuditAction, type AuditOutcome, type AuditEntry, type AttemptKind, type AttemptState } from './access-ledger.js';
export { type Change, type ChangeKind, type ChangeFeed } from './change-feed.js';
export { syncRevocations, type RevocableGallery, type RevocationSync, type RevocationSyncOptions } from './gallery-sync.js';
