// The generated mean and thresholds of the face-api recogniser (src/embed/faceapi-mean.gen.ts)
// are exactly what src/embed/make-mean.ts computes from ../shared/data/lfw-faceapi128 now
// (several minutes: it protects every LFW descriptor under each scheme and four keys). Skipped
// without ../shared.
import { spawnSync } from 'node:child_process';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { PROJECT_ROOT, sharedPath } from '../_lib/shared.js';

test('make-mean.ts --check: the committed file matches a fresh generation', () => {
  const folder = sharedPath('data/lfw-faceapi128', 'embed/faceapi-mean');
  if (!folder) return;
  const r = spawnSync(process.execPath, ['--import', 'tsx', 'src/embed/make-mean.ts', '--check', folder], { cwd: PROJECT_ROOT, encoding: 'utf8' });
  console.log(`  ${r.stdout.trim()}`);
  assert.is(r.status, 0, r.stderr);
});

test.run();
