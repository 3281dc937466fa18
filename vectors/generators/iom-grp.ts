// iom_grp_v1.json: IoM-GRP templates (SPEC.md §4.1) for embeddings of dimensions 33, 128 and 512.
import type { VectorGenerator } from './_envelope.js';
import { transformFile } from './_transform.js';

const grp = (dim: number, m: number, q: number) => ({ scheme: 'iom-grp', dim, m, q });

export const iomGrpVectors: VectorGenerator = {
  file: 'iom_grp_v1.json',
  generate: () => transformFile('templock IoM-GRP v1', {
    small: [grp(128, 16, 2), grp(128, 64, 16)],
    smallCentred: grp(128, 32, 256),
    large: grp(512, 512, 16),
    largeCentred: grp(512, 128, 4),
    odd: grp(33, 100, 3),
    invalid: [
      { comment: 'm = 15 (below 16)', params: grp(128, 15, 16), error: 'RangeError' },
      { comment: 'm = 4097 (above 4096)', params: grp(128, 4097, 2), error: 'RangeError' },
      { comment: 'q = 1 (below 2)', params: grp(128, 16, 1), error: 'RangeError' },
      { comment: 'q = 257 (above 256)', params: grp(128, 16, 257), error: 'RangeError' },
      { comment: 'm * q * dim = 2^28 (above 2^26)', params: grp(4096, 4096, 16), error: 'RangeError' },
      { comment: 'dim = 31 (below 32)', params: grp(31, 16, 2), error: 'RangeError' },
      { comment: 'dim = 4097 (above 4096)', params: grp(4097, 16, 2), error: 'RangeError' },
      { comment: 'm = 16.5 (not an integer)', params: grp(128, 16.5, 2), error: 'RangeError' },
      { comment: 'q given as a string', params: { scheme: 'iom-grp', dim: 128, m: 16, q: '2' }, error: 'TypeError' },
      { comment: 'unknown scheme name', params: { scheme: 'iom', dim: 128, m: 16, q: 2 }, error: 'RangeError' },
    ],
  }),
};
