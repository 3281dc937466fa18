// README "Storage": a keyring sealed under a passphrase, the SQLite store, a 1:N gallery loaded
// on this thread and on worker threads, a monotonic counter, decisions through AccessControl with
// attempt limits and an audit log, and a storage-key rotation without a new capture.
// Run: npm run build && node --import tsx examples/storage.ts (writes only in a temporary folder)
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defaultParams, generateKey } from 'templock';
import { face, expect } from './_inputs.js';

const folder = mkdtempSync(join(tmpdir(), 'templock-example-'));
const databasePath = join(folder, 'templates.db');
const countedPath = join(folder, 'counted.db');
const passphrase = 'a passphrase from the secret store, never the command line';
const { enrolEmbedding: embedding, probeEmbedding } = face(128);
const params = defaultParams('iom-grp', 128), appKey = generateKey();

import { protect, generateSalt } from 'templock';
import { Gallery, init } from 'templock/match';
import { Keyring, exportKeyring, importKeyring } from 'templock/storage';
import { openSqliteStore } from 'templock/storage/sqlite';

const ring = Keyring.generate();                                     // one random key, primary
const keyringFile = await exportKeyring(ring, { passphrase });       // Argon2id, safe at rest
const store = openSqliteStore(databasePath, { keyring: ring, tenant: 'acme-gate-1' });

const salt = generateSalt();
store.put('resident-42', protect(embedding, params, appKey, salt));  // sealed, then written
const t = store.get('resident-42');                                  // opened (purpose 'access')

await init();                                                        // load a 1:N gallery
let gallery: Gallery | undefined;
for (const { subjectId, template } of store.entries()) (gallery ??= new Gallery(template)).add(subjectId, template);

expect((await importKeyring(keyringFile, { passphrase })).primaryId === ring.primaryId, 'the keyring back from its export');
expect(t !== undefined && gallery?.size === 1, 'one template stored and loaded');

let loaded: Gallery | undefined;
for await (const { subjectId, template } of store.openEntries({ threads: 2 })) (loaded ??= new Gallery(template)).add(subjectId, template);

expect(loaded?.size === 1, 'the same template loaded on worker threads');

import { syncRevocations } from 'templock/storage';
{
  const gallery = new Gallery(t);
  let seq = store.revocationSeq();                                  // before the load
  for await (const { subjectId, template } of store.openEntries()) gallery.add(subjectId, template);
  seq = syncRevocations(store, gallery, { since: seq }).seq;        // before each identify()
  expect(gallery.size === 1 && syncRevocations(store, gallery, { since: seq }).seq === seq, 'nothing revoked since the load');
  gallery.close();
}

import { memoryCounter } from 'templock/storage';
const counter = memoryCounter();                 // in a terminal: a TPM NV counter or a secure element's
const guarded = openSqliteStore(countedPath, { keyring: ring, tenant: 'acme-gate-1', counter });

guarded.put('resident-7', protect(embedding, params, appKey, salt));
expect(counter.read() > 0, 'the counter advanced by the write');
guarded.close();
if (!gallery) throw new Error('example: expected a gallery');
const probe = protect(probeEmbedding, params, appKey, salt);

import { AccessControl } from 'templock/storage';

const access = new AccessControl({ store, threshold: 0.3 });           // policy?, sourcePolicy?, clock?
access.verify('resident-42', probe, { source: 'gate-1' });              // { accepted } or LOCKED_OUT
access.identify(probe, { source: 'lobby-camera', gallery, k: 1 });      // { accepted, subjectId?, rank? }
access.audit({ since: Date.now() - 86_400_000, limit: 100 });          // [{ seq, at, action, subjectId, source, outcome }]
access.unlock({ subjectId: 'resident-42' });                            // an operator clears a lock-out

expect(access.verify('resident-42', probe, { source: 'gate-1' }).accepted, 'resident-42 accepted');
expect(access.identify(probe, { source: 'lobby-camera', gallery, k: 1 }).subjectId === 'resident-42', 'resident-42 identified');
const protection = { passphrase };

const old = ring.primaryId;
ring.rotate();                                                  // new primary; old still opens
await save(await exportKeyring(ring, protection));              // persist old + new first
store.rewrap();                                                 // every record, batch by batch
if (store.list().every((r) => r.keyId !== old)) ring.disable(old); // later: ring.destroy(old)
await save(await exportKeyring(ring, protection));

/** Writes the sealed keyring where the terminal keeps it (here, the temporary folder). */
async function save(sealed: Uint8Array): Promise<void> {
  writeFileSync(join(folder, 'keyring.bin'), sealed);
}

expect(store.list().every((r) => r.keyId === ring.primaryId), 'every record re-wrapped under the new key');
console.log(`storage: ${store.count()} record, ${access.audit({ limit: 100 }).length} audit entries, key rotated`);
store.close();
gallery.close();
loaded.close();
rmSync(folder, { recursive: true, force: true });
