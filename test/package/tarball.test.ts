// The packed tarball as a consumer gets it: `npm pack` ships what a consumer needs and nothing of
// the maintainers' (generators, build sources, tests), with source maps for the shipped sources;
// it installs into a fresh project without better-sqlite3's types; a strict consumer
// type-checks with `module` node16 and bundler and `skipLibCheck: false`, byte results go to
// crypto.subtle and Blob without a cast; the consumer runs, and so does the installed command.
// Packs the built package (dist/: run `npm run build` first); installs from the npm cache, the npm
// registry only for what the cache lacks.
import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { PROJECT_ROOT } from '../_lib/shared.js';

const work = mkdtempSync(join(tmpdir(), 'templock-tarball-'));
const app = join(work, 'app');
const TSC = join(PROJECT_ROOT, 'node_modules', 'typescript', 'bin', 'tsc');

function sh(cmd: string, args: string[], cwd: string): SpawnSyncReturns<string> {
  return spawnSync(cmd, args, { cwd, encoding: 'utf8', timeout: 180_000, env: { ...process.env, npm_config_update_notifier: 'false' } });
}

const packed = sh('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', work], PROJECT_ROOT);
const pack = JSON.parse(packed.stdout) as [{ filename: string; size: number; unpackedSize: number; files: { path: string }[] }];
const files = new Set(pack[0].files.map((f) => f.path));
const tarball = join(work, pack[0].filename);

test('the tarball ships the release files, the vectors and source maps of the shipped sources', () => {
  for (const f of ['LICENSE', 'README.md', 'CHANGELOG.md', 'SECURITY.md', 'SPEC.md', 'docs/EVALUATION.md', 'vectors/README.md', 'bin/templock.js'])
    assert.ok(files.has(f), `${f} is missing`);
  const vectors = [...files].filter((f) => /^vectors\/[a-z_]+_v1\.json$/.test(f));
  assert.ok(vectors.length >= 9, `vector files: ${vectors.join(', ')}`);
  const js = [...files].filter((f) => f.startsWith('dist/') && f.endsWith('.js'));
  assert.ok(js.length > 50);
  for (const f of js) {
    assert.ok(files.has(`${f}.map`), `${f} has no source map`);
    assert.ok(files.has(`${f.replace(/^dist\//, 'src/').replace(/\.js$/, '.ts')}`), `${f}: its source is not shipped`);
  }
  assert.match(readFileSync(join(PROJECT_ROOT, 'LICENSE'), 'utf8'), /Apache License\s+Version 2\.0, January 2004/);
});

test('the tarball leaves out generators, build sources, tests and maintainer scripts', () => {
  for (const f of files) {
    assert.not.ok(/^(test|wasm|scripts|examples|vectors\/generators)\//.test(f) || f === 'vectors/generate.ts', `${f} is shipped`);
    assert.not.ok(f.includes('make-mean'), `${f} is shipped`);
    assert.not.ok(/^bench\/(results|native\/build)\//.test(f), `${f} is shipped`);
  }
});

test('every relative link of the README points into the tarball', () => {
  const readme = readFileSync(join(PROJECT_ROOT, 'README.md'), 'utf8');
  const links = [...readme.matchAll(/\]\(([^)#:\s]+)(?:#[^)]*)?\)/g)].map((m) => m[1]!.replace(/^\.\//, ''));
  assert.ok(links.length > 0);
  for (const l of links) assert.ok(files.has(l) || [...files].some((f) => f.startsWith(`${l.replace(/\/$/, '')}/`)), `README links to ${l}, which is not shipped`);
});

test('package.json carries the metadata a registry shows', () => {
  const pkg = JSON.parse(readFileSync(join(PROJECT_ROOT, 'package.json'), 'utf8')) as Record<string, unknown>;
  assert.is(pkg.license, 'Apache-2.0');
  assert.ok(Array.isArray(pkg.keywords) && pkg.keywords.length >= 5);
  assert.equal(pkg.engines, { node: '>=20.19' });
});

const CONSUMER = `
import { defaultParams, encodeTemplate, generateKey, generateSalt, protect, type ProtectedTemplate } from 'templock';
import { Gallery, init, Matcher } from 'templock/match';
import { exportKeyring, Keyring, sealTemplate } from 'templock/storage';
import { openSqliteStore } from 'templock/storage/sqlite';
import { openPostgresStore, type PostgresTemplateStore } from 'templock/storage/postgres';
import { unlinkability } from 'templock/eval';
import { defaultVectorsDir, verifyVectorDir } from 'templock/conformance';
import type { FaceEmbedder } from 'templock/embed';

export type Embedder = FaceEmbedder;
export type CentralStore = PostgresTemplateStore;
export const openCentral: typeof openPostgresStore = openPostgresStore;

await init();
const params = defaultParams('iom-grp', 128);
const key = generateKey(), salt = generateSalt();
const embedding = new Float32Array(128).map((_, i) => Math.cos(i * 0.37));
const enrolled: ProtectedTemplate = protect(embedding, params, key, salt);
const probe = protect(embedding.map((v, i) => v + (i % 7 === 0 ? 0.01 : 0)), params, key, salt);

// Byte results are Uint8Array<ArrayBuffer>: Web APIs take them without a cast.
const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', encodeTemplate(enrolled)));
const ring = Keyring.generate();
const blob = new Blob([sealTemplate(ring, enrolled, { tenant: 'acme', subjectId: 'alice', purpose: 'access' })]);
const keyring = await crypto.subtle.digest('SHA-256', await exportKeyring(ring, { passphrase: 'correct horse battery staple', argon2: { m: 19456, t: 2, p: 1 } }));

const store = openSqliteStore(process.argv[2]!, { keyring: ring, tenant: 'acme' });
store.put('alice', enrolled);
const gallery = new Gallery(enrolled);
for (const e of store.entries()) gallery.add(e.subjectId, e.template);
store.close();
const [best] = gallery.identify(probe, { k: 1, threshold: 0.5 });
const verified = new Matcher({ threshold: 0.5 }).verify(probe, enrolled);
const u = unlinkability(Float64Array.of(0.1, 0.2, 0.3), Float64Array.of(0.1, 0.2, 0.3));
const report = verifyVectorDir(defaultVectorsDir());
console.log(JSON.stringify({
  digestBytes: digest.length, blobBytes: blob.size, keyringDigest: keyring.byteLength,
  best: best?.id, match: verified.match, dSys: u.dSys, vectorsFailed: report.failures.length, vectorsPassed: report.passed > 0,
}));
`;

function tsconfig(module: 'node16' | 'bundler'): object {
  const resolution = module === 'node16' ? { module: 'node16', moduleResolution: 'node16' } : { module: 'esnext', moduleResolution: 'bundler' };
  return {
    compilerOptions: {
      ...resolution, target: 'es2022', lib: ['es2022', 'dom'], types: ['node'], strict: true, skipLibCheck: false,
      exactOptionalPropertyTypes: true, noUncheckedIndexedAccess: true, outDir: `out-${module}`,
    },
    files: ['app.ts'],
  };
}

test('the tarball installs offline into a fresh project, without better-sqlite3 or its types', () => {
  mkdirSync(app);
  writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'consumer', private: true, type: 'module' }));
  const r = sh('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', tarball], app);
  assert.is(r.status, 0, r.stderr);
  const installed = JSON.parse(readFileSync(join(app, 'node_modules', 'templock', 'package.json'), 'utf8')) as { version: string };
  assert.is(installed.version, pack[0].filename.replace(/^templock-|\.tgz$/g, ''));
  for (const absent of ['better-sqlite3', '@types/better-sqlite3']) assert.not.ok(sh('node', ['-e', `require.resolve('${absent}/package.json')`], app).status === 0, `${absent} was installed`);
  writeFileSync(join(app, 'app.ts'), CONSUMER);
  // The app's own Node types; no face-api, TF.js or better-sqlite3 types are needed to type-check.
  for (const dep of ['@types/node']) {
    mkdirSync(join(app, 'node_modules', dep, '..'), { recursive: true });
    symlinkSync(join(PROJECT_ROOT, 'node_modules', dep), join(app, 'node_modules', dep), 'dir');
  }
});

for (const module of ['node16', 'bundler'] as const) {
  test(`a strict consumer type-checks with module ${module} and skipLibCheck false`, () => {
    writeFileSync(join(app, `tsconfig.${module}.json`), JSON.stringify(tsconfig(module)));
    const r = sh(process.execPath, [TSC, '-p', `tsconfig.${module}.json`], app);
    assert.is(r.status, 0, r.stdout + r.stderr);
  });
}

test('the consumer runs: protect, seal, store, identify, verify, evaluate and check the shipped vectors', () => {
  // The app's own driver: better-sqlite3 installed beside templock (no types).
  symlinkSync(join(PROJECT_ROOT, 'node_modules', 'better-sqlite3'), join(app, 'node_modules', 'better-sqlite3'), 'dir');
  const r = sh(process.execPath, [join('out-node16', 'app.js'), join(work, 'consumer.db')], app);
  assert.is(r.status, 0, r.stderr);
  const out = JSON.parse(r.stdout) as Record<string, unknown>;
  assert.equal(out, { digestBytes: 32, blobBytes: out.blobBytes, keyringDigest: 32, best: 'alice', match: true, dSys: out.dSys, vectorsFailed: 0, vectorsPassed: true });
  assert.ok((out.blobBytes as number) > 100);
});

test('every entry loads through require() (require(esm) of Node)', () => {
  const entries = ['templock', 'templock/match', 'templock/storage', 'templock/storage/sqlite', 'templock/storage/postgres', 'templock/embed', 'templock/eval', 'templock/conformance'];
  const r = sh(process.execPath, ['-e', `for (const e of ${JSON.stringify(entries)}) if (Object.keys(require(e)).length === 0) throw new Error(e)`], app);
  assert.is(r.status, 0, r.stderr);
});

test('the installed command runs', () => {
  const bin = join(app, 'node_modules', '.bin', 'templock');
  const help = sh(bin, ['--help'], app);
  assert.is(help.status, 0, help.stderr);
  assert.match(help.stdout, 'templock');
  const vectors = sh(bin, ['vectors', 'verify'], app);
  assert.is(vectors.status, 0, vectors.stdout + vectors.stderr);
});

test.after(() => {
  console.log(`tarball ${pack[0].filename}: ${pack[0].files.length} files, ${pack[0].size} bytes packed, ${pack[0].unpackedSize} unpacked`);
  rmSync(work, { recursive: true, force: true });
});
test.run();
