// README "Core API": protect an enrolment and a probe under one key and salt, store the bytes,
// compare; the same with the model's mean; one probe per salt epoch for 1:N.
// Run: npm run build && node --import tsx examples/core.ts
import { face, expect } from './_inputs.js';

const { enrolEmbedding, probeEmbedding, modelMean } = face(512);

import {
  protect, protectAll, encodeTemplate, decodeTemplate, compareTemplates,
  defaultParams, generateKey, generateSalt,
} from 'templock';

const key = generateKey();                        // 32 secret bytes: keep them in a keyring / KMS
const params = defaultParams('iom-grp', 512);     // { scheme: 'iom-grp', dim: 512, m: 2048, q: 16 }
const salt = generateSalt();                      // 16 public random bytes, stored in the template

const enrolled = encodeTemplate(protect(enrolEmbedding, params, key, salt)); // bytes to store (sealed)
const probe = protect(probeEmbedding, params, key, salt);
const score = compareTemplates(decodeTemplate(enrolled), probe);             // in [0, 1]; 1 = identical

// centred by the public mean of your embedding model (computed once over your own data):
const centred = protect(probeEmbedding, { ...params, mean: modelMean }, key, salt);

expect(score > 0.5, `a genuine score above 0.5, got ${score.toFixed(3)}`);
expect(centred.payload.length === probe.payload.length, 'a centred template of the same size');

const salt2026a = generateSalt(), salt2026b = generateSalt();

const epochs = [salt2026b, salt2026a];                        // active epochs, newest first
const probes = protectAll(probeEmbedding, params, key, epochs); // one probe template per epoch
// compare probes[i] with the gallery templates of epoch i

expect(probes.length === 2, 'one probe per epoch');
console.log(`core: genuine score ${score.toFixed(3)}, ${enrolled.length} bytes stored, ${probes.length} epoch probes`);
