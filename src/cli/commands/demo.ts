// `templock demo` (also `npm start`): an access-terminal simulation on the group photos shipped
// with @vladmandic/face-api. Every face is detected; the people of the first four photos are
// enrolled as residents into a fresh SQLite store (sealed records), the people of the last two
// are strangers. Each resident is verified 1:1 and identified 1:N from a different view of the
// face; strangers must be rejected; one resident is revoked and re-issued under a new salt; the
// storage key is rotated; the database files are scanned for raw embeddings.
import { mkdtempSync, existsSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { _canonicalise } from '../../canonical.js';
import type { DetectedFace } from '../../embed/embedder.js';
import type { RgbImage } from '../../embed/image.js';
import { faceapiParams, faceapiThreshold } from '../../embed/model-params.js';
import { isTemplockError, TemplockError } from '../../errors.js';
import type { Gallery } from '../../match/gallery.js';
import { init } from '../../match/loader.js';
import { Matcher } from '../../match/matcher.js';
import { compareTemplates } from '../../score.js';
import type { ProtectedTemplate } from '../../template.js';
import { protect } from '../../transforms/protect.js';
import type { Command, Io } from '../command.js';
import { countFound, databaseFiles, vectorBytes, type ScanTarget } from './demo-scan.js';
import { _fleetScenario } from './demo-fleet.js';
import { _keyBindingScenario } from './demo-key-binding.js';
import { enrolmentCapture, probeCapture, unlessNoFace } from './demo-views.js';
import { rewrapAndRetire } from './keys-rotation.js';
import { createKeyFile, createTerminal, type KekSource } from './terminal-file.js';
import { captureFace, emit, enrolledTemplate, epochGalleries, epochSalt, reissueSubject, sessionOf, terminalEmbedder, type Session } from './terminal-session.js';

const PHOTOS = ['sample1.jpg', 'sample2.jpg', 'sample3.jpg', 'sample4.jpg', 'sample5.jpg', 'sample6.jpg'];
/** Photos whose people are residents; the people of the others are strangers. */
const RESIDENT_PHOTOS = 4;
const SCHEME = 'iom-grp';

interface Person {
  readonly id: string;
  readonly photo: string;
  readonly image: RgbImage;
  readonly face: DetectedFace;
}

interface Step { readonly step: string; readonly ms: number }

/** The folder of the sample photos inside the installed @vladmandic/face-api. */
function photoDir(): string {
  return join(dirname(createRequire(import.meta.url).resolve('@vladmandic/face-api/package.json')), 'demo');
}

/** The resident ranked first at the threshold by the galleries (probes[i] for galleries[i], the earlier epoch first), if any. */
function bestMatch(galleries: readonly Gallery[], probes: readonly ProtectedTemplate[], threshold: number): string | undefined {
  return galleries.map((g, i) => g.identify(probes[i]!, { k: 1, threshold })[0]?.id).find((id) => id !== undefined);
}

function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length === 0 ? 0 : s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
}

/** Where the demo writes its database, keys and key file, and whether they stay afterwards. */
export interface _DemoDatabase {
  readonly path: string;
  /** True when the files stay after the demo: --db was given, or --keep. */
  readonly kept: boolean;
  /** Removes the temporary folder unless the files are kept. */
  dispose(): void;
}

/**
 * A fresh database path: --db (which must not exist yet; kept), or terminal.db in a new temporary
 * folder, which dispose() removes unless `keep`.
 */
export function _demoDatabase(db: unknown, keep: boolean): _DemoDatabase {
  if (typeof db !== 'string') {
    const folder = mkdtempSync(join(tmpdir(), 'templock-demo-'));
    return { path: join(folder, 'terminal.db'), kept: keep, dispose: () => { if (!keep) rmSync(folder, { recursive: true, force: true }); } };
  }
  const path = resolve(db);
  if (existsSync(path) || existsSync(`${path}.keyring`)) throw new TemplockError('DUPLICATE_ID', `"${path}" exists: the demo needs a new database path`);
  return { path, kept: true, dispose: () => {} };
}

/** Runs the scenario on an open session and returns its figures; with `fleetFolder`, the fleet part too; with `keyBinding`, door credentials bound to faces. */
async function scenario(s: Session, io: Io, fleetFolder: string | undefined, keyBinding: boolean) {
  const steps: Step[] = [];
  const timed = async <T>(step: string, body: () => Promise<T>): Promise<T> => {
    const t0 = performance.now();
    try { return await body(); } finally { steps.push({ step, ms: Math.round(performance.now() - t0) }); }
  };
  const captureMs: number[] = [];
  const capture = async (image: RgbImage, salts: readonly Uint8Array[]) => {
    const t0 = performance.now();
    try { return await captureFace(s, image, salts, 'centre'); } finally { captureMs.push(performance.now() - t0); }
  };
  const threshold = s.terminal.settings.threshold;

  const embedder = await timed('load TF.js and the face models', () => terminalEmbedder());
  await init();
  const matcher = new Matcher({ threshold });

  const people = await timed(`detect faces in ${PHOTOS.length} photos`, async () => {
    const residents: Person[] = [];
    const strangers: Person[] = [];
    for (const [p, photo] of PHOTOS.entries()) {
      const image = embedder.decode(join(photoDir(), photo));
      const faces = await embedder.detectFaces(image);
      const list = p < RESIDENT_PHOTOS ? residents : strangers;
      for (const face of faces) list.push({ id: `${p < RESIDENT_PHOTOS ? 'resident' : 'stranger'}-${String(list.length + 1).padStart(2, '0')}`, photo, image, face });
      io.progress(p + 1, PHOTOS.length, 'detect');
    }
    return { residents, strangers };
  });
  const { strangers } = people;

  // Enrolment: one person in view. The raw embedding is asked for by name (embedRawUnsafe) and
  // kept in memory only to scan the database for it at the end; then it is zero-filled. A capture
  // without a detectable face is a failure to enrol.
  const salt0 = epochSalt(s.terminal, 0);
  const params = faceapiParams(SCHEME);
  const scanTargets: ScanTarget[] = [];
  const raws: Float32Array[] = [];
  const residents: Person[] = [];
  let failuresToEnrol = 0;
  const enrolled = new Map<string, ProtectedTemplate>();
  await timed(`enrol ${people.residents.length} residents`, async () => {
    for (const [i, r] of people.residents.entries()) {
      const t0 = performance.now();
      const raw = await unlessNoFace(embedder.embedRawUnsafe(enrolmentCapture(r.image, r.face), { face: 'centre' }));
      io.progress(i + 1, people.residents.length, 'enrol');
      if (!raw) { failuresToEnrol++; continue; }
      const template = protect(raw, params, s.terminal.applicationKey, salt0);
      captureMs.push(performance.now() - t0);
      s.store.put(r.id, template);
      enrolled.set(r.id, template);
      residents.push(r);
      raws.push(raw);
      const canonical = _canonicalise(raw, params.mean as Float32Array);
      scanTargets.push({ kind: 'raw embedding', bytes: vectorBytes(raw) }, { kind: 'canonical vector', bytes: vectorBytes(canonical) }, { kind: 'template payload', bytes: template.payload.slice() });
      canonical.fill(0);
    }
  });

  // 1:1 verification from a different view; every other resident's template must reject it.
  const probes = new Map<string, ProtectedTemplate>();
  const views: Record<string, string> = {};
  let genuineAccepts = 0;
  let failuresToAcquire = 0;
  await timed(`verify ${residents.length} residents 1:1 (other views)`, async () => {
    for (const [i, r] of residents.entries()) {
      const { image, view } = probeCapture(r.image, r.face, i);
      views[r.id] = view;
      const probe = (await unlessNoFace(capture(image, [salt0])))?.template;
      io.progress(i + 1, residents.length, 'verify');
      if (!probe) { failuresToAcquire++; continue; }
      probes.set(r.id, probe);
      if (matcher.verify(probe, s.store.get(r.id)).match) genuineAccepts++;
    }
  });
  let impostorTrials = 0;
  let impostorRejects = 0;
  for (const [id, probe] of probes) {
    for (const other of residents) {
      if (other.id === id) continue;
      impostorTrials++;
      if (!matcher.verify(probe, enrolled.get(other.id)!).match) impostorRejects++;
    }
  }

  // 1:N identification of every resident, and of every stranger (who must match nobody).
  let rank1 = 0;
  let strangerRejects = 0;
  let strangersSeen = 0;
  let strangerFailuresToAcquire = 0;
  await timed(`identify ${residents.length} residents and ${strangers.length} strangers 1:N`, async () => {
    const loaded = await epochGalleries(s);
    try {
      for (const [id, probe] of probes) if (bestMatch(loaded.galleries, [probe], threshold) === id) rank1++;
      for (const [i, st] of strangers.entries()) {
        const probe = (await unlessNoFace(capture(enrolmentCapture(st.image, st.face), [salt0])))?.template;
        io.progress(i + 1, strangers.length, 'strangers');
        if (!probe) { strangerFailuresToAcquire++; continue; }
        strangersSeen++;
        if (bestMatch(loaded.galleries, [probe], threshold) === undefined) strangerRejects++;
        for (const r of residents) {
          impostorTrials++;
          if (!matcher.verify(probe, enrolled.get(r.id)!).match) impostorRejects++;
        }
      }
    } finally {
      loaded.close();
    }
  });

  // Key binding (--key-binding): a door credential per resident that only their face opens.
  const bound = !keyBinding ? undefined
    : await timed(`key binding: bind ${residents.length} door credentials, release them 1:1 and 1:N`, () => _keyBindingScenario(s, embedder, residents, strangers, io));

  // Fleet (--fleet): the residents in a central PostgreSQL store, terminals following it.
  const fleet = fleetFolder === undefined ? undefined
    : await timed(`fleet: central store, ${residents.length} residents, terminals following it`, () => _fleetScenario(fleetFolder, s.terminal.ring, enrolled, probes, threshold));

  // Revocation: the old template leaks; the resident is revoked, then re-issued from a new capture.
  const target = residents[0]!;
  const revocation = await timed(`revoke and re-issue ${target.id}`, async () => {
    const leaked = s.store.get(target.id);
    s.store.revokeSubject(target.id);
    let refusedWith = 'accepted';
    try { enrolledTemplate(s, target.id); } catch (e) { refusedWith = isTemplockError(e) ? e.code : 'error'; }
    const { template: reissued, epoch } = await reissueSubject(s, target.id, async (salt) => (await capture(probeCapture(target.image, target.face, 3).image, [salt])).template);
    const salt1 = epochSalt(s.terminal, epoch);
    const fresh = (await capture(probeCapture(target.image, target.face, 0).image, [salt1])).template;
    const newAccepted = matcher.verify(fresh, s.store.get(target.id)).match;
    const oldMatchesNew = compareTemplates(leaked, reissued) >= threshold;
    const oldMatchesFresh = compareTemplates(leaked, fresh) >= threshold;
    const loaded = await epochGalleries(s);
    try {
      const probeAll = await capture(probeCapture(target.image, target.face, 0).image, loaded.epochs.map((e) => epochSalt(s.terminal, e)));
      const identifiedAfter = bestMatch(loaded.galleries, probeAll.templates, threshold) === target.id;
      return { id: target.id, refusedWith, newAccepted, oldMatchesNew, oldMatchesFresh, identifiedAfter, epochs: loaded.epochs.length };
    } finally {
      loaded.close();
    }
  });

  // Storage-key rotation: records re-wrapped without a new capture, old key disabled.
  const rotation = await timed('rotate the storage key and re-wrap', async () => {
    const previousKeyId = s.terminal.ring.primaryId;
    s.terminal.ring.rotate();
    const o = await rewrapAndRetire(s);
    const second = residents[1]!;
    const stillAccepted = matcher.verify(probes.get(second.id)!, s.store.get(second.id)).match;
    const underOldKey = s.store.list().filter((r) => r.keyId === previousKeyId).length;
    return { previousKeyId, primaryKeyId: o.primaryKeyId, rewrapped: o.rewrapped, oldKeyDisabled: o.disabled.includes(previousKeyId), underOldKey, stillAccepted };
  });

  // At rest: no raw embedding, canonical vector or template payload in the database files.
  const scan = await timed('scan the database files', async () => {
    const planted = new Uint8Array(4096);
    planted.set(vectorBytes(raws[0]!), 1000);
    const selfCheck = countFound(planted, [scanTargets[0]!]) === 1;
    const files = databaseFiles(s.db);
    const found = (kind: ScanTarget['kind']) => files.reduce((n, f) => n + countFound(f.bytes, scanTargets.filter((t) => t.kind === kind)), 0);
    const result = {
      files: files.map((f) => ({ path: f.path, bytes: f.bytes.length })),
      selfCheck, rawFound: found('raw embedding'), canonicalFound: found('canonical vector'), payloadFound: found('template payload'),
      searched: scanTargets.length,
    };
    planted.fill(0);
    for (const t of scanTargets) t.bytes.fill(0);
    for (const r of raws) r.fill(0);
    return result;
  });

  const ok = scan.selfCheck && scan.rawFound + scan.canonicalFound + scan.payloadFound === 0 &&
    revocation.refusedWith !== 'accepted' && revocation.newAccepted && !revocation.oldMatchesNew && !revocation.oldMatchesFresh &&
    rotation.underOldKey === 0 && rotation.stillAccepted &&
    (fleet === undefined || (fleet.acceptedBefore === fleet.terminals && fleet.refusedAfter === fleet.terminals)) &&
    (bound === undefined || bound.opened > 0);
  const figures = {
    runtime: embedder.runtimeDescription, scheme: SCHEME, threshold,
    detected: people.residents.length + strangers.length,
    residents: residents.length, failuresToEnrol, failuresToAcquire, strangers: strangersSeen, strangerFailuresToAcquire,
    genuineAccepts, impostorTrials, impostorRejects, rank1, strangerRejects, views,
    msPerImage: Math.round(median(captureMs)), images: captureMs.length,
    revocation, rotation, scan, ...(fleet ? { fleet } : {}), ...(bound ? { keyBinding: bound } : {}),
  };
  return { figures, steps, ok };
}

function pad(label: string, value: string): string {
  return `  ${label.padEnd(52)} ${value}`;
}

export const demoCommand: Command = {
  name: ['demo'],
  summary: 'Access-terminal simulation on the sample photos shipped with face-api (npm start)',
  help: `[--db PATH | --keep] [--fleet] [--key-binding] [--json]
  Detects every face of the six sample photos of @vladmandic/face-api, enrols the people of the
  first four as residents (sealed records in a new SQLite database), verifies and identifies
  them from other views (mirror, brightness, rotation, scale), rejects the people of the last
  two photos as strangers, revokes and re-issues one resident, rotates the storage key and scans
  the database files for raw embeddings. Prints a table and where the database is.
  --db PATH   new database file, kept (default: terminal.db in a new temporary folder, removed
              at the end)
  --keep      keep the temporary folder
  --fleet     also a fleet: a throw-away local PostgreSQL server (Debian's postgresql) as the
              central store of the residents, three terminals following it with local
              replicas, and a revocation at the desk timed until every terminal refuses
  --key-binding  also a door credential per resident bound to the face (fuzzy commitment):
              the bound template sealed in the store, the credential under the released key;
              another view releases it 1:1 and 1:N, other residents and strangers release nothing
  --json      the figures as one JSON object`,
  options: { db: { type: 'string' }, keep: { type: 'boolean' }, fleet: { type: 'boolean' }, 'key-binding': { type: 'boolean' }, json: { type: 'boolean' } },
  async run(values, _positionals, io) {
    const place = _demoDatabase(values.db, values.keep === true);
    const db = place.path;
    const keyring = `${db}.keyring`;
    const source: KekSource = { kind: 'key-file', path: `${db}.kek` };
    let result;
    try {
      createKeyFile(source.path);
      const terminal = await createTerminal(keyring, source, { tenant: 'templock-demo', scheme: SCHEME, threshold: faceapiThreshold(SCHEME) });
      const session = await sessionOf(db, keyring, source, terminal);
      try {
        result = await scenario(session, io, values.fleet === true ? dirname(db) : undefined, values['key-binding'] === true);
      } finally {
        session.close();
      }
    } finally {
      place.dispose();
    }
    const { figures: f, steps, ok } = result;
    const r = f.revocation;
    const rot = f.rotation;
    const scan = f.scan;
    const yes = (b: boolean) => (b ? 'yes' : 'NO');
    emit(io, values, { ok, db, keyring, keyFile: source.path, kept: place.kept, ...f, steps }, [
      `templock access-terminal demo  (${f.runtime}; ${f.scheme}, threshold ${f.threshold})`,
      '',
      pad('faces detected in the 6 photos', `${f.detected} (${f.residents + f.failuresToEnrol} residents, ${f.strangers + f.strangerFailuresToAcquire} strangers)`),
      pad('residents enrolled (sealed in SQLite)', `${f.residents} (failures to enrol: ${f.failuresToEnrol})`),
      pad('genuine accepts, 1:1 from another view', `${f.genuineAccepts}/${f.residents} (failures to acquire: ${f.failuresToAcquire})`),
      pad('identification rank-1, 1:N', `${f.rank1}/${f.residents}`),
      pad('impostor rejects, 1:1 (residents and strangers)', `${f.impostorRejects}/${f.impostorTrials}`),
      pad('strangers rejected, 1:N', `${f.strangerRejects}/${f.strangers} (failures to acquire: ${f.strangerFailuresToAcquire})`),
      pad(`revoked ${r.id}: verification refused with`, r.refusedWith),
      pad('re-issued template accepts a new capture', yes(r.newAccepted)),
      pad('leaked old template matches the re-issued one', r.oldMatchesNew || r.oldMatchesFresh ? 'YES' : 'no'),
      pad(`re-issued ${r.id} identified 1:N (${r.epochs} salt epochs)`, yes(r.identifiedAfter)),
      pad('storage key rotated, records re-wrapped', `${rot.rewrapped} (${rot.previousKeyId} -> ${rot.primaryKeyId})`),
      pad('records left under the old key / old key disabled', `${rot.underOldKey} / ${yes(rot.oldKeyDisabled)}`),
      pad('raw embeddings found in the database files', `${scan.rawFound}/${f.residents} (scanner self-check ${scan.selfCheck ? 'passed' : 'FAILED'})`),
      pad('canonical vectors / template payloads found', `${scan.canonicalFound} / ${scan.payloadFound}`),
      ...(f.fleet ? [
        pad('fleet: residents in the central store (PostgreSQL)', `${f.fleet.enrolled}, accepted by ${f.fleet.acceptedBefore}/${f.fleet.terminals} terminals`),
        pad(`fleet: ${f.fleet.revoked} revoked at the desk, refused by`, `${f.fleet.refusedAfter}/${f.fleet.terminals} after ${f.fleet.refusalMs.join(' / ')} ms`),
      ] : []),
      ...(f.keyBinding ? [
        pad('key binding: door credentials bound (sealed in SQLite)', `${f.keyBinding.bound}/${f.residents}`),
        pad('key binding: credential opened 1:1 from another view', `${f.keyBinding.opened}/${f.keyBinding.probes}`),
        pad('key binding: own key alone released 1:N', `${f.keyBinding.identified}/${f.keyBinding.probes}`),
        pad('key binding: keys released to others 1:1', `${f.keyBinding.falseReleases}/${f.keyBinding.impostorTrials}`),
        pad('key binding: strangers releasing any key 1:N', `${f.keyBinding.strangersReleasing}/${f.keyBinding.strangers}`),
      ] : []),
      pad('time per image (detect + embed + protect, median)', `${f.msPerImage} ms over ${f.images} captures`),
      '',
      'time per step:',
      ...steps.map((s) => pad(`  ${s.step}`, `${s.ms} ms`)),
      '',
      `database: ${db}${place.kept ? '' : '  (temporary folder removed; --keep keeps it)'}`,
      `  ${scan.files.map((x) => `${x.path} (${x.bytes} bytes)`).join(', ')}`,
      `terminal keys: ${keyring}  (sealed under the key file ${source.path})`,
      ok ? 'all checks passed' : 'SOME CHECKS FAILED',
    ]);
    return ok ? 0 : 1;
  },
};
