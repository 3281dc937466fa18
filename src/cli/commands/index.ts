// The table of `templock` subcommands; each lives in its own file beside this one.
import type { Command } from '../command.js';
import { benchCommand } from './bench.js';
import { evaluateCommand } from './evaluate.js';
import { vectorsVerifyCommand } from './vectors-verify.js';

export const COMMANDS: readonly Command[] = [
  benchCommand,
  evaluateCommand,
  vectorsVerifyCommand,
];
