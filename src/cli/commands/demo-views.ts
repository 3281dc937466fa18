// The captures of the access-terminal demo, made from the group photos shipped with
// @vladmandic/face-api: one person in view (a crop around a detected face) for enrolment, and a
// different view of the same person for verification (other framing plus a mirror, a brightness
// change, a small rotation or a smaller scale): a real change of the image, not of the embedding.
// A capture with no detectable face is a failure to enrol or acquire (unlessNoFace).
import { adjustBrightness, cropImage, flipHorizontal, rotateImage, scaleImage } from '../../embed/image-ops.js';
import type { DetectedFace } from '../../embed/embedder.js';
import type { RgbImage } from '../../embed/image.js';
import { isTemplockError } from '../../errors.js';

/** Face-widths of margin around the face at enrolment and at verification. */
const ENROL_MARGIN = 0.5;
const PROBE_MARGIN = 0.8;

/** One way of seeing a face again at the gate. */
export interface View {
  readonly name: string;
  apply(image: RgbImage): RgbImage;
}

/** The views of verification, used in turn. */
export const PROBE_VIEWS: readonly View[] = [
  { name: 'mirrored', apply: flipHorizontal },
  { name: 'darker (x0.7)', apply: (i) => adjustBrightness(i, 0.7) },
  { name: 'rotated +7 deg', apply: (i) => rotateImage(i, 7) },
  { name: 'brighter (x1.3)', apply: (i) => adjustBrightness(i, 1.3) },
  { name: 'rotated -7 deg', apply: (i) => rotateImage(i, -7) },
  { name: 'smaller (x0.6), mirrored', apply: (i) => flipHorizontal(scaleImage(i, 0.6)) },
];

/** The region around a face with `margin` face-sizes on every side. */
export function aroundFace(photo: RgbImage, face: DetectedFace, margin: number): RgbImage {
  const { x, y, width, height } = face.box;
  return cropImage(photo, { x: x - margin * width, y: y - margin * height, width: width * (1 + 2 * margin), height: height * (1 + 2 * margin) });
}

/** The enrolment capture of a face: that person alone in view. */
export function enrolmentCapture(photo: RgbImage, face: DetectedFace): RgbImage {
  return aroundFace(photo, face, ENROL_MARGIN);
}

/** The verification capture of a face: wider framing and the i-th view. */
export function probeCapture(photo: RgbImage, face: DetectedFace, i: number): { image: RgbImage; view: string } {
  const view = PROBE_VIEWS[i % PROBE_VIEWS.length]!;
  return { image: view.apply(aroundFace(photo, face, PROBE_MARGIN)), view: view.name };
}

/** The value of `p`, or undefined when it fails with NO_FACE (a failure to enrol or acquire). */
export async function unlessNoFace<T>(p: Promise<T>): Promise<T | undefined> {
  try {
    return await p;
  } catch (e) {
    if (isTemplockError(e, 'NO_FACE')) return undefined;
    throw e;
  }
}
