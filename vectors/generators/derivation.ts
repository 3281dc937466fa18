// derivation_v1.json: per transform instance, the HKDF info, stream key, key and mean
// identifiers, the first keystream bytes and the derived material (SPEC.md §3, §4).
import { derivationChecker } from '../../src/conformance/checkers/derivation.js';
import { f32ToHex } from '../../src/conformance/index.js';
import { centringMean } from './_embeddings.js';
import { envelope, type TestSpec, type VectorGenerator } from './_envelope.js';
import { vectorKey, vectorSalt } from './_inputs.js';

const NOTES = {
  Centred: 'The group has a centring mean (it sets the mean identifier, not the material).',
  LongSalt: 'A 32-byte salt.',
  Rejection: 'Rejection sampling rejects at least one word during the derivation.',
  InvalidKey: 'The key is not 32 bytes.',
  InvalidSalt: 'The salt is not 16 to 32 bytes.',
} as const;

const pair = (label: string, saltBytes = 16, flags: string[] = []): TestSpec =>
  ({ comment: `key and salt "${label}"`, flags, key: vectorKey(`derive/${label}`), salt: vectorSalt(`derive/${label}`, saltBytes) });

export const derivationVectors: VectorGenerator = {
  file: 'derivation_v1.json',
  generate: () => envelope(derivationChecker, {
    algorithm: 'templock key derivation v1',
    notes: NOTES,
    testGroups: [
      { type: 'DerivationTest', params: { scheme: 'iom-grp', dim: 128, m: 16, q: 2 }, tests: [pair('a'), pair('b', 32, ['LongSalt'])] },
      { type: 'DerivationTest', params: { scheme: 'iom-grp', dim: 512, m: 512, q: 16 }, tests: [pair('a')] },
      { type: 'DerivationTest', params: { scheme: 'iom-urp', dim: 128, m: 16, k: 2, p: 1 }, tests: [pair('a'), pair('c', 20)] },
      { type: 'DerivationTest', params: { scheme: 'iom-urp', dim: 512, m: 512, k: 16, p: 2 }, tests: [pair('a')] },
      { type: 'DerivationTest', params: { scheme: 'iom-urp', dim: 4096, m: 4096, k: 256, p: 3 }, tests: [{
        comment: 'the largest IoM-URP material; one 32-bit word of its 3,145,728 draws is rejected (SPEC.md §3.3)',
        flags: ['Rejection'], key: vectorKey('derive/reject'), salt: vectorSalt('derive/reject/0'),
      }] },
      { type: 'DerivationTest', params: { scheme: 'sign', dim: 128, bits: 64 }, tests: [pair('a')] },
      { type: 'DerivationTest', params: { scheme: 'sign', dim: 512, bits: 512 }, tests: [pair('a'), pair('e', 32, ['LongSalt'])] },
      { type: 'DerivationTest', params: { scheme: 'sign', dim: 128, bits: 128 }, mean: f32ToHex(centringMean(128)), tests: [
        { ...pair('a'), flags: ['Centred'] },
        { ...pair('a'), comment: 'key of 31 bytes', flags: ['InvalidKey'], key: vectorKey('derive/a').slice(0, 62), error: 'RangeError' },
        { ...pair('a'), comment: 'salt of 15 bytes', flags: ['InvalidSalt'], salt: vectorSalt('derive/a', 15), error: 'RangeError' },
      ] },
    ],
  }),
};
