// Image input of the embedder without TF.js: JPEG/PNG/raw decoding, header probing, size limits,
// corrupt input, and the pixel operations that make other views of a face.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import {
  adjustBrightness, cropImage, decodeImage, flipHorizontal, rotateImage, scaleImage, type RgbImage,
} from '../../src/embed/index.js';
import { _probeImage } from '../../src/embed/image.js';
import { isTemplockError } from '../../src/index.js';
import { Seeded } from '../_lib/seeded.js';

const require = createRequire(import.meta.url);
const { PNG } = require('pngjs') as { PNG: { sync: { write(p: { width: number; height: number; data: Buffer }): Buffer } } };
const jpeg = require('jpeg-js') as { encode(img: { width: number; height: number; data: Uint8Array }, quality: number): { data: Uint8Array } };
const SAMPLE = join(require.resolve('@vladmandic/face-api/package.json'), '..', 'demo', 'sample1.jpg');
const rng = new Seeded('embed-image');

function randomImage(width: number, height: number): RgbImage {
  return { width, height, data: rng.bytes(width * height * 3) };
}

function toRgba(img: RgbImage, alpha: number): Uint8Array {
  const out = new Uint8Array(img.width * img.height * 4);
  for (let p = 0; p < img.width * img.height; p++) {
    out.set(img.data.subarray(p * 3, p * 3 + 3), p * 4);
    out[p * 4 + 3] = alpha;
  }
  return out;
}

function pngOf(img: RgbImage): Buffer {
  return PNG.sync.write({ width: img.width, height: img.height, data: Buffer.from(toRgba(img, 255)) });
}

function throwsCode(fn: () => unknown, code: string): void {
  try {
    fn();
  } catch (e) {
    assert.ok(isTemplockError(e), `expected TemplockError ${code}, got ${String(e)}`);
    assert.is((e as { code: string }).code, code);
    return;
  }
  assert.unreachable(`expected ${code}`);
}

test('a JPEG file decodes to RGB pixels of the size its header gives', () => {
  const bytes = readFileSync(SAMPLE);
  const probe = _probeImage(bytes)!;
  const img = decodeImage(SAMPLE);
  assert.is(probe.format, 'jpeg');
  assert.is(img.width, probe.width);
  assert.is(img.height, probe.height);
  assert.is(img.data.length, img.width * img.height * 3);
  assert.equal(decodeImage(bytes).data, img.data, 'path and bytes decode alike');
});

test('a PNG decodes losslessly (alpha dropped); RGB and RGBA raw pixels are accepted', () => {
  const img = randomImage(31, 17);
  const png = pngOf(img);
  assert.equal(_probeImage(png), { format: 'png', width: 31, height: 17 });
  assert.equal(decodeImage(png), img);
  assert.equal(decodeImage({ width: 31, height: 17, data: toRgba(img, 7) }), img);
  assert.equal(decodeImage({ width: 31, height: 17, data: new Uint8ClampedArray(img.data), channels: 3 }), img);
});

test('a JPEG that jpeg-js encoded decodes to nearly the same pixels', () => {
  const img = adjustBrightness(randomImage(16, 16), 0); // flat black: JPEG reproduces it closely
  const encoded = jpeg.encode({ width: 16, height: 16, data: toRgba(img, 255) }, 95).data;
  const back = decodeImage(encoded);
  assert.is(back.width, 16);
  assert.ok(back.data.every((v) => v <= 2), 'black stays black');
});

test('unreadable input: not an image, a truncated or corrupt file, a missing file', () => {
  throwsCode(() => decodeImage(new TextEncoder().encode('definitely not an image')), 'IMAGE_UNREADABLE');
  const bytes = readFileSync(SAMPLE);
  throwsCode(() => decodeImage(bytes.subarray(0, 2000)), 'IMAGE_UNREADABLE');
  const png = pngOf(randomImage(8, 8));
  const corrupt = Uint8Array.from(png);
  corrupt.fill(0x55, 40, 60); // inside the IDAT data: CRC and zlib fail
  throwsCode(() => decodeImage(corrupt), 'IMAGE_UNREADABLE');
  throwsCode(() => decodeImage('/nonexistent/visitor.jpg'), 'IMAGE_UNREADABLE');
});

test('too large: by file bytes, by header dimensions (before decoding), by raw dimensions', () => {
  throwsCode(() => decodeImage(SAMPLE, { maxFileBytes: 1000 }), 'IMAGE_TOO_LARGE');
  throwsCode(() => decodeImage(readFileSync(SAMPLE), { maxFileBytes: 1000 }), 'IMAGE_TOO_LARGE');
  throwsCode(() => decodeImage(SAMPLE, { maxPixels: 1_000_000 }), 'IMAGE_TOO_LARGE');
  // A PNG whose header claims 100000 x 100000 pixels is refused without decoding anything.
  const huge = Uint8Array.from(pngOf(randomImage(4, 4)));
  new DataView(huge.buffer).setUint32(16, 100_000);
  new DataView(huge.buffer).setUint32(20, 100_000);
  throwsCode(() => decodeImage(huge), 'IMAGE_TOO_LARGE');
  throwsCode(() => decodeImage({ width: 6000, height: 6000, data: new Uint8Array(3) }), 'IMAGE_TOO_LARGE');
});

test('malformed raw pixels are TypeError / RangeError', () => {
  assert.throws(() => decodeImage({ width: 2, height: 2, data: new Uint8Array(5) }), RangeError);
  assert.throws(() => decodeImage({ width: 0, height: 2, data: new Uint8Array(0) }), RangeError);
  assert.throws(() => decodeImage({ width: 2, height: 2, data: [1, 2] as unknown as Uint8Array }), TypeError);
  assert.throws(() => decodeImage(42 as unknown as string), TypeError);
  assert.throws(() => decodeImage(''), RangeError);
  assert.throws(() => decodeImage(SAMPLE, { maxPixels: 0 }), RangeError);
  assert.throws(() => decodeImage(SAMPLE, { maxFileBytes: '1' as unknown as number }), TypeError);
});

test('pixel operations: mirror twice and rotate by 0 are the identity; crop and scale give the sizes asked', () => {
  const img = randomImage(40, 30);
  assert.equal(flipHorizontal(flipHorizontal(img)), img);
  assert.not.equal(flipHorizontal(img).data, img.data);
  assert.equal(rotateImage(img, 0), img);
  const c = cropImage(img, { x: 5, y: 6, width: 10, height: 7 });
  assert.is(c.width, 10);
  assert.is(c.height, 7);
  assert.equal(Array.from(c.data.subarray(0, 3)), Array.from(img.data.subarray((6 * 40 + 5) * 3, (6 * 40 + 5) * 3 + 3)));
  const clipped = cropImage(img, { x: -10, y: 25, width: 100, height: 100 });
  assert.equal([clipped.width, clipped.height], [40, 5]);
  const s = scaleImage(img, 0.5);
  assert.equal([s.width, s.height], [20, 15]);
  assert.equal(scaleImage(img, 1), img);
});

test('brightness scales and clamps; rotation by 90 degrees moves a corner pixel to the next corner', () => {
  const img: RgbImage = { width: 3, height: 3, data: new Uint8Array(27).fill(100) };
  img.data.set([200, 10, 0], 0);
  const bright = adjustBrightness(img, 1.5);
  assert.equal(Array.from(bright.data.subarray(0, 3)), [255, 15, 0]);
  assert.is(bright.data[26], 150);
  const turned = rotateImage(img, 90);
  // Counter-clockwise by 90 degrees: the top-left pixel goes to the bottom-left.
  assert.equal(Array.from(turned.data.subarray(6 * 3, 6 * 3 + 3)), [200, 10, 0]);
});

test.run();
