// Every vector file and the generator that builds it; `npm run vectors` writes them all and
// `npm run vectors:check` proves the committed ones identical. A new file adds one line here.
import type { VectorGenerator } from './_envelope.js';
import { canonicalVectors } from './canonical.js';
import { canonicalV11Vectors } from './canonical-v1-1.js';
import { compareVectors } from './compare.js';
import { credentialVectors } from './credential.js';
import { derivationVectors } from './derivation.js';
import { feedVectors } from './feed.js';
import { fuzzyCommitmentVectors } from './fuzzy-commitment.js';
import { fuzzyCommitmentV11Vectors } from './fuzzy-commitment-v1-1.js';
import { iomGrpVectors } from './iom-grp.js';
import { keyringVectors } from './keyring.js';
import { iomUrpVectors } from './iom-urp.js';
import { manifestVectors } from './manifest.js';
import { recordVectors } from './record.js';
import { recordV2Vectors } from './record-v2.js';
import { samplersVectors } from './samplers.js';
import { samplersV11Vectors } from './samplers-v1-1.js';
import { signVectors } from './sign.js';
import { templateVectors } from './template.js';
import { templateV11Vectors } from './template-v1-1.js';
import { templateEncodeV11Vectors } from './template-encode-v1-1.js';
import { protectV11Vectors } from './protect-v1-1.js';
import { recordV21Vectors } from './record-v2-1.js';

export const GENERATORS: readonly VectorGenerator[] = [
  canonicalVectors,
  samplersVectors,
  derivationVectors,
  iomGrpVectors,
  iomUrpVectors,
  signVectors,
  compareVectors,
  templateVectors,
  recordVectors,
  recordV2Vectors,
  manifestVectors,
  fuzzyCommitmentVectors,
  feedVectors,
  credentialVectors,
  templateV11Vectors,
  protectV11Vectors,
  recordV21Vectors,
  canonicalV11Vectors,
  fuzzyCommitmentV11Vectors,
  keyringVectors,
  samplersV11Vectors,
  templateEncodeV11Vectors,
];
