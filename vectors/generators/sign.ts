// sign_v1.json: sign-projection templates (SPEC.md §4.3) for embeddings of dimensions 33, 128 and 512.
import type { VectorGenerator } from './_envelope.js';
import { transformFile } from './_transform.js';

const sign = (dim: number, bits: number) => ({ scheme: 'sign', dim, bits });

export const signVectors: VectorGenerator = {
  file: 'sign_v1.json',
  generate: () => transformFile('templock sign projection v1', {
    small: [sign(128, 64), sign(128, 256)],
    smallCentred: sign(128, 128),
    large: sign(512, 512),
    largeCentred: sign(512, 1024),
    odd: sign(33, 192),
    invalid: [
      { comment: 'bits = 0', params: sign(128, 0), error: 'RangeError' },
      { comment: 'bits = 100 (not a multiple of 64)', params: sign(128, 100), error: 'RangeError' },
      { comment: 'bits = 8256 (above 8192)', params: sign(128, 8256), error: 'RangeError' },
      { comment: 'dim = 0', params: sign(0, 64), error: 'RangeError' },
      { comment: 'bits given as a string', params: { scheme: 'sign', dim: 128, bits: '64' }, error: 'TypeError' },
    ],
  }),
};
