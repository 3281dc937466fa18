// The face embedder: image -> detected faces (SSD-MobileNetV1) -> 68 landmarks -> aligned crop
// (face-api's dlib-style box from the landmarks) -> 128-d descriptor (face-api's port of dlib's
// ResNet recogniser) -> protected template (SPEC.md §2–§4). The raw descriptor lives only inside
// one call and is zero-filled before it returns; only `embedRawUnsafe` hands one out.
import type * as FaceApi from '@vladmandic/face-api';
import { TemplockError } from '../errors.js';
import { SALT_MAX_BYTES, SALT_MIN_BYTES, type ProtectedTemplate } from '../template.js';
import { KEY_BYTES, protectAll, type ProtectParams } from '../transforms/protect.js';
import { checkParams } from '../transforms/registry.js';
import { aBytes, aNumber } from '../validate.js';
import { decodeImage, type ImageInput, type ImageLimits, type RgbImage } from './image.js';
import { padImage, type PixelBox } from './image-ops.js';
import { FACEAPI_DIM } from './model-params.js';
import { _loadRuntime, type _Runtime, type RuntimeName, type RuntimePreference } from './runtime.js';

/**
 * Which face to use when an image shows several:
 * - `single`: exactly one face is required, several throw MULTIPLE_FACES (the default);
 * - `largest`: the face with the largest detection box;
 * - `centre`: the largest box that contains the image centre, or else the box whose centre is
 *   nearest to the image centre (the person standing in front of a terminal camera).
 */
export type FaceChoice = 'single' | 'largest' | 'centre';
const FACE_CHOICES: readonly FaceChoice[] = ['single', 'largest', 'centre'];
/** Border of the second detection pass, as a fraction of the image's longer side. */
const CLOSE_UP_BORDER = 0.25;

/** A detected face: its box in image pixels and the detector's confidence in [0, 1]. */
export interface DetectedFace {
  readonly box: PixelBox;
  readonly score: number;
}

/** A protected face: where it was, and its template under each salt given (the first is `template`). */
export interface ProtectedFace {
  readonly face: DetectedFace;
  readonly template: ProtectedTemplate;
  readonly templates: readonly ProtectedTemplate[];
}

/** How an embedder is built. */
export interface EmbedderOptions {
  /** TF.js runtime: 'auto' (tfjs-node if installed, else tfjs-wasm; the default) or a named one. */
  readonly runtime?: RuntimePreference;
  /**
   * Folder of the face-api weights; default the `model/` folder of the installed package. In
   * browsers, the URL the page serves that folder at (required there).
   */
  readonly modelDir?: string;
  /**
   * Folder of the TF.js WebAssembly binaries (the `dist/` files of @tensorflow/tfjs-backend-wasm);
   * default that folder of the installed package. In browsers, the URL the page serves them at
   * (required there).
   */
  readonly wasmDir?: string;
  /** Least detector confidence of a face, in (0, 1]; default 0.5. */
  readonly minConfidence?: number;
  /** Size limits of input images. */
  readonly limits?: ImageLimits;
}

/** Options of one call. */
export interface FaceOptions {
  /** Which face when there are several (default 'single'). */
  readonly face?: FaceChoice;
}

type Salts = Uint8Array | readonly Uint8Array[];

/** A face the detector found: its box in image pixels, and its landmark-aligned box in tensor pixels. */
interface Found {
  readonly face: DetectedFace;
  readonly aligned: FaceApi.Box;
}

function area(b: PixelBox): number {
  return b.width * b.height;
}

/** The face picked by `choice` (candidates non-empty). */
export function _chooseFace<T extends { face: DetectedFace }>(candidates: readonly T[], choice: FaceChoice, width: number, height: number): T {
  if (candidates.length > 1 && choice === 'single')
    throw new TemplockError('MULTIPLE_FACES', `${candidates.length} faces found where one was required (choose the largest or the centre face)`);
  const largest = (list: readonly T[]) => list.reduce((a, b) => (area(b.face.box) > area(a.face.box) ? b : a));
  if (choice !== 'centre') return largest(candidates);
  const cx = width / 2;
  const cy = height / 2;
  const over = candidates.filter(({ face: { box } }) => box.x <= cx && cx <= box.x + box.width && box.y <= cy && cy <= box.y + box.height);
  if (over.length > 0) return largest(over);
  const distance = ({ face: { box } }: T) => Math.hypot(box.x + box.width / 2 - cx, box.y + box.height / 2 - cy);
  return candidates.reduce((a, b) => (distance(b) < distance(a) ? b : a));
}

/** Validates the arguments of protection before any image work, and returns the salts as a list. */
function aProtectArgs(params: ProtectParams, key: Uint8Array, salts: Salts): readonly Uint8Array[] {
  checkParams(params);
  aBytes('key', key, KEY_BYTES);
  const list = salts instanceof Uint8Array ? [salts] : salts;
  if (!Array.isArray(list)) throw new TypeError('"salt" expected Uint8Array or Uint8Array[]');
  if (list.length === 0) throw new RangeError('"salt" expected at least one salt, got 0');
  for (const s of list) aBytes('salt', s, SALT_MIN_BYTES, SALT_MAX_BYTES);
  return list;
}

function aChoice(options: FaceOptions | undefined): FaceChoice {
  const choice = options?.face ?? 'single';
  if (!FACE_CHOICES.includes(choice)) throw new RangeError(`"options.face" expected one of ${FACE_CHOICES.join(', ')}`);
  return choice;
}

/**
 * A loaded face embedder (models in memory). Build one with {@link createEmbedder} and reuse it.
 * @example
 * import { createEmbedder } from 'templock/embed';
 * const embedder = await createEmbedder();
 * console.log(embedder.runtime); // 'tfjs-node' or 'tfjs-wasm'
 */
export class FaceEmbedder {
  /** Dimension of the embeddings (128). */
  readonly dim = FACEAPI_DIM;
  readonly #rt: _Runtime;
  readonly #minConfidence: number;
  readonly #limits: ImageLimits;

  /** Use {@link createEmbedder}. */
  private constructor(runtime: _Runtime, minConfidence: number, limits: ImageLimits) {
    this.#rt = runtime;
    this.#minConfidence = minConfidence;
    this.#limits = limits;
  }
  /** An embedder over a loaded runtime (createEmbedder's constructor). @internal */
  static _over(runtime: _Runtime, minConfidence: number, limits: ImageLimits): FaceEmbedder {
    return new FaceEmbedder(runtime, minConfidence, limits);
  }


  /** The TF.js runtime that computes embeddings. */
  get runtime(): RuntimeName { return this.#rt.name; }
  /** Runtime, version and features, e.g. "tfjs-wasm 4.22.0 (SIMD, single thread)". */
  get runtimeDescription(): string { return this.#rt.description; }
  /** Milliseconds it took to load TF.js and the models. */
  get loadMs(): number { return this.#rt.loadMs; }

  /** Decodes an input to RGB under this embedder's size limits. */
  decode(image: ImageInput): RgbImage {
    return decodeImage(image, this.#limits);
  }

  /**
   * Decodes the image, finds its faces and runs `body` on the image tensor and the faces (boxes
   * in image pixels). When no face is found, a second pass looks again inside a black border of
   * a quarter of the longer side: the detector misses some faces that fill the frame (close-up
   * captures). Tensors are disposed afterwards.
   */
  async #withFaces<T>(image: ImageInput, body: (x: FaceApi.tf.Tensor3D, found: Found[], rgb: RgbImage) => Promise<T>): Promise<T> {
    const rgb = this.decode(image);
    for (const border of [0, Math.round(Math.max(rgb.width, rgb.height) * CLOSE_UP_BORDER)]) {
      const framed = border === 0 ? rgb : padImage(rgb, border);
      const x = this.#rt.tf.tensor3d(framed.data, [framed.height, framed.width, 3], 'int32');
      try {
        const found = await this.#find(x, border);
        if (found.length > 0 || border !== 0) return await body(x, found, rgb);
      } finally {
        x.dispose();
      }
    }
    throw new TemplockError('NO_FACE', 'no face found in the image');
  }

  /** Every face with its aligned box (tensor pixels), boxes shifted back by `border`, left to right. */
  async #find(x: FaceApi.tf.Tensor3D, border: number): Promise<Found[]> {
    const { faceapi } = this.#rt;
    const options = new faceapi.SsdMobilenetv1Options({ minConfidence: this.#minConfidence, maxResults: 100 });
    const results = await faceapi.detectAllFaces(x, options).withFaceLandmarks();
    return results
      .map((r) => {
        const b = r.detection.box;
        const face = { box: { x: b.x - border, y: b.y - border, width: b.width, height: b.height }, score: r.detection.score };
        return { face, aligned: r.landmarks.align(null, { useDlibAlignment: true }) };
      })
      .sort((a, b) => a.face.box.x - b.face.box.x);
  }

  /** Raw descriptors of the given faces, one crop at a time; the caller zero-fills them. */
  async #describe(x: FaceApi.tf.Tensor3D, faces: readonly Found[]): Promise<Float32Array[]> {
    const { faceapi } = this.#rt;
    const out: Float32Array[] = [];
    try {
      for (const f of faces) {
        const [crop] = await faceapi.extractFaceTensors(x, [f.aligned]);
        if (!crop) throw new TemplockError('NO_FACE', 'the aligned face lies outside the image');
        try {
          out.push((await faceapi.nets.faceRecognitionNet.computeFaceDescriptor(crop)) as Float32Array);
        } finally {
          crop.dispose();
        }
      }
    } catch (e) {
      for (const d of out) d.fill(0);
      throw e;
    }
    return out;
  }

  /** The chosen face of the image and its raw descriptor (caller zero-fills). */
  async #embedOne(image: ImageInput, choice: FaceChoice): Promise<{ face: DetectedFace; descriptor: Float32Array }> {
    return this.#withFaces(image, async (x, found, rgb) => {
      if (found.length === 0) throw new TemplockError('NO_FACE', 'no face found in the image');
      const chosen = _chooseFace(found, choice, rgb.width, rgb.height);
      const [descriptor] = await this.#describe(x, [chosen]);
      return { face: chosen.face, descriptor: descriptor! };
    });
  }

  /**
   * The faces in an image (boxes and confidences, left to right); computes no embedding.
   * @example
   * import { createEmbedder } from 'templock/embed';
   * const faces = await (await createEmbedder()).detectFaces('group.jpg');
   */
  async detectFaces(image: ImageInput): Promise<DetectedFace[]> {
    return this.#withFaces(image, async (_x, found) => found.map((f) => f.face));
  }

  /**
   * Detects the face (by `options.face`), embeds it and returns its protected template(s), one per
   * salt; the raw embedding is zero-filled before this returns. Throws IMAGE_UNREADABLE,
   * IMAGE_TOO_LARGE, NO_FACE or MULTIPLE_FACES.
   * @example
   * import { generateKey, generateSalt } from 'templock';
   * import { createEmbedder, faceapiParams } from 'templock/embed';
   * const embedder = await createEmbedder();
   * const { template } = await embedder.protectImage('visitor.jpg', faceapiParams(), key, generateSalt());
   */
  async protectImage(image: ImageInput, params: ProtectParams, key: Uint8Array, salt: Salts, options?: FaceOptions): Promise<ProtectedFace> {
    const salts = aProtectArgs(params, key, salt);
    const { face, descriptor } = await this.#embedOne(image, aChoice(options));
    try {
      const templates = protectAll(descriptor, params, key, salts);
      return { face, template: templates[0]!, templates };
    } finally {
      descriptor.fill(0);
    }
  }

  /**
   * Protects every face of the image (a group photo at enrolment), each under the salt that
   * `saltFor` gives it; faces in reading order. Raw embeddings are zero-filled before it returns.
   * Throws NO_FACE when there is none.
   * @example
   * import { generateSalt } from 'templock';
   * import { createEmbedder, faceapiParams } from 'templock/embed';
   * const faces = await (await createEmbedder()).protectAllFaces('team.jpg', faceapiParams(), key, () => generateSalt());
   */
  async protectAllFaces(image: ImageInput, params: ProtectParams, key: Uint8Array, saltFor: (face: DetectedFace, index: number) => Uint8Array): Promise<ProtectedFace[]> {
    if (typeof saltFor !== 'function') throw new TypeError('"saltFor" expected function');
    checkParams(params);
    aBytes('key', key, KEY_BYTES);
    return this.#withFaces(image, async (x, found) => {
      if (found.length === 0) throw new TemplockError('NO_FACE', 'no face found in the image');
      const descriptors = await this.#describe(x, found);
      try {
        return found.map(({ face }, i) => {
          const templates = protectAll(descriptors[i]!, params, key, [saltFor(face, i)]);
          return { face, template: templates[0]!, templates };
        });
      } finally {
        for (const d of descriptors) d.fill(0);
      }
    });
  }

  /**
   * UNSAFE: returns the raw 128-d embedding of the chosen face. A raw embedding is a reusable
   * biometric: never store, log or send it; zero-fill it (`e.fill(0)`) when done. For evaluation
   * and tests; terminals use {@link FaceEmbedder.protectImage}.
   * @example
   * import { createEmbedder } from 'templock/embed';
   * const e = await (await createEmbedder()).embedRawUnsafe('probe.jpg');
   * try { evaluate(e); } finally { e.fill(0); }
   */
  async embedRawUnsafe(image: ImageInput, options?: FaceOptions): Promise<Float32Array> {
    return (await this.#embedOne(image, aChoice(options))).descriptor;
  }
}

/**
 * Loads TF.js (tfjs-node if installed, else the WASM backend) and the face-api models from the
 * installed package (no network), and returns an embedder. The runtime is loaded once per process.
 * @example
 * import { createEmbedder } from 'templock/embed';
 * const embedder = await createEmbedder({ minConfidence: 0.5 });
 */
export async function createEmbedder(options: EmbedderOptions = {}): Promise<FaceEmbedder> {
  const runtime = options.runtime ?? 'auto';
  if (!['auto', 'tfjs-node', 'tfjs-wasm'].includes(runtime)) throw new RangeError('"options.runtime" expected one of auto, tfjs-node, tfjs-wasm');
  const minConfidence = aNumber('options.minConfidence', options.minConfidence ?? 0.5, Number.MIN_VALUE, 1);
  return FaceEmbedder._over(await _loadRuntime(runtime, options.modelDir, options.wasmDir), minConfidence, options.limits ?? {});
}

let shared: Promise<FaceEmbedder> | undefined;

/**
 * Protects the face of an image with the shared default embedder (loaded on first use): the
 * one-call form of {@link FaceEmbedder.protectImage}. `salt` may be one salt or several.
 * @example
 * import { generateKey, generateSalt } from 'templock';
 * import { protectImage, faceapiParams } from 'templock/embed';
 * const { template } = await protectImage('visitor.jpg', faceapiParams(), generateKey(), generateSalt());
 */
export async function protectImage(image: ImageInput, params: ProtectParams, key: Uint8Array, salt: Salts, options?: FaceOptions): Promise<ProtectedFace> {
  shared ??= createEmbedder();
  shared.catch(() => { shared = undefined; });
  return (await shared).protectImage(image, params, key, salt, options);
}
