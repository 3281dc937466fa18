// templock/eval: accuracy and privacy evaluation of protected templates on labelled embeddings
// (docs/EVALUATION.md). Re-exports only.
export { type EmbeddingSet, checkEmbeddingSet } from './dataset.js';
export { readEmbeddings, readEmbeddingDir, readNpy, readCsv } from './readers.js';
export {
  errorCurve, equalErrorRate, fnmrAtFmr, acceptRate, detPoints, meanSd,
  type ErrorCurve, type EerResult, type FnmrAtFmr, type OperatingPoint,
} from './metrics.js';
export { unlinkability, unlinkabilityFloor, type Unlinkability } from './unlinkability.js';
export { genuinePairs, balancedGenuinePairs, impostorPairs, impostorPairTotal, type PairList } from './pairs.js';
export { centringSplit, centringVector, CENTRING_PROTOCOLS, type CentringProtocol, type CentringSplit } from './centring.js';
export { summariseVerification, scoreHistogram, FMR_TARGETS, type VerificationSummary, type ScoreHistogram } from './summary.js';
export { attacksFor, ATTACK_NAMES, type AttackName } from './attacks.js';
export { optimisationInversion, DEFAULT_OPTIMISATION, type OptimisationOptions } from './optimisation-attack.js';
export {
  evaluate, paramsLabel, SCENARIOS, SYSTEM_FMR,
  type EvaluateOptions, type EvaluationResult, type SystemResult, type ScenarioName, type RenewabilitySummary,
  type UnlinkabilitySummary, type InversionSummary, type InversionBaseline, type AcceptanceRates, type TargetCheck,
} from './evaluate.js';
export {
  DEFAULT_SCORE_FEEDBACK_SHAPE,
  type ScoreFeedbackShape, type ScoreFeedbackResult, type ScoreFeedbackSummary, type ScoreFeedbackTarget, type ScoreFeedbackBaseline,
} from './score-feedback.js';
export { markdownReport, sweepTable } from './report.js';
export { detSvg, scoreSvgs, probit } from './svg.js';
export { sweepGrid } from './sweep.js';
export { tune, TUNE_STRENGTHS, TUNE_CENTRING_TOLERANCE, type TuneOptions, type TuneResult, type TunedSet } from './tune.js';
export { evaluateKeyBinding, type KeyBindingEvalOptions, type KeyBindingResult, type KeyBindingPoint } from './key-binding.js';
export { keyBindingReport } from './key-binding-report.js';
