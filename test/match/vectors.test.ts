// Published vectors on every backend: protectFast / protectBatch reproduce every template of
// iom_grp_v1, iom_urp_v1 and sign_v1 (and throw the listed error for invalid cases), and the
// Matcher reproduces every score and INCOMPATIBLE case of compare_v1.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { decodeTemplate, encodeTemplate, isTemplockError } from '../../src/index.js';
import { groupParams } from '../../src/conformance/checkers/derivation.js';
import { f32FromHex, fromHex, toHex } from '../../src/conformance/codec.js';
import type { VectorGroup } from '../../src/conformance/types.js';
import { BACKENDS, init, Matcher, protectBatch, protectFast } from '../../src/match/index.js';
import { PROJECT_ROOT } from '../_lib/shared.js';

interface Test { tcId: number; comment: string; result: string; error?: string; [k: string]: unknown }
interface File { testGroups: (VectorGroup & { tests: Test[] })[] }
const load = (name: string): File => JSON.parse(readFileSync(join(PROJECT_ROOT, 'vectors', name), 'utf8'));

function errorName(e: unknown): string {
  return isTemplockError(e) ? e.code : e instanceof Error ? e.name : String(e);
}

for (const backend of BACKENDS) {
  for (const file of ['iom_grp_v1.json', 'iom_urp_v1.json', 'sign_v1.json']) {
    test(`${backend}: ${file} by protectFast and protectBatch`, async () => {
      await init({ backend });
      let checked = 0;
      for (const group of load(file).testGroups) {
        for (const t of group.tests) {
          const run = () => {
            const params = groupParams(group);
            const embedding = f32FromHex(t.embedding as string);
            const key = fromHex(t.key as string, 'key'), salt = fromHex(t.salt as string, 'salt');
            const one = toHex(encodeTemplate(protectFast(embedding, params, key, salt)));
            const batch = protectBatch([embedding, embedding], params, key, salt).map((x) => toHex(encodeTemplate(x)));
            assert.equal(batch, [one, one], `tcId ${t.tcId}: batch`);
            return one;
          };
          if (t.result === 'valid') assert.is(run(), t.template, `tcId ${t.tcId} ${t.comment}`);
          else {
            let err = 'no error';
            try { run(); } catch (e) { err = errorName(e); }
            assert.is(err, t.error, `tcId ${t.tcId} ${t.comment}`);
          }
          checked++;
        }
      }
      assert.ok(checked > 50, `${checked} tests`);
    });
  }

  test(`${backend}: compare_v1.json by the Matcher`, async () => {
    await init({ backend });
    const matcher = new Matcher({ threshold: 0.5, scores: 'exact' });
    let checked = 0;
    for (const group of load('compare_v1.json').testGroups) {
      for (const t of group.tests) {
        let a, b;
        try {
          a = decodeTemplate(fromHex(t.a as string));
          b = decodeTemplate(fromHex(t.b as string));
        } catch {
          continue; // decoding failures are the template format's, not the matcher's
        }
        if (t.result === 'valid') {
          const r = matcher.verify(a, b);
          assert.is(r.score, Number(t.score), `tcId ${t.tcId} ${t.comment}`);
          assert.is(r.match, r.score! >= 0.5);
        } else {
          let err = 'no error';
          try { matcher.verify(a, b); } catch (e) { err = errorName(e); }
          assert.is(err, t.error, `tcId ${t.tcId} ${t.comment}`);
        }
        checked++;
      }
    }
    assert.ok(checked > 40, `${checked} tests`);
  });
}

test.run();
