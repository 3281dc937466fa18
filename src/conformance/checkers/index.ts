// The checker of every vector-file schema; `templock vectors verify` picks one by the file's
// "schema" field. A new vector file kind adds its checker here (vectors/README.md).
import type { VectorChecker } from '../types.js';
import { canonicalChecker } from './canonical.js';
import { compareChecker } from './compare.js';
import { credentialChecker } from './credential.js';
import { derivationChecker } from './derivation.js';
import { feedChecker } from './feed.js';
import { fuzzyCommitmentChecker } from './fuzzy-commitment.js';
import { keyringChecker } from './keyring.js';
import { manifestChecker } from './manifest.js';
import { protectChecker } from './protect.js';
import { recordChecker } from './record.js';
import { recordV2Checker } from './record-v2.js';
import { samplersChecker } from './samplers.js';
import { templateChecker } from './template.js';
import { templateEncodeChecker } from './template-encode.js';

export const CHECKERS: readonly VectorChecker[] = [
  canonicalChecker,
  samplersChecker,
  derivationChecker,
  protectChecker,
  compareChecker,
  templateChecker,
  recordChecker,
  recordV2Checker,
  manifestChecker,
  fuzzyCommitmentChecker,
  feedChecker,
  credentialChecker,
  keyringChecker,
  templateEncodeChecker,
];
