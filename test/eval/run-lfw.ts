// `npm run eval:lfw` (full evaluation of the recommended defaults) and `npm run eval:lfw:sweep`
// (the parameter sweep) on the LFW embeddings in ../shared/data; writes docs/evaluation/lfw*/.
// Skips with a message when ../shared/data is absent (a clone of the project alone).
import { join, relative } from 'node:path';
import type { Io } from '../../src/cli/command.js';
import { main, processIo } from '../../src/cli/main.js';
import { PROJECT_ROOT, sharedPath } from '../_lib/shared.js';

const sweep = process.argv.includes('--sweep');
const data = sharedPath('data/lfw-faceapi128', sweep ? 'eval:lfw:sweep' : 'eval:lfw');
if (data) {
  const extra = process.argv.slice(2).filter((a) => a !== '--sweep');
  const strength = extra[extra.indexOf('--centring-strength') + 1];
  const out = join(PROJECT_ROOT, 'docs', 'evaluation', `${sweep ? 'lfw-sweep' : 'lfw'}${extra.includes('--centring-strength') ? `-centring-${strength}` : ''}`);
  // Progress: the terminal line of the CLI, or one line per step when stderr is not a terminal.
  const io = processIo(false);
  let last = '';
  const started = Date.now();
  const progress: Io['progress'] = process.stderr.isTTY ? io.progress : (done, total, label) => {
    if (label !== last) process.stderr.write(`[${((Date.now() - started) / 1000).toFixed(0)} s] ${done}/${total} ${label}\n`);
    last = label;
  };
  process.exitCode = await main(['evaluate', relative(process.cwd(), data), ...(sweep ? ['--sweep'] : []), ...extra, '--out', relative(process.cwd(), out)], { ...io, progress });
}
