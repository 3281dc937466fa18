// The face embedder on the sample photos shipped in @vladmandic/face-api (models loaded once):
// faces are found, the mirrored view of a face embeds close to the original and far from
// another person, protected templates keep that order, and every domain error has its code.
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import {
  adjustBrightness, createEmbedder, cropImage, faceapiMean, faceapiParams, faceapiThreshold, flipHorizontal, protectImage,
  type DetectedFace, type RgbImage,
} from '../../src/embed/index.js';
import { _chooseFace } from '../../src/embed/embedder.js';
import { compareTemplates, generateKey, generateSalt, isTemplockError } from '../../src/index.js';

const require = createRequire(import.meta.url);
const DEMO = join(require.resolve('@vladmandic/face-api/package.json'), '..', 'demo');
const embedder = await createEmbedder();
const photo = embedder.decode(join(DEMO, 'sample1.jpg'));
const faces = await embedder.detectFaces(photo);
console.log(`  runtime ${embedder.runtimeDescription}, models loaded in ${embedder.loadMs.toFixed(0)} ms`);

/** The region around a face with `margin` face-widths on each side: one person in view. */
function around(img: RgbImage, face: DetectedFace, margin = 0.5): RgbImage {
  const { x, y, width, height } = face.box;
  return cropImage(img, { x: x - margin * width, y: y - margin * height, width: width * (1 + 2 * margin), height: height * (1 + 2 * margin) });
}

/** Cosine of two embeddings after removing the recogniser's public mean. */
function centredCosine(a: Float32Array, b: Float32Array): number {
  const m = faceapiMean();
  let ab = 0, aa = 0, bb = 0;
  for (let i = 0; i < a.length; i++) {
    const x = a[i]! - m[i]!, y = b[i]! - m[i]!;
    ab += x * y; aa += x * x; bb += y * y;
  }
  return ab / Math.sqrt(aa * bb);
}

/** Asserts that `p` rejects with a TemplockError of `code`, or with an error of class `kind`. */
async function rejects(p: Promise<unknown>, expected: string | (new (...a: never[]) => Error)): Promise<void> {
  try {
    await p;
  } catch (e) {
    if (typeof expected === 'string') {
      assert.ok(isTemplockError(e), `expected TemplockError ${expected}, got ${String(e)}`);
      assert.is((e as { code: string }).code, expected);
    } else {
      assert.instance(e, expected);
    }
    return;
  }
  assert.unreachable(`expected ${typeof expected === 'string' ? expected : expected.name}`);
}

test('the runtime is named, and the three people of sample1.jpg are found, left to right', () => {
  assert.ok(embedder.runtime === 'tfjs-wasm' || embedder.runtime === 'tfjs-node');
  assert.ok(embedder.runtimeDescription.startsWith(embedder.runtime));
  assert.is(faces.length, 3);
  for (const f of faces) {
    assert.ok(f.score >= 0.5 && f.score <= 1);
    assert.ok(f.box.width > 50 && f.box.x >= 0 && f.box.x + f.box.width <= photo.width);
  }
  assert.ok(faces[0]!.box.x < faces[1]!.box.x && faces[1]!.box.x < faces[2]!.box.x);
});

test('a mirrored, darker view of a face embeds close to the original and far from another person', async () => {
  const a = around(photo, faces[0]!);
  const original = await embedder.embedRawUnsafe(a);
  const mirrored = await embedder.embedRawUnsafe(adjustBrightness(flipHorizontal(a), 0.8));
  const other = await embedder.embedRawUnsafe(around(photo, faces[2]!));
  try {
    assert.is(original.length, 128);
    const same = centredCosine(original, mirrored);
    const different = centredCosine(original, other);
    console.log(`  centred cosine: mirrored ${same.toFixed(3)}, other person ${different.toFixed(3)}`);
    assert.ok(same > 0.6, 'the mirrored view is the same person');
    assert.ok(different < 0.5, 'another person is not');
    assert.ok(same - different > 0.3);
  } finally {
    original.fill(0); mirrored.fill(0); other.fill(0);
  }
});

test('protectImage: the protected templates keep genuine above impostor, and return no embedding', async () => {
  const params = faceapiParams();
  const key = generateKey();
  const salt = generateSalt();
  const enrolled = await embedder.protectImage(around(photo, faces[1]!), params, key, salt);
  const probe = await embedder.protectImage(flipHorizontal(around(photo, faces[1]!, 0.7)), params, key, salt);
  const stranger = await protectImage(around(photo, faces[0]!), params, key, [salt, generateSalt()]);
  assert.equal(Object.keys(enrolled).sort(), ['face', 'template', 'templates']);
  assert.is(enrolled.templates.length, 1);
  assert.is(stranger.templates.length, 2, 'one template per salt');
  assert.not.ok(Object.values(enrolled).some((v) => v instanceof Float32Array));
  const genuine = compareTemplates(enrolled.template, probe.template);
  const impostor = compareTemplates(enrolled.template, stranger.template);
  console.log(`  iom-grp score: genuine ${genuine.toFixed(3)}, impostor ${impostor.toFixed(3)}`);
  assert.ok(genuine >= faceapiThreshold('iom-grp'), 'the same person matches at the recommended threshold');
  assert.ok(impostor < faceapiThreshold('iom-grp'), 'another person does not');
});

test('protectAllFaces enrols every face of a group photo, each under its own salt', async () => {
  const key = generateKey();
  const salts: Uint8Array[] = [];
  const all = await embedder.protectAllFaces(photo, faceapiParams(), key, () => { const s = generateSalt(); salts.push(s); return s; });
  assert.is(all.length, 3);
  all.forEach((f, i) => {
    assert.equal(f.template.salt, salts[i]);
    assert.equal(f.face.box, faces[i]!.box);
  });
});

test('several faces: single refuses (MULTIPLE_FACES); largest and centre choose as documented', async () => {
  await rejects(embedder.protectImage(photo, faceapiParams(), generateKey(), generateSalt()), 'MULTIPLE_FACES');
  const largestBox = faces.reduce((a, b) => (a.box.width * a.box.height > b.box.width * b.box.height ? a : b));
  const largest = await embedder.protectImage(photo, faceapiParams(), generateKey(), generateSalt(), { face: 'largest' });
  assert.equal(largest.face.box, largestBox.box);
  // A wide crop centred on the middle person also shows a neighbour: 'centre' picks the middle one.
  const mid = faces[1]!;
  const wide = around(photo, mid, 2.5);
  assert.ok((await embedder.detectFaces(wide)).length >= 2);
  const centre = await embedder.protectImage(wide, faceapiParams(), generateKey(), generateSalt(), { face: 'centre' });
  const offset = centre.face.box.x + centre.face.box.width / 2 - wide.width / 2;
  assert.ok(Math.abs(offset) < mid.box.width / 2, 'the chosen face is the one in the middle');
});

test('centre choice without any box over the centre takes the nearest box', () => {
  const box = (x: number) => ({ face: { box: { x, y: 0, width: 10, height: 10 }, score: 1 } });
  assert.is(_chooseFace([box(0), box(60), box(85)], 'centre', 100, 10).face.box.x, 60);
  assert.is(_chooseFace([box(0), box(46)], 'centre', 100, 10).face.box.x, 46);
});

test('no face (NO_FACE), unreadable bytes (IMAGE_UNREADABLE), too large (IMAGE_TOO_LARGE), bad arguments', async () => {
  const grey: RgbImage = { width: 160, height: 120, data: new Uint8Array(160 * 120 * 3).fill(128) };
  await rejects(embedder.protectImage(grey, faceapiParams(), generateKey(), generateSalt()), 'NO_FACE');
  await rejects(embedder.protectAllFaces(grey, faceapiParams(), generateKey(), () => generateSalt()), 'NO_FACE');
  await rejects(embedder.embedRawUnsafe(new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 0, 16, 1, 2])), 'IMAGE_UNREADABLE');
  const small = await createEmbedder({ limits: { maxPixels: 100_000 } });
  await rejects(small.detectFaces(photo), 'IMAGE_TOO_LARGE');
  await rejects(createEmbedder({ runtime: 'tfjs-node', modelDir: '/nonexistent' }), 'BACKEND_UNAVAILABLE');
  await rejects(embedder.protectImage(photo, faceapiParams(), new Uint8Array(5), generateSalt()), RangeError);
  await rejects(embedder.protectImage(photo, faceapiParams(), generateKey(), new Uint8Array(4)), RangeError);
  await rejects(embedder.protectImage(photo, faceapiParams(), generateKey(), generateSalt(), { face: 'left' as 'single' }), RangeError);
  await rejects(createEmbedder({ minConfidence: 2 }), RangeError);
});

test.run();
