// Image input of the face embedder (README "Terminal demo and command line"): a file path, the
// bytes of a JPEG or PNG, or raw RGB/RGBA pixels, decoded to one RGB pixel layout. Size limits are
// checked on the header before any pixel is decoded. Decoding is pure JS (jpeg-js, pngjs) on every
// TF.js runtime, so the same file gives the same pixels, and so the same embedding, everywhere.
import { isTemplockError, TemplockError } from '../errors.js';
import { _requirePeer } from '../peers.js';
import { aInt } from '../validate.js';

/** Decoded pixels: `width * height * 3` bytes, row-major, R G B per pixel. */
export interface RgbImage {
  readonly width: number;
  readonly height: number;
  readonly data: Uint8Array;
}

/** Raw pixels as a camera or canvas gives them: RGB (3 bytes per pixel) or RGBA (4, alpha ignored). */
export interface RawImage {
  readonly width: number;
  readonly height: number;
  readonly data: Uint8Array | Uint8ClampedArray;
  /** 3 (RGB) or 4 (RGBA); inferred from `data.length` when absent. */
  readonly channels?: 3 | 4;
}

/** What the embedder accepts: a file path, the bytes of a JPEG or PNG file, or raw pixels. */
export type ImageInput = string | Uint8Array | RawImage;

/** Limits that protect a terminal from oversized input; exceeding one throws IMAGE_TOO_LARGE. */
export interface ImageLimits {
  /** Largest encoded file or buffer, in bytes (default 64 MiB). */
  readonly maxFileBytes?: number;
  /** Largest image, in pixels (default 25,000,000). */
  readonly maxPixels?: number;
}

export const DEFAULT_MAX_FILE_BYTES = 64 * 1024 * 1024;
export const DEFAULT_MAX_PIXELS = 25_000_000;

interface JpegJs {
  decode(data: Uint8Array, opts: { useTArray: true; formatAsRGBA: boolean; maxResolutionInMP: number; maxMemoryUsageInMB: number }): { width: number; height: number; data: Uint8Array };
}
interface PngJs {
  PNG: { sync: { read(data: Buffer): { width: number; height: number; data: Buffer } } };
}

let decoders: { jpeg: JpegJs; png: PngJs } | undefined;

/** jpeg-js and pngjs, loaded on first use (optional peers of templock/embed). */
function _decoders(): { jpeg: JpegJs; png: PngJs } {
  if (!decoders) {
    try {
      decoders = { jpeg: _requirePeer('jpeg-js') as JpegJs, png: _requirePeer('pngjs') as PngJs };
    } catch (e) {
      if (isTemplockError(e)) throw e;
      throw new TemplockError('BACKEND_UNAVAILABLE', 'templock/embed needs the packages jpeg-js and pngjs: npm install jpeg-js pngjs');
    }
  }
  return decoders;
}

type Format = 'jpeg' | 'png';

/** Format and dimensions from the file header, or undefined when the bytes are neither. */
export function _probeImage(bytes: Uint8Array): { format: Format; width: number; height: number } | undefined {
  const be16 = (i: number) => (bytes[i]! << 8) | bytes[i + 1]!;
  const be32 = (i: number) => be16(i) * 65536 + be16(i + 2);
  const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
  if (bytes.length >= 24 && PNG_SIGNATURE.every((b, i) => bytes[i] === b) &&
      String.fromCharCode(...bytes.subarray(12, 16)) === 'IHDR') {
    return { format: 'png', width: be32(16), height: be32(20) };
  }
  if (bytes.length < 4 || bytes[0] !== 0xff || bytes[1] !== 0xd8) return undefined;
  // Walk the JPEG markers to the first start-of-frame (SOF0..SOF15 except DHT, JPG and DAC).
  let i = 2;
  while (i + 3 < bytes.length) {
    if (bytes[i] !== 0xff) return undefined;
    const marker = bytes[i + 1]!;
    if (marker === 0xff) { i++; continue; }
    if (marker === 0x01 || (marker >= 0xd0 && marker <= 0xd8)) { i += 2; continue; }
    const length = be16(i + 2);
    if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) {
      if (i + 8 >= bytes.length) return undefined;
      return { format: 'jpeg', width: be16(i + 7), height: be16(i + 5) };
    }
    if (length < 2) return undefined;
    i += 2 + length;
  }
  return undefined;
}

function tooLarge(what: string): TemplockError {
  return new TemplockError('IMAGE_TOO_LARGE', what);
}

function checkPixels(width: number, height: number, maxPixels: number): void {
  if (width * height > maxPixels) throw tooLarge(`image of ${width}x${height} pixels exceeds the limit of ${maxPixels} pixels`);
}

/** Decodes JPEG or PNG bytes to RGB, after checking the header against the limits. */
function decodeEncoded(bytes: Uint8Array, maxPixels: number): RgbImage {
  const probe = _probeImage(bytes);
  if (!probe) throw new TemplockError('IMAGE_UNREADABLE', 'image is neither a JPEG nor a PNG file');
  if (probe.width === 0 || probe.height === 0) throw new TemplockError('IMAGE_UNREADABLE', `${probe.format.toUpperCase()} header gives an empty image`);
  checkPixels(probe.width, probe.height, maxPixels);
  const { jpeg, png } = _decoders();
  let decoded: { width: number; height: number; data: Uint8Array };
  let channels: 3 | 4;
  try {
    if (probe.format === 'jpeg') {
      const megapixels = Math.ceil(maxPixels / 1e6) + 1;
      decoded = jpeg.decode(bytes, { useTArray: true, formatAsRGBA: false, maxResolutionInMP: megapixels, maxMemoryUsageInMB: 64 * megapixels });
      channels = 3;
    } else {
      decoded = png.PNG.sync.read(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
      channels = 4;
    }
  } catch {
    throw new TemplockError('IMAGE_UNREADABLE', `${probe.format.toUpperCase()} data is corrupt or unsupported`);
  }
  if (decoded.width !== probe.width || decoded.height !== probe.height || decoded.data.length !== decoded.width * decoded.height * channels)
    throw new TemplockError('IMAGE_UNREADABLE', `${probe.format.toUpperCase()} data is corrupt or unsupported`);
  return channels === 3 ? { width: decoded.width, height: decoded.height, data: decoded.data } : _dropAlpha(decoded.width, decoded.height, decoded.data);
}

/** RGB copy of RGBA pixels. */
function _dropAlpha(width: number, height: number, rgba: Uint8Array | Uint8ClampedArray): RgbImage {
  const n = width * height;
  const data = new Uint8Array(n * 3);
  for (let p = 0, q = 0; p < n; p++, q += 4) {
    data[p * 3] = rgba[q]!;
    data[p * 3 + 1] = rgba[q + 1]!;
    data[p * 3 + 2] = rgba[q + 2]!;
  }
  return { width, height, data };
}

function isRawImage(x: unknown): x is RawImage {
  return typeof x === 'object' && x !== null && !ArrayBuffer.isView(x) && 'width' in x && 'height' in x && 'data' in x;
}

function describe(x: unknown): string {
  if (x === null) return 'null';
  if (ArrayBuffer.isView(x)) return x.constructor.name;
  return typeof x === 'object' ? ((x as object).constructor?.name ?? 'object') : typeof x;
}

/** Validates raw pixels and returns them as RGB (the same array when already RGB). */
function fromRaw(raw: RawImage, maxPixels: number): RgbImage {
  const { width, height, data, channels } = raw;
  for (const [name, v] of [['image.width', width], ['image.height', height]] as const) {
    if (typeof v !== 'number') throw new TypeError(`"${name}" expected integer, got ${describe(v)}`);
    if (!Number.isSafeInteger(v) || v < 1) throw new RangeError(`"${name}" expected integer >= 1, got ${v}`);
  }
  if (!(data instanceof Uint8Array) && !(data instanceof Uint8ClampedArray))
    throw new TypeError(`"image.data" expected Uint8Array or Uint8ClampedArray, got ${describe(data)}`);
  checkPixels(width, height, maxPixels);
  const n = width * height;
  const c = channels ?? (data.length === n * 4 ? 4 : 3);
  if (c !== 3 && c !== 4) throw new RangeError(`"image.channels" expected 3 or 4, got ${String(c)}`);
  if (data.length !== n * c) throw new RangeError(`"image.data" expected length ${n * c} (${width}x${height}x${c}), got length ${data.length}`);
  if (c === 4) return _dropAlpha(width, height, data);
  return { width, height, data: data instanceof Uint8Array ? data : new Uint8Array(data.buffer, data.byteOffset, data.byteLength) };
}

/** node:fs, or undefined outside Node.js (browsers), loaded without a static import. */
function nodeFs(): typeof import('node:fs') | undefined {
  const proc = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }).process;
  return proc?.getBuiltinModule?.('node:fs') as typeof import('node:fs') | undefined;
}

/** Reads a file, refusing one over the byte limit before reading it. */
function readImageFile(path: string, maxFileBytes: number): Uint8Array {
  const fs = nodeFs();
  if (!fs) throw new TemplockError('IMAGE_UNREADABLE', 'image file paths need Node.js; pass the file\'s bytes or its pixels');
  const { readFileSync, statSync } = fs;
  let size: number;
  try {
    size = statSync(path).size;
  } catch (e) {
    throw new TemplockError('IMAGE_UNREADABLE', `cannot read image file "${path}" (${(e as NodeJS.ErrnoException).code ?? 'error'})`);
  }
  if (size > maxFileBytes) throw tooLarge(`image file of ${size} bytes exceeds the limit of ${maxFileBytes} bytes`);
  try {
    return readFileSync(path);
  } catch (e) {
    throw new TemplockError('IMAGE_UNREADABLE', `cannot read image file "${path}" (${(e as NodeJS.ErrnoException).code ?? 'error'})`);
  }
}

/**
 * Decodes any accepted image input to RGB pixels. Throws IMAGE_UNREADABLE for a missing file or
 * corrupt data, IMAGE_TOO_LARGE past the limits, TypeError/RangeError for malformed raw pixels.
 * @example
 * import { decodeImage } from 'templock/embed';
 * const { width, height, data } = decodeImage('visitor.jpg');
 */
export function decodeImage(image: ImageInput, limits: ImageLimits = {}): RgbImage {
  const maxFileBytes = limits.maxFileBytes === undefined ? DEFAULT_MAX_FILE_BYTES : aInt('limits.maxFileBytes', limits.maxFileBytes, 1, Number.MAX_SAFE_INTEGER);
  const maxPixels = limits.maxPixels === undefined ? DEFAULT_MAX_PIXELS : aInt('limits.maxPixels', limits.maxPixels, 1, Number.MAX_SAFE_INTEGER);
  if (typeof image === 'string') {
    if (image.length === 0) throw new RangeError('"image" expected a non-empty file path, got an empty string');
    return decodeEncoded(readImageFile(image, maxFileBytes), maxPixels);
  }
  if (image instanceof Uint8Array) {
    if (image.length > maxFileBytes) throw tooLarge(`image of ${image.length} bytes exceeds the limit of ${maxFileBytes} bytes`);
    return decodeEncoded(image, maxPixels);
  }
  if (isRawImage(image)) return fromRaw(image, maxPixels);
  throw new TypeError(`"image" expected file path, Uint8Array of a JPEG/PNG file or { width, height, data }, got ${describe(image)}`);
}
