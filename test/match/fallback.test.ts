// Backend selection without WebAssembly: in an engine without the WebAssembly global, init()
// selects the JS reference kernels, forcing a WASM backend is BACKEND_UNAVAILABLE, and a gallery
// still identifies.
import { spawnSync } from 'node:child_process';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { PROJECT_ROOT } from '../_lib/shared.js';

const SCRIPT = `
const { init, backend, Gallery } = await import('./src/match/index.ts');
const { protect, isTemplockError } = await import('./src/index.ts');
delete globalThis.WebAssembly; // after the imports: the TypeScript loader itself uses WebAssembly
const out = {};
try { await init({ backend: 'wasm-simd' }); out.forced = 'no error'; } catch (e) { out.forced = isTemplockError(e) ? e.code : String(e); }
out.selected = await init();
out.backend = backend();
const params = { scheme: 'sign', dim: 32, bits: 64 };
const key = new Uint8Array(32).fill(1), salt = new Uint8Array(16).fill(2);
const x = Float32Array.from({ length: 32 }, (_, i) => Math.cos(i));
const t = protect(x, params, key, salt);
const g = new Gallery(t);
g.add('a', t);
out.identify = g.identify(t, { threshold: 1 });
console.log(JSON.stringify(out));
`;

test('without WebAssembly, init() selects the JS kernels and everything still works', () => {
  const r = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', SCRIPT], { cwd: PROJECT_ROOT, encoding: 'utf8' });
  assert.is(r.status, 0, r.stderr);
  const out = JSON.parse(r.stdout.trim().split('\n').pop()!);
  assert.equal(out, { forced: 'BACKEND_UNAVAILABLE', selected: 'js', backend: 'js', identify: [{ id: 'a', rank: 1 }] });
});

test.run();
