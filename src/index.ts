// templock: the public API of the core (re-exports only, no side effects).
export { TemplockError, isTemplockError, ERROR_CODES, type ErrorCode } from './errors.js';
export type { EmbeddingInput, NdArray1D } from './validate.js';
export { CANONICAL_SCALE } from './canonical.js';
export { generateKey, generateSalt } from './random/secrets.js';
export type { TransformParams, SchemeName, IomGrpParams, IomUrpParams, SignParams } from './transforms/scheme.js';
export { checkParams, SCHEME_NAMES, DIM_MIN, DIM_MAX } from './transforms/registry.js';
export { defaultParams, DEFAULT_CENTRING_STRENGTH } from './transforms/defaults.js';
export { protect, protectAll, KEY_BYTES, type ProtectParams } from './transforms/protect.js';
export { setMaterialCacheLimit, materialCacheBytes, DEFAULT_CACHE_BYTES } from './transforms/material-cache.js';
export {
  encodeTemplate, decodeTemplate, TEMPLATE_MAGIC, TEMPLATE_VERSION, SALT_MIN_BYTES, SALT_MAX_BYTES,
  type ProtectedTemplate,
} from './template.js';
export { compareTemplates, assertComparable } from './score.js';
export {
  checkBindingParams, defaultBindingParams, DEFAULT_BINDING_CODE, DEFAULT_BINDING_CENTRING_STRENGTH,
  FUZZY_COMMITMENT_ID, COMMITMENT_BYTES, RELEASED_KEY_BYTES, type FuzzyCommitmentParams,
} from './transforms/fuzzy-commitment.js';
export { bindKey, releaseKey, messageBytes, type BindingParams, type BoundKey, type KeyRelease } from './transforms/key-binding.js';
export { BoundGallery, BOUND_THREADS_MAX, type BoundGalleryOptions, type BoundRelease } from './transforms/bound-gallery.js';
export { sealCredential, openCredential, CREDENTIAL_MAX_BYTES } from './transforms/credential.js';
export { encodeBoundTemplate, decodeBoundTemplate, type BoundTemplate, type SealableTemplate } from './template.js';
