// README "Matching": the WASM kernels, a 1:1 decision, an exact score for evaluation, a 1:N
// gallery on two threads.
// Run: npm run build && node --import tsx examples/matching.ts
import { defaultParams, encodeTemplate, generateKey, generateSalt, protect } from 'templock';
import { face, expect } from './_inputs.js';

const { enrolEmbedding, probeEmbedding } = face(512);
const params = defaultParams('iom-grp', 512), key = generateKey(), salt = generateSalt();
const storedBytes = encodeTemplate(protect(enrolEmbedding, params, key, salt));

import { decodeTemplate } from 'templock';
import { init, backend, Matcher, Gallery, protectFast } from 'templock/match';

await init();                                   // compile once, pick the backend, warm the kernels
backend();                                      // 'wasm-simd' | 'wasm-scalar' | 'js'

const probe = protectFast(probeEmbedding, params, key, salt);  // byte-identical to protect()
const enrolled = decodeTemplate(storedBytes);                  // an enrolled template (see Core API)
new Matcher({ threshold: 0.3 }).verify(probe, enrolled);   // { match }: the decision only
new Matcher({ threshold: 0.3, scores: 'exact' }).verify(probe, enrolled); // { match, score }: evaluation

const gallery = new Gallery(enrolled, { threads: 2 });  // fixes parameters, key, mean and salt
gallery.add('alice', enrolled);
gallery.identify(probe, { k: 5, threshold: 0.3 }); // [{ id: 'alice', rank: 1 }, ...]
gallery.close();

const decision = new Matcher({ threshold: 0.3 }).verify(probe, enrolled);
const single = new Gallery(enrolled);
single.add('alice', enrolled);
const [best] = single.identify(probe, { k: 1, threshold: 0.3 });
expect(decision.match && best?.id === 'alice', 'alice verified and identified');
console.log(`matching: backend ${backend()}, verified, identified ${best.id}`);
