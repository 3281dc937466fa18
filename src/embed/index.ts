// templock/embed: the optional TF.js face embedder (image -> face -> protected template) for
// Node.js. Only this subpath imports TF.js and face-api; the core never does.
export {
  FaceEmbedder, createEmbedder, protectImage,
  type FaceChoice, type DetectedFace, type ProtectedFace, type EmbedderOptions, type FaceOptions,
} from './embedder.js';
export { decodeImage, DEFAULT_MAX_FILE_BYTES, DEFAULT_MAX_PIXELS, type ImageInput, type RawImage, type RgbImage, type ImageLimits } from './image.js';
export { cropImage, flipHorizontal, adjustBrightness, rotateImage, scaleImage, padImage, type PixelBox } from './image-ops.js';
export { FACEAPI_DIM, faceapiBindingParams, faceapiMean, faceapiParams, faceapiThreshold, type FalseMatchRate } from './model-params.js';
export type { RuntimeName, RuntimePreference } from './runtime.js';
