// A keyring of storage keys (SPEC.md §7.1): keys identified by public ids, one primary key that
// seals, older keys that still open, rotation, disabling and destruction. Key bytes never leave
// the keyring except sealed by exportKeyring (§8).
import { bytesToHex, randomBytes } from '@noble/hashes/utils.js';
import { TemplockError } from '../errors.js';
import { aBytes } from '../validate.js';
import { aAead, DEFAULT_AEAD, type AeadName } from './aead.js';
import { _deriveSealKey, _wipeSealKey, SEALING_KEY_BYTES, type _SealKey } from './key-material.js';
import { _ManifestMac, _manifestKey } from './manifest-codec.js';

/** Lifecycle of a key: enabled keys seal (when primary) and open; disabled keys do neither until enabled; destroyed keys are gone. */
export type KeyStatus = 'enabled' | 'disabled' | 'destroyed';

/** Public facts about one key (never its bytes). */
export interface KeyInfo {
  readonly id: string;
  readonly algorithm: AeadName;
  readonly status: KeyStatus;
  readonly primary: boolean;
  /** Milliseconds since the Unix epoch. */
  readonly createdAt: number;
}

/** Options of a new or imported key. */
export interface KeyOptions {
  /** The AEAD records sealed by this key use; XChaCha20-Poly1305 unless named. */
  readonly algorithm?: AeadName;
  /** Make it the primary key (default true for generate/rotate, false for importKey). */
  readonly primary?: boolean;
}

/** Most keys one keyring holds (tombstones of destroyed keys included). */
export const KEYRING_MAX_KEYS = 1024;

/** One key as the keyring and its export hold it. */
export interface _KeyEntry {
  readonly id: string;
  readonly algorithm: AeadName;
  status: KeyStatus;
  readonly createdAt: number;
  /** Undefined once destroyed. */
  material: Uint8Array | undefined;
  derived: _SealKey | undefined;
}

function keyOptions(opts: unknown): { algorithm: AeadName; primary: boolean | undefined } {
  if (opts === undefined) return { algorithm: DEFAULT_AEAD, primary: undefined };
  if (typeof opts !== 'object' || opts === null) throw new TypeError(`"options" expected object, got ${opts === null ? 'null' : typeof opts}`);
  const o = opts as { algorithm?: unknown; primary?: unknown };
  if (o.primary !== undefined && typeof o.primary !== 'boolean') throw new TypeError(`"options.primary" expected boolean, got ${typeof o.primary}`);
  return { algorithm: o.algorithm === undefined ? DEFAULT_AEAD : aAead('options.algorithm', o.algorithm), primary: o.primary };
}

/**
 * Storage keys with rotation. Seal with the primary key; open with whichever key sealed.
 * @example
 * import { Keyring, sealTemplate } from 'templock/storage';
 * const ring = Keyring.generate();
 * const oldId = ring.primaryId;
 * ring.rotate(); // new records use the new key; records under oldId still open
 */
export class Keyring {
  readonly #keys = new Map<string, _KeyEntry>();
  /** Manifest MAC keys (SPEC.md §7.6) derived so far, by key id. */
  readonly #macs = new Map<string, _ManifestMac>();
  #primary: string | undefined;

  private constructor() {}

  /**
   * A keyring holding one new random key, which is primary.
   * @example
   * import { Keyring } from 'templock/storage';
   * const ring = Keyring.generate({ algorithm: 'aes-256-gcm-siv' });
   */
  static generate(options?: KeyOptions): Keyring {
    const ring = new Keyring();
    ring.rotate(options);
    return ring;
  }

  /**
   * A keyring holding one given 32-byte key (a copy), primary — e.g. a key provisioned by the
   * vendor's key management.
   * @example
   * import { Keyring } from 'templock/storage';
   * const ring = Keyring.fromKey(provisionedKey);
   */
  static fromKey(key: Uint8Array, options?: Omit<KeyOptions, 'primary'>): Keyring {
    const ring = new Keyring();
    ring.importKey(key, { ...options, primary: true });
    return ring;
  }

  /** Rebuilds a keyring from checked export entries (trusted). */
  static _fromEntries(entries: readonly _KeyEntry[], primaryId: string): Keyring {
    const ring = new Keyring();
    for (const e of entries) ring.#keys.set(e.id, e);
    ring.#primary = primaryId;
    return ring;
  }

  /** The id of the key that seals new records. */
  get primaryId(): string {
    return this.#primary!;
  }

  /**
   * Adds a key from its 32 bytes (a copy is kept) and returns its id.
   * @throws TemplockError DUPLICATE_ID when the same key is already in the ring; CAPACITY_EXCEEDED past 1024 keys.
   * @example
   * import { Keyring } from 'templock/storage';
   * const id = ring.importKey(keyBytes, { primary: true });
   */
  importKey(key: Uint8Array, options?: KeyOptions): string {
    const bytes = aBytes('key', key, SEALING_KEY_BYTES);
    const o = keyOptions(options);
    return this.#add(Uint8Array.from(bytes), o.algorithm, o.primary ?? false);
  }

  /**
   * Generates a new random key and makes it primary (unless `primary: false`); returns its id.
   * Records sealed under earlier keys keep opening; move them with the store's rewrap().
   * @example
   * import { Keyring } from 'templock/storage';
   * const newId = ring.rotate();
   */
  rotate(options?: KeyOptions): string {
    const o = keyOptions(options);
    return this.#add(randomBytes(SEALING_KEY_BYTES), o.algorithm, o.primary ?? true);
  }

  #add(material: Uint8Array, algorithm: AeadName, primary: boolean): string {
    if (this.#keys.size >= KEYRING_MAX_KEYS) {
      material.fill(0);
      throw new TemplockError('CAPACITY_EXCEEDED', `keyring: at most ${KEYRING_MAX_KEYS} keys`);
    }
    const derived = _deriveSealKey(material, 'record', algorithm);
    const id = bytesToHex(derived.keyId);
    if (this.#keys.has(id)) {
      material.fill(0);
      _wipeSealKey(derived);
      throw new TemplockError('DUPLICATE_ID', `keyring: key ${id} is already present`);
    }
    this.#keys.set(id, { id, algorithm, status: 'enabled', createdAt: Date.now(), material, derived });
    if (primary || this.#primary === undefined) this.#primary = id;
    return id;
  }

  /**
   * Public facts about every key, oldest first.
   * @example
   * import { Keyring } from 'templock/storage';
   * for (const k of ring.keys()) console.log(k.id, k.status, k.primary);
   */
  keys(): KeyInfo[] {
    return [...this.#keys.values()].map((k) => Object.freeze({
      id: k.id, algorithm: k.algorithm, status: k.status, primary: k.id === this.#primary, createdAt: k.createdAt,
    }));
  }

  #entry(id: unknown): _KeyEntry {
    if (typeof id !== 'string') throw new TypeError(`"keyId" expected string, got ${id === null ? 'null' : typeof id}`);
    const e = this.#keys.get(id);
    if (!e) throw new TemplockError('UNKNOWN_KEY_ID', 'keyring: no such key id');
    return e;
  }

  #notPrimary(e: _KeyEntry, action: string): void {
    if (e.id === this.#primary) throw new RangeError(`"keyId" names the primary key, which cannot be ${action}; rotate or setPrimary first`);
  }

  /**
   * Makes an enabled key primary.
   * @example
   * import { Keyring } from 'templock/storage';
   * ring.setPrimary(id);
   */
  setPrimary(keyId: string): void {
    const e = this.#entry(keyId);
    if (e.status !== 'enabled') throw new TemplockError('KEY_DISABLED', `keyring: key ${e.id} is ${e.status}`);
    this.#primary = e.id;
  }

  /**
   * Stops a non-primary key from opening records (reversible with enable()).
   * @example
   * import { Keyring } from 'templock/storage';
   * ring.disable(oldId);
   */
  disable(keyId: string): void {
    const e = this.#entry(keyId);
    this.#notPrimary(e, 'disabled');
    if (e.status === 'destroyed') throw new TemplockError('KEY_DISABLED', `keyring: key ${e.id} is destroyed`);
    e.status = 'disabled';
  }

  /**
   * Re-enables a disabled key.
   * @example
   * import { Keyring } from 'templock/storage';
   * ring.enable(oldId);
   */
  enable(keyId: string): void {
    const e = this.#entry(keyId);
    if (e.status === 'destroyed') throw new TemplockError('KEY_DISABLED', `keyring: key ${e.id} is destroyed`);
    e.status = 'enabled';
  }

  /**
   * Zero-fills a non-primary key and keeps only its id as a tombstone: records under it can never
   * be opened again (crypto-shredding). Irreversible.
   * @example
   * import { Keyring } from 'templock/storage';
   * ring.destroy(oldId);
   */
  destroy(keyId: string): void {
    const e = this.#entry(keyId);
    this.#notPrimary(e, 'destroyed');
    e.material?.fill(0);
    if (e.derived) _wipeSealKey(e.derived);
    this.#macs.get(e.id)?.destroy();
    this.#macs.delete(e.id);
    e.material = undefined;
    e.derived = undefined;
    e.status = 'destroyed';
  }

  /** The primary key, ready to seal. */
  _sealKey(): _SealKey {
    return this.#keys.get(this.#primary!)!.derived!;
  }

  /** The key with this id, ready to open, or UNKNOWN_KEY_ID / KEY_DISABLED. */
  _openKey(id: string): _SealKey {
    const e = this.#keys.get(id);
    if (!e) throw new TemplockError('UNKNOWN_KEY_ID', 'record: sealed under a key id this keyring does not hold');
    if (e.status !== 'enabled') throw new TemplockError('KEY_DISABLED', `record: sealed under a key that is ${e.status}`);
    return e.derived!;
  }

  /**
   * The manifest MAC of the key with this id (derived once): a disabled key still checks the
   * manifest; an unknown one is UNKNOWN_KEY_ID, a destroyed one KEY_DISABLED.
   */
  _manifestMac(id: string): _ManifestMac {
    const e = this.#keys.get(id);
    if (!e) throw new TemplockError('UNKNOWN_KEY_ID', 'manifest: keyed by a key id this keyring does not hold');
    if (!e.material) throw new TemplockError('KEY_DISABLED', 'manifest: keyed by a key that is destroyed');
    let mac = this.#macs.get(id);
    if (!mac) {
      const key = _manifestKey(e.material);
      mac = new _ManifestMac(key);
      key.fill(0);
      this.#macs.set(id, mac);
    }
    return mac;
  }

  /** Every entry, for export (trusted callers only). */
  _entries(): readonly _KeyEntry[] {
    return [...this.#keys.values()];
  }
}
