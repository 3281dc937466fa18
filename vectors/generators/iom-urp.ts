// iom_urp_v1.json: IoM-URP templates (SPEC.md §4.2) for embeddings of dimensions 33, 128 and 512.
import type { VectorGenerator } from './_envelope.js';
import { transformFile } from './_transform.js';

const urp = (dim: number, m: number, k: number, p: number) => ({ scheme: 'iom-urp', dim, m, k, p });

export const iomUrpVectors: VectorGenerator = {
  file: 'iom_urp_v1.json',
  generate: () => transformFile('templock IoM-URP v1', {
    small: [urp(128, 16, 2, 1), urp(128, 64, 16, 2)],
    smallCentred: urp(128, 32, 128, 3),
    large: urp(512, 512, 16, 2),
    largeCentred: urp(512, 64, 256, 3),
    odd: urp(33, 100, 33, 3),
    invalid: [
      { comment: 'm = 15 (below 16)', params: urp(128, 15, 16, 2), error: 'RangeError' },
      { comment: 'k = 1 (below 2)', params: urp(128, 16, 1, 2), error: 'RangeError' },
      { comment: 'k = 129 > dim = 128', params: urp(128, 16, 129, 2), error: 'RangeError' },
      { comment: 'k = 257 (above 256) with dim 512', params: urp(512, 16, 257, 2), error: 'RangeError' },
      { comment: 'p = 0 (below 1)', params: urp(128, 16, 16, 0), error: 'RangeError' },
      { comment: 'p = 4 (above 3)', params: urp(128, 16, 16, 4), error: 'RangeError' },
      { comment: 'p missing', params: { scheme: 'iom-urp', dim: 128, m: 16, k: 16 }, error: 'TypeError' },
    ],
  }),
};
