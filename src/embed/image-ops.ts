// Small pixel operations on RGB images: crop, mirror, brightness, rotation and scaling. They make
// a different view of the same face (another capture at the gate) for enrolment tests and the
// access-terminal demo; every result is a new image, the input is never changed.
import type { RgbImage } from './image.js';

/** An axis-aligned rectangle in pixels. */
export interface PixelBox {
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
}

function clampByte(v: number): number {
  return v < 0 ? 0 : v > 255 ? 255 : Math.round(v);
}

/**
 * The part of `image` inside `box` (clipped to the image; at least one pixel).
 * @example
 * import { cropImage } from 'templock/embed';
 * const face = cropImage(photo, { x: 100, y: 80, width: 300, height: 300 });
 */
export function cropImage(image: RgbImage, box: PixelBox): RgbImage {
  const x0 = Math.max(0, Math.min(image.width - 1, Math.floor(box.x)));
  const y0 = Math.max(0, Math.min(image.height - 1, Math.floor(box.y)));
  const x1 = Math.max(x0 + 1, Math.min(image.width, Math.ceil(box.x + box.width)));
  const y1 = Math.max(y0 + 1, Math.min(image.height, Math.ceil(box.y + box.height)));
  const width = x1 - x0;
  const height = y1 - y0;
  const data = new Uint8Array(width * height * 3);
  for (let y = 0; y < height; y++) {
    const from = ((y0 + y) * image.width + x0) * 3;
    data.set(image.data.subarray(from, from + width * 3), y * width * 3);
  }
  return { width, height, data };
}

/**
 * The mirror image (left and right swapped).
 * @example
 * import { flipHorizontal } from 'templock/embed';
 * const mirrored = flipHorizontal(photo);
 */
export function flipHorizontal(image: RgbImage): RgbImage {
  const { width, height } = image;
  const data = new Uint8Array(width * height * 3);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const from = (y * width + x) * 3;
      const to = (y * width + (width - 1 - x)) * 3;
      data[to] = image.data[from]!;
      data[to + 1] = image.data[from + 1]!;
      data[to + 2] = image.data[from + 2]!;
    }
  }
  return { width, height, data };
}

/**
 * Every channel multiplied by `factor` (0.7 darker, 1.3 brighter), clamped to 0..255.
 * @example
 * import { adjustBrightness } from 'templock/embed';
 * const dusk = adjustBrightness(photo, 0.7);
 */
export function adjustBrightness(image: RgbImage, factor: number): RgbImage {
  const data = new Uint8Array(image.data.length);
  for (let i = 0; i < data.length; i++) data[i] = clampByte(image.data[i]! * factor);
  return { width: image.width, height: image.height, data };
}

/** Bilinear sample of channel `c` at (x, y); outside the image reads as black. */
function sample(image: RgbImage, x: number, y: number, c: number): number {
  const xf = Math.floor(x);
  const yf = Math.floor(y);
  const dx = x - xf;
  const dy = y - yf;
  const at = (px: number, py: number) =>
    px < 0 || py < 0 || px >= image.width || py >= image.height ? 0 : image.data[(py * image.width + px) * 3 + c]!;
  return (at(xf, yf) * (1 - dx) + at(xf + 1, yf) * dx) * (1 - dy) + (at(xf, yf + 1) * (1 - dx) + at(xf + 1, yf + 1) * dx) * dy;
}

/** An image of `width` x `height` whose pixel (x, y) samples `image` at `map(x, y)`. */
function resample(image: RgbImage, width: number, height: number, map: (x: number, y: number) => [number, number]): RgbImage {
  const data = new Uint8Array(width * height * 3);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const [sx, sy] = map(x, y);
      const o = (y * width + x) * 3;
      for (let c = 0; c < 3; c++) data[o + c] = clampByte(sample(image, sx, sy, c));
    }
  }
  return { width, height, data };
}

/**
 * The image turned by `degrees` (counter-clockwise) about its centre, same size, bilinear,
 * corners filled with black.
 * @example
 * import { rotateImage } from 'templock/embed';
 * const tilted = rotateImage(photo, 8);
 */
export function rotateImage(image: RgbImage, degrees: number): RgbImage {
  const a = (degrees * Math.PI) / 180;
  const cos = Math.cos(a);
  const sin = Math.sin(a);
  const cx = (image.width - 1) / 2;
  const cy = (image.height - 1) / 2;
  return resample(image, image.width, image.height, (x, y) => {
    const u = x - cx;
    const v = y - cy;
    return [cx + u * cos - v * sin, cy + u * sin + v * cos];
  });
}

/**
 * The image resized by `factor` (0.5 halves each side), bilinear.
 * @example
 * import { scaleImage } from 'templock/embed';
 * const farther = scaleImage(photo, 0.6);
 */
export function scaleImage(image: RgbImage, factor: number): RgbImage {
  const width = Math.max(1, Math.round(image.width * factor));
  const height = Math.max(1, Math.round(image.height * factor));
  const sx = image.width / width;
  const sy = image.height / height;
  return resample(image, width, height, (x, y) => [(x + 0.5) * sx - 0.5, (y + 0.5) * sy - 0.5]);
}

/**
 * The image inside a black border of `border` pixels on every side.
 * @example
 * import { padImage } from 'templock/embed';
 * const framed = padImage(closeUp, 100);
 */
export function padImage(image: RgbImage, border: number): RgbImage {
  const width = image.width + 2 * border;
  const height = image.height + 2 * border;
  const data = new Uint8Array(width * height * 3);
  for (let y = 0; y < image.height; y++) data.set(image.data.subarray(y * image.width * 3, (y + 1) * image.width * 3), ((y + border) * width + border) * 3);
  return { width, height, data };
}
