// The table of `templock` subcommands; each lives in its own file beside this one.
import type { Command } from '../command.js';
import { auditCommand } from './audit.js';
import { benchCommand } from './bench.js';
import { evaluateCommand } from './evaluate.js';
import { vectorsVerifyCommand } from './vectors-verify.js';
import { demoCommand } from './demo.js';
import { enrollCommand } from './enroll.js';
import { identifyCommand } from './identify.js';
import { keysCreateCommand } from './keys-create.js';
import { keysRewrapCommand } from './keys-rewrap.js';
import { keysRotateCommand } from './keys-rotate.js';
import { reissueCommand } from './reissue.js';
import { revokeCommand } from './revoke.js';
import { syncCommand } from './sync.js';
import { unlockCommand } from './unlock.js';
import { verifyCommand } from './verify.js';

export const COMMANDS: readonly Command[] = [
  demoCommand,
  enrollCommand,
  verifyCommand,
  identifyCommand,
  revokeCommand,
  reissueCommand,
  syncCommand,
  auditCommand,
  unlockCommand,
  keysCreateCommand,
  keysRotateCommand,
  keysRewrapCommand,
  benchCommand,
  evaluateCommand,
  vectorsVerifyCommand,
];
