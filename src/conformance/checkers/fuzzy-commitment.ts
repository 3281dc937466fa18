// Checker of fuzzy_commitment_v1.json (SPEC.md §4.5, §5). BindTest: embedding, parameters, key,
// salt and an injected message -> the encoded key-binding template and the released key, then
// the outcome of releasing with a probe. ReleaseTest: template bytes, key and probe -> the
// outcome of release (or the decoding error of malformed bytes).
import { decodeBoundTemplate, encodeBoundTemplate } from '../../template.js';
import { bindKey, releaseKey } from '../../transforms/key-binding.js';
import { f32FromHex, fromHex, toHex } from '../codec.js';
import { str } from '../fields.js';
import type { JsonValue, VectorChecker, VectorGroup } from '../types.js';

function groupMean(group: VectorGroup): Float32Array | undefined {
  return group.mean === undefined ? undefined : f32FromHex(str(group, 'mean'), 'mean');
}

function release(r: ReturnType<typeof releaseKey>): JsonValue {
  return { accepted: r.accepted, releasedKey: r.accepted ? toHex(r.key) : null };
}

export const fuzzyCommitmentChecker: VectorChecker = {
  schema: 'fuzzy_commitment_v1.schema.json',
  outputKey: 'outcome',
  run(group, test) {
    const key = fromHex(str(test, 'key'), 'key');
    const mean = groupMean(group);
    if (group.type === 'ReleaseTest') {
      const template = decodeBoundTemplate(fromHex(str(test, 'template'), 'template'));
      return release(releaseKey(f32FromHex(str(test, 'probe'), 'probe'), template, key, mean));
    }
    const params = { ...(group.params as object), ...(mean ? { mean } : {}) } as Parameters<typeof bindKey>[1];
    const bound = bindKey(f32FromHex(str(test, 'embedding')), params, key, fromHex(str(test, 'salt'), 'salt'), fromHex(str(test, 'secret'), 'secret'));
    const probe = releaseKey(f32FromHex(str(test, 'probe'), 'probe'), bound.template, key, mean);
    return { template: toHex(encodeBoundTemplate(bound.template)), key: toHex(bound.key), release: release(probe) };
  },
};
