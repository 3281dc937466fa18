// templock/conformance: checks an implementation (ours, or a port through its outputs file)
// against the published test vectors (vectors/README.md, SPEC.md).
export type { JsonValue, VectorChecker, VectorFile, VectorGroup, VectorTest } from './types.js';
export { CHECKERS } from './checkers/index.js';
export { expectedOutcome, mismatch, runOutcome, type Outcome } from './outcome.js';
export { parseOutputs, formatOutputLine, type PortOutputs } from './outputs.js';
export { checkerFor, envelopeProblems, formatFailure, verifyFile, emptyReport, type VerifyFailure, type VerifyReport, type OutcomeSource } from './verify.js';
export { defaultVectorsDir, loadVectorFiles, verifyVectorDir } from './directory.js';
export { toHex, fromHex, f32FromHex, f32ToHex } from './codec.js';
