// `npm run eval:lfw` (full evaluation of the recommended defaults) and `npm run eval:lfw:sweep`
// (the parameter sweep) on the LFW embeddings in ../shared/data; writes docs/evaluation/lfw*/.
// Skips with a message when ../shared/data is absent (a clone of the project alone).
import { join, relative } from 'node:path';
import { main } from '../../src/cli/main.js';
import { PROJECT_ROOT, sharedPath } from '../_lib/shared.js';

const sweep = process.argv.includes('--sweep');
const data = sharedPath('data/lfw-faceapi128', sweep ? 'eval:lfw:sweep' : 'eval:lfw');
if (data) {
  const extra = process.argv.slice(2).filter((a) => a !== '--sweep');
  const strength = extra[extra.indexOf('--centring-strength') + 1];
  const out = join(PROJECT_ROOT, 'docs', 'evaluation', `${sweep ? 'lfw-sweep' : 'lfw'}${extra.includes('--centring-strength') ? `-centring-${strength}` : ''}`);
  process.exitCode = await main(['evaluate', relative(process.cwd(), data), ...(sweep ? ['--sweep'] : []), ...extra, '--out', relative(process.cwd(), out)]);
}
