// Keyring export v1 (SPEC.md §8): sealed under a passphrase (Argon2id, cost from the file,
// bounded both ways and refused before any work) or under a KeyWrapper (in-process default or
// a KMS-style async callback). Round trips keep every key, status and the primary; wrong
// passphrase / key and every tampering give DECRYPT_FAILED; framing gives MALFORMED /
// UNSUPPORTED_VERSION; the export holds no key byte in clear.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import {
  ARGON2_BOUNDS, exportKeyring, importKeyring, Keyring, localKeyWrapper, openTemplate, sealTemplate, type KeyWrapper,
} from '../../src/storage/index.js';
import { assertNoSecretInMessages, noteError, rejectsCode, secret, Templates, throwsCode } from './_support.js';

const T = new Templates('storage-keyring-export');
const ctx = { tenant: 't', subjectId: 's', purpose: 'access' };
const FAST = { m: ARGON2_BOUNDS.m.min, t: ARGON2_BOUNDS.t.min, p: 1 };
const PASSPHRASE = 'correct horse battery staple';
secret(new TextEncoder().encode(PASSPHRASE));

function richRing(): Keyring {
  const ring = Keyring.generate();
  const a = ring.rotate({ algorithm: 'aes-256-gcm-siv' });
  const b = ring.rotate();
  ring.rotate({ primary: false });
  ring.disable(a);
  ring.destroy(ring.keys()[0]!.id);
  ring.setPrimary(b);
  for (const e of ring._entries()) if (e.material) secret(e.material);
  return ring;
}

function containsBytes(hay: Uint8Array, needle: Uint8Array): boolean {
  return Buffer.from(hay).indexOf(Buffer.from(needle)) >= 0;
}

test('passphrase export round trip: same keys, statuses, algorithms, primary; records still open; no key in clear', async () => {
  const ring = richRing();
  const record = sealTemplate(ring, T.make(), ctx);
  const bytes = await exportKeyring(ring, { passphrase: PASSPHRASE, argon2: FAST });
  for (const e of ring._entries()) if (e.material) assert.not.ok(containsBytes(bytes, e.material));
  const back = await importKeyring(bytes, { passphrase: PASSPHRASE });
  assert.equal(back.keys(), ring.keys());
  assert.is(back.primaryId, ring.primaryId);
  assert.ok(openTemplate(back, record, ctx));
  // NFC normalisation: a decomposed spelling of the same passphrase opens it too.
  const accented = await exportKeyring(ring, { passphrase: 'caf\u00e9', argon2: FAST });
  assert.ok(await importKeyring(accented, { passphrase: 'cafe\u0301' }));
});

test('wrong passphrase or pepper -> DECRYPT_FAILED', async () => {
  const ring = Keyring.generate();
  const pepper = secret(T.rng.bytes(32));
  const bytes = await exportKeyring(ring, { passphrase: PASSPHRASE, argon2: FAST, pepper });
  await rejectsCode(() => importKeyring(bytes, { passphrase: PASSPHRASE + '!', pepper }), 'DECRYPT_FAILED');
  await rejectsCode(() => importKeyring(bytes, { passphrase: PASSPHRASE }), 'DECRYPT_FAILED');
  assert.is((await importKeyring(bytes, { passphrase: PASSPHRASE, pepper })).primaryId, ring.primaryId);
});

test('Argon2id cost read from the file is refused outside the bounds before any work (DoS and downgrade)', async () => {
  const bytes = await exportKeyring(Keyring.generate(), { passphrase: PASSPHRASE, argon2: FAST });
  const withCost = (m: number, t: number, p: number) => {
    const b = bytes.slice();
    const dv = new DataView(b.buffer);
    dv.setUint32(6, m, true);
    dv.setUint32(10, t, true);
    b[14] = p;
    return b;
  };
  const started = Date.now();
  for (const [m, t, p] of [[2 ** 32 - 1, 2, 1], [ARGON2_BOUNDS.m.max + 1, 2, 1], [FAST.m, 1_000_000, 1], [FAST.m, 2, 255],
    [8, 2, 1], [ARGON2_BOUNDS.m.min - 1, 2, 1], [FAST.m, 1, 1], [FAST.m, 2, 0]] as const) {
    await rejectsCode(() => importKeyring(withCost(m, t, p), { passphrase: PASSPHRASE }), 'MALFORMED', `m=${m} t=${t} p=${p}`);
  }
  assert.ok(Date.now() - started < 5000, 'refused without running Argon2id');
  // In bounds but changed: the cost is authenticated, so the file no longer opens.
  await rejectsCode(() => importKeyring(withCost(FAST.m + 1, 2, 1), { passphrase: PASSPHRASE }), 'DECRYPT_FAILED');
  await rejectsCode(() => exportKeyring(Keyring.generate(), { passphrase: PASSPHRASE, argon2: { m: 1024 } }), RangeError, 'weak export refused');
});

test('in-process KeyWrapper: round trip, wrong KEK -> DECRYPT_FAILED, every single-bit flip and truncation rejected', async () => {
  const ring = richRing();
  const kek = secret(T.rng.bytes(32));
  const bytes = await exportKeyring(ring, { wrapper: localKeyWrapper(kek, 'device-kek') });
  assert.equal((await importKeyring(bytes, { wrapper: localKeyWrapper(kek, 'device-kek') })).keys(), ring.keys());
  await rejectsCode(() => importKeyring(bytes, { wrapper: localKeyWrapper(secret(T.rng.bytes(32))) }), 'DECRYPT_FAILED');
  const wrapper = localKeyWrapper(kek);
  const codeOf = async (b: Uint8Array) => {
    try {
      await importKeyring(b, { wrapper });
      return 'ok';
    } catch (e) {
      noteError(e);
      return (e as { code?: string }).code ?? (e as Error).name;
    }
  };
  const codes = new Set<string>();
  for (let bit = 0; bit < bytes.length * 8; bit++) {
    const b = bytes.slice();
    b[bit >> 3]! ^= 1 << (bit & 7);
    const code = await codeOf(b);
    assert.ok(['DECRYPT_FAILED', 'MALFORMED', 'UNSUPPORTED_VERSION'].includes(code), `bit ${bit}: ${code}`);
    codes.add(code);
  }
  assert.equal([...codes].sort(), ['DECRYPT_FAILED', 'MALFORMED', 'UNSUPPORTED_VERSION']);
  for (let n = 0; n < bytes.length; n++) {
    const code = await codeOf(bytes.subarray(0, n));
    assert.ok(code === 'MALFORMED' || code === 'DECRYPT_FAILED', `length ${n}: ${code}`);
  }
  const longer = new Uint8Array(bytes.length + 1);
  longer.set(bytes);
  await rejectsCode(() => importKeyring(longer, { wrapper }), 'DECRYPT_FAILED');
});

test('an external async KeyWrapper (KMS-style) receives the header as associated data and only the data key', async () => {
  const kek = secret(T.rng.bytes(32));
  const inner = localKeyWrapper(kek, 'kms://projects/p/keys/k1');
  const seen: Array<{ op: string; len: number; aad: string }> = [];
  const kms: KeyWrapper = {
    label: inner.label,
    wrap: async (dek, aad) => { seen.push({ op: 'wrap', len: dek.length, aad: Buffer.from(aad).toString('latin1') }); return inner.wrap(dek, aad); },
    unwrap: async (w, aad) => { seen.push({ op: 'unwrap', len: w.length, aad: Buffer.from(aad).toString('latin1') }); return inner.unwrap(w, aad); },
  };
  const ring = Keyring.generate();
  const bytes = await exportKeyring(ring, { wrapper: kms });
  assert.is((await importKeyring(bytes, { wrapper: kms })).primaryId, ring.primaryId);
  assert.is(seen.length, 2);
  assert.is(seen[0]!.len, 32);
  assert.ok(seen[0]!.aad.startsWith('TLKR') && seen[0]!.aad.endsWith(inner.label));
  assert.is(seen[1]!.aad, seen[0]!.aad);
  const liar: KeyWrapper = { label: 'x', wrap: (d) => d, unwrap: () => new Uint8Array(31) };
  await rejectsCode(async () => importKeyring(await exportKeyring(ring, { wrapper: liar }), { wrapper: liar }), 'DECRYPT_FAILED');
});

test('framing: magic, version, protection; protection mismatch and bad arguments are typed errors', async () => {
  const ring = Keyring.generate();
  const wrapper = localKeyWrapper(secret(T.rng.bytes(32)));
  const bytes = await exportKeyring(ring, { wrapper });
  const v2 = bytes.slice(); v2[4] = 2;
  await rejectsCode(() => importKeyring(v2, { wrapper }), 'UNSUPPORTED_VERSION');
  const magic = bytes.slice(); magic[0] = 0;
  await rejectsCode(() => importKeyring(magic, { wrapper }), 'MALFORMED');
  const prot = bytes.slice(); prot[5] = 9;
  await rejectsCode(() => importKeyring(prot, { wrapper }), 'MALFORMED');
  await rejectsCode(() => importKeyring(bytes, { passphrase: PASSPHRASE }), TypeError);
  await rejectsCode(() => importKeyring(bytes, {} as { passphrase: string }), TypeError);
  await rejectsCode(() => exportKeyring({} as Keyring, { wrapper }), TypeError);
  await rejectsCode(() => exportKeyring(ring, { passphrase: '' }), RangeError);
  throwsCode(() => localKeyWrapper(new Uint8Array(16)), RangeError);
});

test('no key, salt or template byte in any error message of this suite', () => {
  assert.ok(assertNoSecretInMessages() > 5);
});

test.run();
