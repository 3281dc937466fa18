// README "The face embedder": detect, embed and protect faces of the sample photos shipped with
// @vladmandic/face-api (several faces each, so the largest is chosen), raw embeddings only on
// request and wiped after use.
// Run: npm run build && node --import tsx examples/embed.ts (needs the optional peers of templock/embed)
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { expect } from './_inputs.js';

const demo = join(createRequire(import.meta.url).resolve('@vladmandic/face-api/package.json'), '..', 'demo');
const visitorPhoto = join(demo, 'sample1.jpg'), teamPhoto = join(demo, 'sample4.jpg'), probePhoto = join(demo, 'sample1.jpg');
const photoBytes = readFileSync(join(demo, 'sample2.jpg'));

import { createEmbedder, protectImage, faceapiParams, faceapiThreshold } from 'templock/embed';
import { generateKey, generateSalt } from 'templock';

const key = generateKey(), salt = generateSalt();
const embedder = await createEmbedder();       // tfjs-node if installed, else tfjs + WASM backend
embedder.runtime;                              // 'tfjs-node' | 'tfjs-wasm'
const { template, face } = await embedder.protectImage(visitorPhoto, faceapiParams(), key, salt, { face: 'largest' });
const faces = await embedder.detectFaces(photoBytes);          // boxes and scores, no embedding
const group = await embedder.protectAllFaces(teamPhoto, faceapiParams(), key, () => generateSalt());
const raw = await embedder.embedRawUnsafe(probePhoto, { face: 'largest' }); // the only way to get a raw embedding
raw.fill(0);
const again = await protectImage(visitorPhoto, faceapiParams(), key, salt, { face: 'largest' }); // one call, one capture

expect(faces.length === 3 && group.length === 4, 'three faces in sample2 and four protected in sample4');
expect(face.score > 0.5 && template.payload.length > 0 && faceapiThreshold() > 0, 'a protected face');
expect(again.template.payload.every((b, i) => b === template.payload[i]), 'the same capture, the same template');
console.log(`embed: runtime ${embedder.runtime}, ${faces.length} faces detected, ${group.length} protected from one photo`);
