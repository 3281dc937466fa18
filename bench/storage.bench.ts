// Sealed storage: seal and open of a 64-byte (sign 512 bits) and a 1 KiB (IoM-GRP m 1024)
// template under both record AEADs, against a plain XChaCha20-Poly1305 call on the template
// bytes (baseline: the AEAD alone, without key commitment, context binding or framing); SQLite
// put (one transaction per put, both durabilities, and batches of 1,000) and get; a decision
// through AccessControl (open the record, decide, write the attempt state and the audit entry in
// one transaction) against the same get and compare without them; and the time to load 100,000
// records from a SQLite file into a 1:N Gallery, through openEntries() on two worker threads (the
// documented fast path) and through entries() on the calling thread, beside the part of each
// load that checks the store manifest (re-summing its 100,000 entries). And the Argon2id that
// unlocks a passphrase-sealed keyring at the default cost (64 MiB, 3 passes, 1 lane): the
// WebAssembly path against the pure-JavaScript one of @noble/hashes (baseline), same bytes.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { xchacha20poly1305 } from '@noble/ciphers/chacha.js';
import { randomBytes as csprng } from '@noble/hashes/utils.js';
import { encodeTemplate, protect, type ProtectedTemplate, type TransformParams } from '../src/index.js';
import { Gallery, init } from '../src/match/index.js';
import { compareTemplates } from '../src/score.js';
import { AccessControl, Keyring, openTemplate, sealTemplate, type AeadName, type RecordContext } from '../src/storage/index.js';
import { _Manifest } from '../src/storage/manifest.js';
import { openSqliteStore, type SqliteTemplateStore } from '../src/storage/sqlite/index.js';
import { _argon2idWasm } from '../src/storage/argon2id-wasm.js';
import { _argon2idJs, ARGON2_DEFAULTS } from '../src/storage/kdf.js';
import type { _Backend } from '../src/storage/store.js';
import { randomBytes } from './harness/data.js';
import { BENCH_KEY, embeddings } from './harness/inputs.js';
import { defineSuite, type Impl, type Workload } from './harness/suite.js';

const CTX: RecordContext = { tenant: 'bench-site', subjectId: 'subject-000042', purpose: 'access' };
const SIGN_512: TransformParams = { scheme: 'sign', dim: 128, bits: 512 };
const IOM_1K: TransformParams = { scheme: 'iom-grp', dim: 128, m: 1024, q: 16 };
const LOAD_COUNT = 100_000;
const PUT_BATCH = 1000;
const ALGS: readonly AeadName[] = ['xchacha20-poly1305', 'aes-256-gcm-siv'];

const rings = Object.fromEntries(ALGS.map((a) => [a, Keyring.fromKey(randomBytes(32, 201 + ALGS.indexOf(a)), { algorithm: a })])) as Record<AeadName, Keyring>;
const baselineKey = randomBytes(32, 203);
const ignore = () => undefined;

function templateOf(params: TransformParams, seed: number, salt = randomBytes(16, seed + 1)): ProtectedTemplate {
  return protect(embeddings(1, params.dim, seed).rows[0]!, params, BENCH_KEY, salt);
}

function sealWorkload(label: string, params: TransformParams, seed: number): Workload[] {
  const t = templateOf(params, seed);
  const bytes = encodeTemplate(t);
  const sealed = Object.fromEntries(ALGS.map((a) => [a, sealTemplate(rings[a], t, CTX)])) as Record<AeadName, Uint8Array>;
  const baselineSealed = { nonce: csprng(24), ct: new Uint8Array(0) };
  baselineSealed.ct = xchacha20poly1305(baselineKey, baselineSealed.nonce, new Uint8Array(0)).encrypt(bytes);
  const common = { items: 1, itemUnit: 'records', bytes: bytes.length };
  return [
    {
      name: `seal ${label} template`, ...common,
      impls: (): Impl[] => [
        { variant: 'baseline', fn: () => xchacha20poly1305(baselineKey, csprng(24), new Uint8Array(0)).encrypt(bytes), output: ignore },
        ...ALGS.map((a) => ({ variant: a, fn: () => sealTemplate(rings[a], t, CTX), output: ignore })),
      ],
    },
    {
      name: `open ${label} template`, ...common,
      impls: (): Impl[] => [
        { variant: 'baseline', fn: () => xchacha20poly1305(baselineKey, baselineSealed.nonce, new Uint8Array(0)).decrypt(baselineSealed.ct), output: (v) => Buffer.from(v as Uint8Array).toString('hex') },
        ...ALGS.map((a) => ({ variant: a, fn: () => openTemplate(rings[a], sealed[a], CTX), output: (v: unknown) => Buffer.from(encodeTemplate(v as ProtectedTemplate)).toString('hex') })),
      ],
    },
  ];
}

let dir = '';
const stores: SqliteTemplateStore[] = [];
let putCounter = 0;

function openStore(name: string, durability: 'full' | 'normal'): SqliteTemplateStore {
  if (!dir) dir = mkdtempSync(join(tmpdir(), 'templock-bench-'));
  const s = openSqliteStore(join(dir, name), { keyring: rings['xchacha20-poly1305'], tenant: CTX.tenant, durability });
  stores.push(s);
  return s;
}

function closeStores(): void {
  for (const s of stores.splice(0)) s.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
  dir = '';
}

const small = templateOf(SIGN_512, 300);
let loadStore: SqliteTemplateStore | undefined;
let reference: ProtectedTemplate | undefined;

/** Enters opened templates into a new Gallery in chunks (bulk payload load). */
class GalleryFiller {
  static readonly CHUNK = 10_000;
  readonly #gallery = new Gallery(reference!, { threads: 1 });
  readonly #payloadBytes = reference!.payload.length;
  #ids: string[] = [];
  #buf = new Uint8Array(GalleryFiller.CHUNK * this.#payloadBytes);

  add(subjectId: string, template: ProtectedTemplate): void {
    this.#buf.set(template.payload, this.#ids.length * this.#payloadBytes);
    this.#ids.push(subjectId);
    if (this.#ids.length === GalleryFiller.CHUNK) {
      this.#gallery.addPayloads(this.#ids, this.#buf);
      this.#ids = [];
      this.#buf = new Uint8Array(GalleryFiller.CHUNK * this.#payloadBytes);
    }
  }

  /** Adds the last chunk, closes the gallery and returns its size. */
  finish(): number {
    if (this.#ids.length) this.#gallery.addPayloads(this.#ids, this.#buf.subarray(0, this.#ids.length * this.#payloadBytes));
    const size = this.#gallery.size;
    this.#gallery.close();
    return size;
  }
}

/** The manifest check every load of the store starts with (SPEC.md §7.6 rule 5): the number of entries verified. */
function checkManifest(store: SqliteTemplateStore): number {
  const backend = (store as unknown as { backend: _Backend }).backend;
  return new _Manifest(backend, store.keyring, store.tenant, undefined).verified().versions.size;
}

/** Loads the store into a Gallery through entries(): every record opened on this thread. */
function loadGallery(store: SqliteTemplateStore): number {
  const filler = new GalleryFiller();
  for (const { subjectId, template } of store.entries()) filler.add(subjectId, template);
  return filler.finish();
}

/** Loads the store into a Gallery through openEntries(): records opened on worker threads. */
async function loadGalleryThreaded(store: SqliteTemplateStore, threads: number): Promise<number> {
  const filler = new GalleryFiller();
  for await (const { subjectId, template } of store.openEntries({ threads })) filler.add(subjectId, template);
  return filler.finish();
}

const UNLOCK = { password: randomBytes(28, 330), salt: randomBytes(16, 331), ad: new TextEncoder().encode('templock/v1/keyring/passphrase') };
const hex = (v: unknown) => Buffer.from(v as Uint8Array).toString('hex');

export default defineSuite({
  name: 'storage',
  workloads: [
    {
      name: 'argon2id unlock (m 64 MiB, t 3, p 1)', items: 1, itemUnit: 'unlocks', minSamples: 3, maxTimeSeconds: 4,
      impls: (): Impl[] => [
        { variant: 'baseline', async: true, fn: () => _argon2idJs(UNLOCK.password, UNLOCK.salt, ARGON2_DEFAULTS, UNLOCK.ad), output: hex },
        { variant: 'wasm', async: true, fn: () => _argon2idWasm(UNLOCK.password, UNLOCK.salt, ARGON2_DEFAULTS, UNLOCK.ad, undefined, 32), output: hex },
      ],
    },
    ...sealWorkload('64-byte', SIGN_512, 310),
    ...sealWorkload('1 KiB', IOM_1K, 320),
    {
      name: 'sqlite put (one transaction per record)', items: 1, itemUnit: 'records',
      teardown: closeStores,
      impls: () => {
        const full = openStore('put-full.db', 'full'), normal = openStore('put-normal.db', 'normal');
        return [
          { variant: 'sqlite durability=full', fn: () => full.put(`s${putCounter++ % 50_000}`, small), output: ignore },
          { variant: 'sqlite durability=normal', fn: () => normal.put(`s${putCounter++ % 50_000}`, small), output: ignore },
        ];
      },
    },
    {
      name: `sqlite putMany (batches of ${PUT_BATCH})`, items: PUT_BATCH, itemUnit: 'records',
      teardown: closeStores,
      impls: () => {
        const full = openStore('batch-full.db', 'full');
        const batch = (base: number) => Array.from({ length: PUT_BATCH }, (_, i) => ({ subjectId: `b${(base + i) % 50_000}`, template: small }));
        return [{ variant: 'sqlite durability=full', fn: () => full.putMany(batch((putCounter += PUT_BATCH))), output: ignore }];
      },
    },
    {
      name: 'sqlite get (open one record)', items: 1, itemUnit: 'records',
      teardown: closeStores,
      setup: () => {
        const s = openStore('get.db', 'normal');
        s.putMany(Array.from({ length: 10_000 }, (_, i) => ({ subjectId: `g${i}`, template: small })));
      },
      impls: () => {
        const s = stores[0]!;
        let i = 0;
        return [{ variant: 'sqlite', fn: () => s.get(`g${(i++ * 7919) % 10_000}`), output: ignore }];
      },
    },
    {
      name: 'access decision (AccessControl.verify, accepted)', items: 1, itemUnit: 'decisions',
      teardown: closeStores,
      setup: () => {
        for (const [name, durability] of [['access-full.db', 'full'], ['access-normal.db', 'normal']] as const) {
          const s = openStore(name, durability);
          s.putMany(Array.from({ length: 10_000 }, (_, i) => ({ subjectId: `g${i}`, template: small })));
        }
      },
      impls: () => {
        const [full, normal] = stores as [SqliteTemplateStore, SqliteTemplateStore];
        const decide = (s: SqliteTemplateStore) => {
          const access = new AccessControl({ store: s, threshold: 0.8 });
          let i = 0;
          return () => access.verify(`g${(i++ * 7919) % 10_000}`, small, { source: 'bench-gate' }).accepted;
        };
        let j = 0;
        return [
          { variant: 'baseline', fn: () => compareTemplates(small, normal.get(`g${(j++ * 7919) % 10_000}`)) >= 0.8, output: (v) => v },
          { variant: 'sqlite durability=full', fn: decide(full), output: (v) => v },
          { variant: 'sqlite durability=normal', fn: decide(normal), output: (v) => v },
        ];
      },
    },
    {
      name: `load ${LOAD_COUNT.toLocaleString('en')} records from SQLite into a Gallery (sign-512)`,
      items: LOAD_COUNT, itemUnit: 'records', minSamples: 3, maxTimeSeconds: 20,
      setup: async () => {
        await init();
        reference = small;
        loadStore = openStore('load.db', 'normal');
        const payloads = randomBytes(LOAD_COUNT * 64, 330);
        for (let from = 0; from < LOAD_COUNT; from += 10_000) {
          loadStore.putMany(Array.from({ length: 10_000 }, (_, i) => ({
            subjectId: `subject-${from + i}`, template: { ...small, payload: payloads.subarray((from + i) * 64, (from + i + 1) * 64) },
          })));
        }
      },
      teardown: () => { loadStore = undefined; closeStores(); },
      impls: () => [
        { variant: 'openEntries, 2 worker threads', fn: () => loadGalleryThreaded(loadStore!, 2), async: true },
        { variant: 'entries, this thread', fn: () => loadGallery(loadStore!) },
        { variant: 'manifest check alone (part of both)', fn: () => checkManifest(loadStore!) },
      ],
    },
  ],
});
