// What the terminal subcommands (enroll, verify, identify, revoke, reissue, keys) share: their
// common options, opening the terminal key file and the SQLite store beside it, protecting a
// captured face under the terminal's salt epochs, decisions through AccessControl (attempt
// limits, audit log), one gallery per salt epoch, and output as text or JSON. Scores are shown
// only when asked for, and only of accepted matches.
import { statSync } from 'node:fs';
import { resolve } from 'node:path';
import { bytesToHex, hexToBytes } from '@noble/hashes/utils.js';
import type { FaceChoice, FaceEmbedder, ProtectedFace } from '../../embed/embedder.js';
import { createEmbedder } from '../../embed/embedder.js';
import type { ImageInput } from '../../embed/image.js';
import { faceapiParams } from '../../embed/model-params.js';
import { _equalBytes } from '../../bytes.js';
import { isTemplockError, TemplockError } from '../../errors.js';
import type { ScoreDisclosure } from '../../match/disclosure.js';
import { Gallery } from '../../match/gallery.js';
import { init } from '../../match/loader.js';
import { Matcher } from '../../match/matcher.js';
import { AccessControl } from '../../storage/access-control.js';
import { generateSalt } from '../../random/secrets.js';
import { DEFAULT_PURPOSE } from '../../storage/context.js';
import { saltId } from '../../storage/seal.js';
import type { SqliteTemplateStore } from '../../storage/sqlite/sqlite-store.js';
import type { ProtectedTemplate } from '../../template.js';
import type { Io, OptionSpec, OptionValues } from '../command.js';
import { kekSource, openTerminal, saveTerminal, type KekSource, type Terminal } from './terminal-file.js';

/** Default database of the command line. */
export const DEFAULT_DB = './templock.db';

/** Options every terminal subcommand takes. */
export const COMMON_OPTIONS: OptionSpec = {
  db: { type: 'string' },
  keyring: { type: 'string' },
  'key-file': { type: 'string' },
  json: { type: 'boolean' },
};

/** Options of the subcommands that read a face. */
export const FACE_OPTIONS: OptionSpec = {
  image: { type: 'string' },
  face: { type: 'string' },
};

/** Help lines of the common options. */
export const COMMON_HELP = `  --db PATH         SQLite database (default ${DEFAULT_DB})
  --keyring PATH    terminal key file (default: the database path + ".keyring")
  --key-file FILE   key-encryption key file (32 bytes or 64 hex characters); without it the
                    passphrase in TEMPLOCK_PASSPHRASE (or the file in TEMPLOCK_KEY_FILE) is used
  --json            machine-readable output on stdout`;

/** Options of the deciding subcommands (verify, identify). */
export const DECISION_OPTIONS: OptionSpec = {
  source: { type: 'string' },
  score: { type: 'string' },
};

/** Help lines of the decision options. */
export const DECISION_HELP = `  --source NAME     where the attempt comes from, limited like a resident (default: the tenant)
  --score LEVEL     also print the score of an accept: coarse (rounded down to tenths) or exact;
                    a rejection never shows one`;

/** Help lines of the face options. */
export const FACE_HELP = `  --image FILE      JPEG or PNG photo
  --face CHOICE     single (default: several faces is an error), largest or centre`;

/** Paths of the database and its key file. */
export function terminalPaths(values: OptionValues): { db: string; keyring: string } {
  const db = resolve(typeof values.db === 'string' ? values.db : DEFAULT_DB);
  return { db, keyring: typeof values.keyring === 'string' ? resolve(values.keyring) : `${db}.keyring` };
}

/** The value of a required string option, or a RangeError naming it. */
export function requireOption(values: OptionValues, name: string): string {
  const v = values[name];
  if (typeof v !== 'string' || v.length === 0) throw new RangeError(`--${name} is required`);
  return v;
}

/** An open terminal: key file, store and where they are. */
export interface Session {
  readonly db: string;
  readonly keyringPath: string;
  readonly source: KekSource;
  readonly terminal: Terminal;
  readonly store: SqliteTemplateStore;
  /** Seals and writes the terminal key file again (after a settings or keyring change). */
  save(): Promise<void>;
  close(): void;
}

/** Opens the terminal key file (passphrase or key file from options/environment) and the store. */
export async function openSession(values: OptionValues, env: NodeJS.ProcessEnv = process.env): Promise<Session> {
  const { db, keyring } = terminalPaths(values);
  const source = kekSource(typeof values['key-file'] === 'string' ? values['key-file'] : undefined, env);
  const terminal = await openTerminal(keyring, source);
  return await sessionOf(db, keyring, source, terminal);
}

/**
 * A session over an opened terminal. The SQLite store (and so better-sqlite3, an optional peer)
 * is loaded here, on first use, so commands that need no database run without it.
 */
export async function sessionOf(db: string, keyringPath: string, source: KekSource, terminal: Terminal): Promise<Session> {
  const { openSqliteStore } = await import('../../storage/sqlite/sqlite-store.js');
  const store = openSqliteStore(db, { keyring: terminal.ring, tenant: terminal.settings.tenant });
  return {
    db, keyringPath, source, terminal, store,
    save: () => saveTerminal(keyringPath, terminal, source),
    close: () => store.close(),
  };
}

/** Runs `body` on an open session and closes it afterwards. */
export async function withSession<T>(values: OptionValues, body: (s: Session) => Promise<T>, io?: Io): Promise<T> {
  const s = await step(io, 'opening the terminal keys', () => openSession(values));
  try { return await body(s); } finally { s.close(); }
}

/** Runs `work` between two progress reports of `label` (on a terminal: a line that fills when done). */
export async function step<T>(io: Io | undefined, label: string, work: () => Promise<T> | T): Promise<T> {
  io?.progress(0, 1, label);
  const result = await work();
  io?.progress(1, 1, label);
  return result;
}
/** The stored template of `id`; REVOKED, with what to do about it, when the resident was revoked. */
export function enrolledTemplate(s: Session, id: string): ProtectedTemplate {
  try {
    return s.store.get(id);
  } catch (e) {
    if (isTemplockError(e, 'REVOKED')) throw new TemplockError('REVOKED', `"${id}" is revoked: re-issue it with \`templock reissue\``);
    throw e;
  }
}

/** The salt of epoch `index` (the current one when omitted). */
export function epochSalt(t: Terminal, index = t.settings.epochs.length - 1): Uint8Array {
  return hexToBytes(t.settings.epochs[index]!);
}

/** The face choice option, checked. */
export function faceChoice(values: OptionValues): FaceChoice {
  const v = values.face ?? 'single';
  if (v !== 'single' && v !== 'largest' && v !== 'centre') throw new RangeError('--face expected one of single, largest, centre');
  return v;
}

/** The options of every command that captures one resident's face: --id, --image and --face. */
export function faceRequest(values: OptionValues): { id: string; image: string; face: FaceChoice } {
  return { id: requireOption(values, 'id'), image: imageOption(values), face: faceChoice(values) };
}

/**
 * The --image path, checked to be a file before the keys are unlocked or the face model loaded
 * (seconds each), so that a wrong path fails at once with IMAGE_UNREADABLE.
 */
export function imageOption(values: OptionValues): string {
  const path = requireOption(values, 'image');
  let file: boolean;
  try {
    file = statSync(path).isFile();
  } catch (e) {
    throw new TemplockError('IMAGE_UNREADABLE', `cannot read image file "${path}" (${(e as NodeJS.ErrnoException).code ?? 'error'})`);
  }
  if (!file) throw new TemplockError('IMAGE_UNREADABLE', `"${path}" is not a file`);
  return path;
}

let embedder: Promise<FaceEmbedder> | undefined;

/** The process-wide embedder of the command line. */
export function terminalEmbedder(): Promise<FaceEmbedder> {
  embedder ??= createEmbedder();
  return embedder;
}

/** The TF.js runtime of the command line's embedder ('tfjs-node' or 'tfjs-wasm'). */
export async function terminalRuntime(): Promise<string> {
  return (await terminalEmbedder()).runtime;
}

/**
 * Protects the face of `image` under the given salts with the terminal's key and parameters;
 * reports progress on `io` while the face model loads (the first capture of a process).
 */
export async function captureFace(s: Session, image: ImageInput, salts: readonly Uint8Array[], face: FaceChoice, io?: Io): Promise<ProtectedFace> {
  const e = embedder ? await terminalEmbedder() : await step(io, 'loading the face model', terminalEmbedder);
  return e.protectImage(image, faceapiParams(s.terminal.settings.scheme), s.terminal.applicationKey, salts, { face });
}

/** The terminal's access control: decisions at its threshold, attempt limits and audit log in its store. */
export function accessControl(s: Session): AccessControl {
  return new AccessControl({ store: s.store, threshold: s.terminal.settings.threshold });
}

/** The --source option: where attempts come from (default: the terminal's tenant). */
export function sourceOption(values: OptionValues, s: Session): string {
  return typeof values.source === 'string' ? values.source : s.terminal.settings.tenant;
}

/** The --score option: 'none' unless coarse or exact scores are asked for. */
export function scoreOption(values: OptionValues): ScoreDisclosure {
  const v = values.score;
  if (v === undefined) return 'none';
  if (v !== 'coarse' && v !== 'exact') throw new RangeError('--score expected one of coarse, exact');
  return v;
}

/** The salts of every epoch of the terminal, oldest first. */
export function allEpochSalts(t: Terminal): Uint8Array[] {
  return t.settings.epochs.map((_, i) => epochSalt(t, i));
}

/**
 * The score, as disclosed, of an accepted probe (one per salt epoch) against the subject's
 * stored template; only ever called after an acceptance.
 */
export async function acceptedScore(s: Session, disclosure: ScoreDisclosure, probes: readonly ProtectedTemplate[], id: string): Promise<number | undefined> {
  if (disclosure === 'none') return undefined;
  const enrolled = s.store.get(id);
  const probe = probes.find((p) => _equalBytes(p.salt, enrolled.salt)) ?? probes[0]!;
  await init();
  return new Matcher({ threshold: s.terminal.settings.threshold, scores: disclosure }).verify(probe, enrolled).score;
}

/** Text and JSON of a LOCKED_OUT refusal; rethrows any other error. */
export function lockedOutOutput(e: unknown, what: Record<string, unknown>): { data: Record<string, unknown>; line: string } {
  if (!isTemplockError(e, 'LOCKED_OUT')) throw e;
  return { data: { ...what, accepted: false, lockedOut: true, reason: e.message }, line: `LOCKED_OUT: ${e.message}` };
}

/** The salt epochs in use (oldest first), one decision-only Gallery per epoch loaded from the store. */
export interface EpochGalleries {
  readonly epochs: readonly number[];
  readonly galleries: readonly Gallery[];
  /** Residents loaded. */
  readonly searched: number;
  close(): void;
}

/**
 * Loads one Gallery per salt epoch that holds records of the access purpose (EMPTY_GALLERY when
 * none does); records of other purposes (the key-binding templates of the demo) stay out.
 */
export async function epochGalleries(s: Session): Promise<EpochGalleries> {
  await init();
  const index = new Map(s.terminal.settings.epochs.map((hex, i) => [saltId(hexToBytes(hex)), i] as const));
  const byEpoch = new Map<number, Gallery>();
  let searched = 0;
  const close = () => { for (const g of byEpoch.values()) g.close(); };
  try {
    for (const { subjectId, template } of s.store.entries({ purpose: DEFAULT_PURPOSE })) {
      const e = index.get(saltId(template.salt));
      if (e === undefined) throw new TemplockError('INCOMPATIBLE', `record of "${subjectId}" has a salt of no epoch of this terminal`);
      let g = byEpoch.get(e);
      if (!g) byEpoch.set(e, (g = new Gallery(template)));
      g.add(subjectId, template);
      searched++;
    }
  } catch (e) {
    close();
    throw e;
  }
  if (byEpoch.size === 0) throw new TemplockError('EMPTY_GALLERY', 'no resident is enrolled');
  const epochs = [...byEpoch.keys()].sort((a, b) => a - b);
  return { epochs, galleries: epochs.map((e) => byEpoch.get(e)!), searched, close };
}

/**
 * Re-issues the template of `id`: a new salt epoch (saved in the terminal key file), the template
 * `protectUnder` makes under its salt, any revocation of `id` lifted and its record replaced.
 */
export async function reissueSubject(s: Session, id: string, protectUnder: (salt: Uint8Array) => Promise<ProtectedTemplate>): Promise<{ template: ProtectedTemplate; epoch: number }> {
  const salt = generateSalt();
  const template = await protectUnder(salt);
  s.terminal.settings = { ...s.terminal.settings, epochs: [...s.terminal.settings.epochs, bytesToHex(salt)] };
  await s.save();
  s.store.reinstateSubject(id);
  s.store.put(id, template);
  return { template, epoch: s.terminal.settings.epochs.length - 1 };
}

/** Prints `data` as one JSON line (--json), or the text lines. */
export function emit(io: Io, values: OptionValues, data: Record<string, unknown>, lines: readonly string[]): void {
  if (values.json === true) io.out(JSON.stringify(data));
  else for (const l of lines) io.out(l);
}
