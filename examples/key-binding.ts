// README "Key binding (fuzzy commitment)": bind a random 32-byte key to a face, store the helper
// data and commitment, release the same key from another capture of that face.
// Run: npm run build && node --import tsx examples/key-binding.ts
import { generateKey } from 'templock';
import { face, expect } from './_inputs.js';

const { enrolEmbedding, probeEmbedding, modelMean } = face(128);
const appKey = generateKey();
let released: Uint8Array | undefined;

import { bindKey, releaseKey, defaultBindingParams, DEFAULT_BINDING_CENTRING_STRENGTH,
  encodeBoundTemplate, decodeBoundTemplate, generateSalt } from 'templock';

const params = { ...defaultBindingParams(128), mean: modelMean.map((v) => v * DEFAULT_BINDING_CENTRING_STRENGTH) };
const { template, key } = bindKey(enrolEmbedding, params, appKey, generateSalt()); // key: 32 bytes
const stored = encodeBoundTemplate(template);                                    // helper data + commitment
// later, at the terminal:
const r = releaseKey(probeEmbedding, decodeBoundTemplate(stored), appKey, params.mean);
if (r.accepted) openDoor(r.key);                                                 // the same 32 bytes

function openDoor(doorKey: Uint8Array): void {
  released = doorKey;
}

expect(released !== undefined && released.every((b, i) => b === key[i]), 'the bound key released from the probe');
console.log(`key binding: released the bound ${key.length}-byte key, ${stored.length} bytes stored`);
