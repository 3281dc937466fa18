// Argon2id on its two paths (src/storage/argon2id-wasm.ts and the pure-JavaScript one of kdf.ts):
// the RFC 9106 §5.3 vector through each, byte equality on seeded inputs across lanes, passes,
// lengths, secret K and associated data X, keyring exports written by the pure-JavaScript path
// opening through the default one, the routing of inputs outside the WebAssembly limits, and an
// engine without WebAssembly. The RFC cases skip with a SKIP line when ../shared is absent.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { bytesToHex, hexToBytes } from '@noble/hashes/utils.js';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { importKeyring } from '../../src/storage/index.js';
import { _argon2idWasm, _argon2idWasmFits } from '../../src/storage/argon2id-wasm.js';
import { _argon2id, _argon2idJs, ARGON2_BOUNDS } from '../../src/storage/kdf.js';
import { Seeded } from '../_lib/seeded.js';
import { sharedPath } from '../_lib/shared.js';

const rfc = sharedPath('vectors/rfc', 'storage argon2id');
interface RfcCase { type: string; password: string; salt: string; secret: string; ad: string; m: number; t: number; p: number; tagLength: number; tag: string }
const rfcCase = rfc ? (JSON.parse(readFileSync(join(rfc, 'rfc9106_argon2.json'), 'utf8')) as { tests: RfcCase[] }).tests.find((c) => c.type === 'argon2id')! : undefined;

interface ExportFixture { passphrase: string; key: string; primaryId: string; cases: Array<{ argon2: { m: number; t: number; p: number }; pepper: string | null; export: string }> }
const fixture = JSON.parse(readFileSync(new URL('fixtures/keyring-exports-v1.json', import.meta.url), 'utf8')) as ExportFixture;

const rng = new Seeded('storage-argon2id');
const bytes = (min: number, max: number): Uint8Array => rng.bytes(min + rng.int(max - min + 1));

test('RFC 9106 §5.3 Argon2id through the WebAssembly path, the JavaScript path and the default one', async () => {
  if (!rfcCase) return;
  const c = rfcCase;
  const args = [hexToBytes(c.password), hexToBytes(c.salt), { m: c.m, t: c.t, p: c.p }, hexToBytes(c.ad), hexToBytes(c.secret), c.tagLength] as const;
  const wasm = await _argon2idWasm(...args);
  assert.ok(wasm, 'this engine runs the WebAssembly path');
  assert.is(bytesToHex(wasm), c.tag);
  assert.is(bytesToHex(await _argon2idJs(...args)), c.tag);
  assert.is(bytesToHex(await _argon2id(...args)), c.tag);
});

test('WebAssembly and JavaScript give the same bytes: 1-4 lanes, 1-3 passes, tags of 4-200 bytes, with and without K and X', async () => {
  for (let i = 0; i < 24; i++) {
    const p = 1 + (i % 4);
    const cost = { m: 8 * p + (rng.int(64)), t: 1 + rng.int(3), p };
    const secret = i % 3 === 0 ? undefined : bytes(1, 32);
    const args = [bytes(8, 64), bytes(8, 32), cost, bytes(0, 40), secret, 4 + rng.int(197)] as const;
    const wasm = await _argon2idWasm(...args);
    assert.ok(wasm);
    assert.is(bytesToHex(wasm), bytesToHex(await _argon2idJs(...args)), `case ${i}: ${JSON.stringify(cost)}`);
  }
});

test('keyring exports written by the pure-JavaScript path open through the default path, at the minimum and default costs', async () => {
  assert.is(fixture.cases.length, 3);
  for (const c of fixture.cases) {
    const ring = await importKeyring(hexToBytes(c.export), { passphrase: fixture.passphrase, ...(c.pepper ? { pepper: hexToBytes(c.pepper) } : {}) });
    assert.is(ring.primaryId, fixture.primaryId);
    assert.is(bytesToHex(ring._entries()[0]!.material!), fixture.key);
  }
  assert.ok(fixture.cases.some((c) => c.argon2.m === ARGON2_BOUNDS.m.min) && fixture.cases.some((c) => c.argon2.m === 65536));
});

test('inputs outside the WebAssembly limits (a password under 8 bytes, K over 32 bytes) take the JavaScript path, same bytes', async () => {
  const cost = { m: 16, t: 2, p: 1 };
  const ad = bytes(0, 8);
  for (const [password, salt, secret] of [[bytes(1, 7), bytes(8, 16), undefined], [bytes(8, 16), bytes(8, 16), bytes(33, 64)]] as const) {
    assert.not.ok(_argon2idWasmFits(password, salt, secret));
    assert.is(await _argon2idWasm(password, salt, cost, ad, secret, 32), undefined);
    assert.is(bytesToHex(await _argon2id(password, salt, cost, ad, secret)), bytesToHex(await _argon2idJs(password, salt, cost, ad, secret)));
  }
  assert.not.ok(_argon2idWasmFits(new Uint8Array(8), new Uint8Array(7), undefined));
  assert.ok(_argon2idWasmFits(new Uint8Array(8), new Uint8Array(8), new Uint8Array(32)));
});

test('an engine without WebAssembly derives the same bytes on the JavaScript path', () => {
  if (!rfcCase) return;
  const c = rfcCase;
  const out = execFileSync(process.execPath, ['--import', 'tsx', new URL('_argon2id-child.ts', import.meta.url).pathname,
    c.password, c.salt, c.secret, c.ad, String(c.m), String(c.t), String(c.p), String(c.tagLength)], { encoding: 'utf8' }).trim();
  assert.is(out, `undefined ${c.tag}`);
});

test.run();
