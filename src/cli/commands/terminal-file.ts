// The terminal key file of the `templock` command (README "Terminal demo and command line"): the
// storage keyring and the application transform key of one terminal, beside its database, both
// sealed under a key-encryption key that comes from a passphrase (Argon2id) or a key file, plus
// the public settings (tenant, scheme, threshold, salt epochs), which are authenticated: any
// change to them makes the file fail to open. Written atomically (temporary file + rename).
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { bytesToHex, hexToBytes, utf8ToBytes } from '@noble/hashes/utils.js';
import { TemplockError } from '../../errors.js';
import { generateKey, generateSalt } from '../../random/secrets.js';
import { _argon2id, ARGON2_BOUNDS, ARGON2_DEFAULTS, type Argon2Params } from '../../storage/kdf.js';
import { exportKeyring, importKeyring } from '../../storage/keyring-export.js';
import { Keyring } from '../../storage/keyring.js';
import { localKeyWrapper, type KeyWrapper } from '../../storage/key-wrapper.js';
import type { SchemeName } from '../../transforms/scheme.js';

const FORMAT = 'templock-terminal';
const VERSION = 1;
const WRAPPER_LABEL = 'templock-terminal';
const KEK_BYTES = 32;
const ARGON2_AD = utf8ToBytes('templock/v1/terminal/passphrase');

/** Where the key-encryption key comes from. */
export type KekSource = { readonly kind: 'passphrase'; readonly passphrase: string } | { readonly kind: 'key-file'; readonly path: string };

/** The public, authenticated settings of a terminal. */
export interface TerminalSettings {
  readonly tenant: string;
  readonly scheme: SchemeName;
  /** Decision threshold on the protected score. */
  readonly threshold: number;
  /** Salt epochs as hex, oldest first; enrolment uses the last. */
  readonly epochs: readonly string[];
}

/** An opened terminal: its keys (in memory only) and settings. */
export interface Terminal {
  readonly ring: Keyring;
  readonly applicationKey: Uint8Array;
  settings: TerminalSettings;
  /** How the file is protected (kept to save it again the same way). */
  readonly protection: Protection;
}

type Protection = { readonly kind: 'passphrase'; readonly argon2: Argon2Params; readonly salt: string } | { readonly kind: 'key-file' };

interface FileBody {
  readonly format: string;
  readonly version: number;
  readonly protection: Protection;
  readonly settings: TerminalSettings;
  readonly keyring: string;
  readonly applicationKey: string;
}

function malformed(path: string, why: string): TemplockError {
  return new TemplockError('MALFORMED', `terminal key file "${path}": ${why}`);
}

/** Reads a key file: 32 raw bytes, or 64 hex characters (surrounding whitespace ignored). */
function readKeyFile(path: string): Uint8Array {
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch (e) {
    throw new RangeError(`cannot read key file "${path}" (${(e as NodeJS.ErrnoException).code ?? 'error'})`);
  }
  if (bytes.length === KEK_BYTES) return Uint8Array.from(bytes);
  const text = bytes.toString('latin1').trim();
  if (/^[0-9a-fA-F]{64}$/.test(text)) return hexToBytes(text.toLowerCase());
  throw new RangeError(`"key file" expected 32 bytes or 64 hex characters, got ${bytes.length} bytes`);
}

/** Creates a key file of 32 random bytes as 64 hex characters, readable by the owner only. */
export function createKeyFile(path: string): void {
  writeFileSync(path, bytesToHex(randomBytes(KEK_BYTES)) + '\n', { mode: 0o600, flag: 'wx' });
}

async function deriveKek(source: KekSource, protection: Protection): Promise<Uint8Array> {
  if (source.kind === 'key-file') {
    if (protection.kind !== 'key-file') throw new TemplockError('DECRYPT_FAILED', 'this terminal key file is sealed under a passphrase: set TEMPLOCK_PASSPHRASE');
    return readKeyFile(source.path);
  }
  if (protection.kind !== 'passphrase') throw new TemplockError('DECRYPT_FAILED', 'this terminal key file is sealed under a key file: pass --key-file');
  return _argon2id(utf8ToBytes(source.passphrase.normalize('NFC')), hexToBytes(protection.salt), protection.argon2, ARGON2_AD, undefined, KEK_BYTES);
}

/** The settings as the associated data of the wrapped application key: any change breaks it. */
function settingsAad(protection: Protection, settings: TerminalSettings): Uint8Array {
  return utf8ToBytes(JSON.stringify([FORMAT, VERSION, protection, settings.tenant, settings.scheme, settings.threshold, settings.epochs]));
}

async function seal(t: Terminal, wrapper: KeyWrapper): Promise<FileBody> {
  const keyring = bytesToHex(await exportKeyring(t.ring, { wrapper }));
  const applicationKey = bytesToHex(await wrapper.wrap(t.applicationKey, settingsAad(t.protection, t.settings)));
  return { format: FORMAT, version: VERSION, protection: t.protection, settings: t.settings, keyring, applicationKey };
}

function writeAtomically(path: string, text: string): void {
  const tmp = `${path}.${process.pid}.tmp`;
  writeFileSync(tmp, text, { mode: 0o600 });
  renameSync(tmp, path);
}

/** Seals and writes the terminal to `path` under the key from `source`. */
export async function saveTerminal(path: string, t: Terminal, source: KekSource): Promise<void> {
  const kek = await deriveKek(source, t.protection);
  try {
    writeAtomically(path, JSON.stringify(await seal(t, localKeyWrapper(kek, WRAPPER_LABEL)), null, 2) + '\n');
  } finally {
    kek.fill(0);
  }
}

/** Options of a new terminal. */
export interface NewTerminalOptions {
  readonly tenant: string;
  readonly scheme: SchemeName;
  readonly threshold: number;
  /** Argon2id memory in KiB when sealed under a passphrase. */
  readonly argon2MemoryKiB?: number;
}

/** Least length, in characters, of a passphrase that seals terminal keys. */
export const PASSPHRASE_MIN_CHARS = 12;
/** Least number of distinct characters in such a passphrase. */
export const PASSPHRASE_MIN_DISTINCT = 6;

/**
 * Refuses a passphrase too weak to protect the keys it would seal (Argon2id slows each guess,
 * it cannot make "a" hard to guess): fewer than 12 characters or fewer than 6 distinct ones.
 * The message never repeats the passphrase. Existing terminals still open under any passphrase.
 */
export function aNewPassphrase(passphrase: string): void {
  const chars = [...passphrase.normalize('NFC')];
  if (chars.length < PASSPHRASE_MIN_CHARS || new Set(chars).size < PASSPHRASE_MIN_DISTINCT)
    throw new RangeError(`the passphrase is too weak to seal terminal keys: use at least ${PASSPHRASE_MIN_CHARS} characters, ${PASSPHRASE_MIN_DISTINCT} of them distinct (several words, or --key-file)`);
}

/** A new terminal (fresh storage key, application key and first salt epoch), written to `path`. */
export async function createTerminal(path: string, source: KekSource, options: NewTerminalOptions): Promise<Terminal> {
  if (source.kind === 'passphrase') aNewPassphrase(source.passphrase);
  if (existsSync(path)) throw new TemplockError('DUPLICATE_ID', `terminal key file "${path}" already exists`);
  const m = options.argon2MemoryKiB ?? ARGON2_DEFAULTS.m;
  if (!Number.isSafeInteger(m) || m < ARGON2_BOUNDS.m.min || m > ARGON2_BOUNDS.m.max)
    throw new RangeError(`"argon2-memory" expected integer in [${ARGON2_BOUNDS.m.min}, ${ARGON2_BOUNDS.m.max}] KiB, got ${m}`);
  const protection: Protection = source.kind === 'passphrase'
    ? { kind: 'passphrase', argon2: { m, t: ARGON2_DEFAULTS.t, p: ARGON2_DEFAULTS.p }, salt: bytesToHex(randomBytes(16)) }
    : { kind: 'key-file' };
  const settings: TerminalSettings = { tenant: options.tenant, scheme: options.scheme, threshold: options.threshold, epochs: [bytesToHex(generateSalt())] };
  const t: Terminal = { ring: Keyring.generate(), applicationKey: generateKey(), settings, protection };
  await saveTerminal(path, t, source);
  return t;
}

function parseBody(path: string, text: string): FileBody {
  let body: FileBody;
  try {
    body = JSON.parse(text) as FileBody;
  } catch {
    throw malformed(path, 'not JSON');
  }
  if (body?.format !== FORMAT) throw malformed(path, 'not a templock terminal key file');
  if (body.version !== VERSION) throw new TemplockError('UNSUPPORTED_VERSION', `terminal key file "${path}": version ${String(body.version)}`);
  const s = body.settings;
  if (typeof body.keyring !== 'string' || typeof body.applicationKey !== 'string' || typeof s !== 'object' || s === null ||
      !Array.isArray(s.epochs) || s.epochs.length === 0 || typeof s.threshold !== 'number' || typeof s.tenant !== 'string' || typeof s.scheme !== 'string')
    throw malformed(path, 'missing or mistyped fields');
  return body;
}

/** Opens the terminal at `path`; a wrong passphrase/key file or an altered file is DECRYPT_FAILED. */
export async function openTerminal(path: string, source: KekSource): Promise<Terminal> {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    throw new RangeError(`no terminal key file at "${path}": create one with \`templock keys create\``);
  }
  const body = parseBody(path, text);
  const kek = await deriveKek(source, body.protection);
  try {
    const wrapper = localKeyWrapper(kek, WRAPPER_LABEL);
    const ring = await importKeyring(hexToBytes(body.keyring), { wrapper });
    const applicationKey = await wrapper.unwrap(hexToBytes(body.applicationKey), settingsAad(body.protection, body.settings));
    return { ring, applicationKey, settings: body.settings, protection: body.protection };
  } finally {
    kek.fill(0);
  }
}

/** The key-encryption key source from --key-file, TEMPLOCK_KEY_FILE or TEMPLOCK_PASSPHRASE. */
export function kekSource(keyFile: string | undefined, env: NodeJS.ProcessEnv): KekSource {
  const file = keyFile ?? env.TEMPLOCK_KEY_FILE;
  if (file) return { kind: 'key-file', path: file };
  const passphrase = env.TEMPLOCK_PASSPHRASE;
  if (passphrase) return { kind: 'passphrase', passphrase };
  throw new RangeError('no key: set TEMPLOCK_PASSPHRASE, or pass --key-file FILE (or set TEMPLOCK_KEY_FILE)');
}
