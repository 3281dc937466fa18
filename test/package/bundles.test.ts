// The package inside bundles (README "Bundlers and browsers"): every entry bundled by esbuild
// as ESM, CommonJS and IIFE loads in Node; an ESM bundle of an app that opens its store at top
// level loads the store on worker threads without running the app again in a worker; browser
// bundles of the core, templock/match and templock/storage carry neither the shared-memory kernels
// nor the worker programs, and protect, match and seal where Node's worker threads are absent;
// in every format, a keyring export written by the pure-JavaScript Argon2id opens on the embedded
// WebAssembly Argon2id.
// Bundles the built package (dist/: run `npm run build` first).
import { build, type Format, type Platform } from 'esbuild';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { gzipSync } from 'node:zlib';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { KERNEL_MODULES } from '../../src/match/kernels.gen.js';
import { SHARED_KERNEL_MODULES } from '../../src/match/kernels-shared.gen.js';
import { ARGON2ID_MODULES } from '../../src/storage/argon2id-wasm.gen.js';
import { PROJECT_ROOT } from '../_lib/shared.js';

const ENTRIES = ['templock', 'templock/match', 'templock/storage', 'templock/storage/sqlite', 'templock/embed', 'templock/eval', 'templock/conformance'];
const BROWSER_ENTRIES = ['templock', 'templock/match', 'templock/storage'];
/** Optional peers with native parts or their own loaders: consumers install them beside the bundle. */
const EXTERNAL = ['better-sqlite3', '@tensorflow/*', '@vladmandic/face-api', 'jpeg-js', 'pngjs'];

interface ExportFixture { passphrase: string; key: string; cases: Array<{ argon2: { m: number }; pepper: string | null; export: string }> }
const fixture = JSON.parse(readFileSync(join(PROJECT_ROOT, 'test/storage/fixtures/keyring-exports-v1.json'), 'utf8')) as ExportFixture;
const fixtureCase = fixture.cases.find((c) => c.argon2.m === 19456 && c.pepper === null)!;
/** Statements that open the fixture export and leave its key as hex in \`keyHex\` (needs importKeyring in scope). */
const OPEN_FIXTURE = `
const fromHex = (h) => new Uint8Array(h.match(/../g).map((b) => parseInt(b, 16)));
const ring = await importKeyring(fromHex('${fixtureCase.export}'), { passphrase: '${fixture.passphrase}' });
const keyHex = Array.from(ring._entries()[0].material, (b) => b.toString(16).padStart(2, '0')).join('');
`;

const dir = mkdtempSync(join(tmpdir(), 'templock-bundles-'));
mkdirSync(join(dir, 'node_modules'));
symlinkSync(PROJECT_ROOT, join(dir, 'node_modules', 'templock'), 'dir');
// The optional peers the app installs beside templock.
for (const peer of ['better-sqlite3', '@tensorflow', '@vladmandic', 'jpeg-js', 'pngjs']) symlinkSync(join(PROJECT_ROOT, 'node_modules', peer), join(dir, 'node_modules', peer), 'dir');

async function bundle(name: string, source: string, format: Format, platform: Platform, minify = false): Promise<string> {
  const outfile = join(dir, `${name}.${format === 'esm' ? 'mjs' : 'cjs'}`);
  await build({
    stdin: { contents: source, resolveDir: dir, sourcefile: `${name}.src.mjs`, loader: 'js' },
    bundle: true, format, platform, outfile, external: platform === 'node' ? EXTERNAL : [],
    target: 'es2022', logLevel: 'silent', minify,
  });
  return outfile;
}

function run(file: string, env: Record<string, string> = {}, args: string[] = []): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [...args, file], { cwd: dir, env: { ...process.env, ...env }, encoding: 'utf8', timeout: 60_000, killSignal: 'SIGKILL' });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

for (const entry of ENTRIES) {
  for (const format of ['esm', 'cjs', 'iife'] as const) {
    test(`${entry} loads from a Node ${format} bundle`, async () => {
      const name = `${entry.replaceAll('/', '-')}-${format}`;
      const file = await bundle(name, `import * as m from '${entry}';\nconsole.log(Object.keys(m).length);`, format, 'node');
      const r = run(file);
      assert.is(r.status, 0, r.stderr);
      assert.ok(Number(r.stdout.trim()) > 0, r.stdout);
    });
  }
}

for (const format of ['esm', 'cjs', 'iife'] as const) {
  test(`templock/storage in a Node ${format} bundle opens a keyring export on the embedded WebAssembly Argon2id`, async () => {
    const source = `import { importKeyring } from 'templock/storage';\n(async () => {${OPEN_FIXTURE}console.log(keyHex);})();`;
    const file = await bundle(`keyring-${format}`, source, format, 'node');
    assert.ok(readFileSync(file, 'utf8').includes(ARGON2ID_MODULES.simd.sha256), 'the Argon2id module is missing');
    const r = run(file);
    assert.is(r.status, 0, r.stderr);
    assert.is(r.stdout.trim(), fixture.key);
  });
}

const APP = `
import { appendFileSync } from 'node:fs';
import { defaultParams, generateKey, generateSalt, protect } from 'templock';
import { Keyring, MemoryTemplateStore } from 'templock/storage';
appendFileSync(process.env.MARK_FILE, 'top-level\\n');
const params = defaultParams('iom-grp', 128), key = generateKey(), salt = generateSalt();
const store = new MemoryTemplateStore({ keyring: Keyring.generate(), tenant: 'acme' });
for (let i = 0; i < 600; i++) {
  const e = new Float32Array(128).map((_, j) => Math.sin(i * 131 + j * 7));
  store.put('s' + i, protect(e, params, key, salt));
}
let opened = 0;
for await (const entry of store.openEntries({ threads: 2 })) opened++;
console.log(JSON.stringify({ opened }));
`;

test('an ESM bundle of an app that opens its store at top level opens records on two threads, its top level run once', async () => {
  const file = await bundle('app', APP, 'esm', 'node');
  const mark = join(dir, 'marks.txt');
  writeFileSync(mark, '');
  const r = run(file, { MARK_FILE: mark });
  assert.is(readFileSync(mark, 'utf8'), 'top-level\n', 'the app\'s top-level code ran again');
  assert.is(r.status, 0, r.stderr);
  assert.equal(JSON.parse(r.stdout), { opened: 600 });
});

const BROWSER_APP = `
import { defaultParams, encodeTemplate, generateKey, generateSalt, protect } from 'templock';
import { init, Matcher } from 'templock/match';
import { importKeyring, Keyring, MemoryTemplateStore } from 'templock/storage';
async function main() {
await init();
${OPEN_FIXTURE}
const params = defaultParams('iom-grp', 128), key = generateKey(), salt = generateSalt();
const store = new MemoryTemplateStore({ keyring: Keyring.generate(), tenant: 'acme' });
const e = new Float32Array(128).map((_, j) => Math.sin(j * 7));
const t = protect(e, params, key, salt);
store.put('alice', t);
const opened = [];
for await (const entry of store.openEntries({ threads: 2 })) opened.push(entry);
const same = encodeTemplate(opened[0].template).join() === encodeTemplate(t).join();
const m = new Matcher({ threshold: 0.5 });
globalThis.report({ same, accepted: m.verify(t, opened[0].template).match, keyHex });
}
main().catch((e) => globalThis.report({ error: String(e && e.stack || e) }));
`;

test('browser bundles carry neither the shared-memory kernels nor the worker programs', async () => {
  for (const entry of BROWSER_ENTRIES) {
    const file = await bundle(`browser-${entry.replaceAll('/', '-')}`, `export * from '${entry}';`, 'esm', 'browser', true);
    const text = readFileSync(file, 'utf8');
    console.log(`${entry}: browser bundle ${text.length} bytes minified, ${gzipSync(text).length} gzip`);
    for (const m of Object.values(SHARED_KERNEL_MODULES!)) assert.not.ok(text.includes(m.sha256), `${entry}: shared-memory kernels in the browser bundle`);
    assert.not.ok(/require\(\\?["']node:worker_threads/.test(text), `${entry}: a worker program in the browser bundle`);
    if (entry === 'templock/match') assert.ok(text.includes(KERNEL_MODULES.simd.sha256), `${entry}: the kernels are missing`);
    if (entry === 'templock/storage') assert.ok(text.includes(ARGON2ID_MODULES.simd.sha256), `${entry}: the Argon2id module is missing`);
  }
});

test('a browser IIFE bundle protects, seals, opens, matches and opens a keyring export without Node globals', async () => {
  const file = await bundle('browser-app', BROWSER_APP, 'iife', 'browser');
  const harness = join(dir, 'browser-harness.cjs');
  writeFileSync(harness, [
    "const { readFileSync } = require('node:fs');",
    "const vm = require('node:vm');",
    'const code = readFileSync(process.argv[2], "utf8");',
    'const out = process.stdout;',
    'globalThis.report = (r) => out.write(JSON.stringify(r));',
    '// What a page has: no process, no require, no worker threads.',
    'delete globalThis.process;',
    'vm.runInThisContext(code);',
  ].join('\n'));
  const r = spawnSync(process.execPath, [harness, file], { encoding: 'utf8', timeout: 60_000, killSignal: 'SIGKILL' });
  assert.is(r.status, 0, r.stderr);
  assert.equal(JSON.parse(r.stdout), { same: true, accepted: true, keyHex: fixture.key });
});

test.after(() => rmSync(dir, { recursive: true, force: true }));
test.run();
