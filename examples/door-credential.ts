// README "Key binding (fuzzy commitment)": a door credential that only the resident's face opens:
// the bound template sealed in a store, the credential sealed under the released key, and the
// resident found 1:N by a BoundGallery from another capture.
// Run: npm run build && node --import tsx examples/door-credential.ts
import { BoundGallery, bindKey, generateKey, generateSalt, openCredential, sealCredential } from 'templock';
import { faceapiBindingParams } from 'templock/embed';
import { Keyring, MemoryTemplateStore } from 'templock/storage';
import { face, expect } from './_inputs.js';

const { enrolEmbedding, probeEmbedding } = face(128);
const appKey = generateKey();
const epochSalt = generateSalt();
const store = new MemoryTemplateStore({ keyring: Keyring.generate(), tenant: 'acme-gate-1' });
const doorToken = new TextEncoder().encode('door 4, flat 42');
/** Where the terminal keeps each resident's sealed credential (here: the one just made). */
const sealedOf = (id: string): Uint8Array => (id === 'resident-42' ? sealed : new Uint8Array(0));
let opened: Uint8Array | undefined;
function openDoor(token: Uint8Array): void {
  opened = token;
}

// A door credential that only the resident's face opens (what `templock demo --key-binding` does):
const params = faceapiBindingParams('1e-4');
const { template, key } = bindKey(enrolEmbedding, params, appKey, epochSalt);
store.put('resident-42', template, 'door-key');
const sealed = sealCredential(key, doorToken, 'resident-42');
// at the gate, 1:N:
const gallery = new BoundGallery({ key: appKey, mean: params.mean, threads: 2 });
for (const e of store.boundEntries({ purpose: 'door-key' })) gallery.add(e.subjectId, e.template);
const hits = await gallery.release(probeEmbedding);
const [hit] = hits;
if (hit && hits.length === 1) openDoor(openCredential(hit.key, sealedOf(hit.id), hit.id));

gallery.close();
expect(opened !== undefined && new TextDecoder().decode(opened) === 'door 4, flat 42', 'the door credential opened by the face');
console.log(`door credential: ${hits.length} resident released, credential of ${opened.length} bytes opened`);
