// templock/match: kernel loader, raw kernels, protect in WebAssembly, 1:1 Matcher and 1:N
// Gallery (README "Matching"). Re-exports only, no side effects.
export { init, backend, type InitOptions } from './loader.js';
export { BACKENDS, KERNEL_NAMES, type Backend, type KernelSet } from './kernel-set.js';
export { createKernels, type Kernels } from './kernels.js';
export { protectFast, protectAllFast, protectBatch } from './protect-fast.js';
export { Matcher, type MatcherOptions, type Verification } from './matcher.js';
export { coarsenScore, COARSE_SCORE_STEP, SCORE_DISCLOSURES, type ScoreDisclosure } from './disclosure.js';
export { Gallery, K_MAX, THREADS_MAX, type GalleryOptions, type IdentifyOptions, type Candidate } from './gallery.js';
