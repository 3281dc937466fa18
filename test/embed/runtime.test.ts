// Runtime selection of the embedder in a fresh process: asking for tfjs-node where it is not
// installed, or for a model folder that does not exist, is BACKEND_UNAVAILABLE; a failed load
// is not memoised, so the default runtime still loads afterwards.
import { createRequire } from 'node:module';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { createEmbedder } from '../../src/embed/index.js';
import { isTemplockError } from '../../src/index.js';

function tfjsNodeInstalled(): boolean {
  try {
    createRequire(import.meta.url).resolve('@tensorflow/tfjs-node');
    return true;
  } catch {
    return false;
  }
}

async function unavailable(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (e) {
    assert.ok(isTemplockError(e, 'BACKEND_UNAVAILABLE'), String(e));
    return (e as Error).message;
  }
  assert.unreachable('expected BACKEND_UNAVAILABLE');
  return '';
}

test('tfjs-node asked for but not installed: BACKEND_UNAVAILABLE naming it', async () => {
  if (tfjsNodeInstalled()) {
    console.log('SKIP runtime: @tensorflow/tfjs-node is installed here');
    return;
  }
  assert.match(await unavailable(createEmbedder({ runtime: 'tfjs-node' })), /tfjs-node/);
});

test('a missing model folder: BACKEND_UNAVAILABLE; then the default runtime loads', async () => {
  assert.match(await unavailable(createEmbedder({ runtime: 'tfjs-wasm', modelDir: '/nonexistent/models' })), /cannot load the face-api models/);
  const e = await createEmbedder();
  assert.is(e.runtime, tfjsNodeInstalled() ? 'tfjs-node' : 'tfjs-wasm');
});

test.run();
