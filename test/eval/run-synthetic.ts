// `npm run eval:synthetic`: the score-feedback scenario on synthetic 128-d unit vectors (1,000
// identities of 4 samples at cosine 0.85 to a random direction, 600 single-sample identities that
// fit the mean; seeded), written to docs/evaluation/synthetic-unit128[-fmr-X]/. Extra arguments go
// to `templock evaluate` (e.g. --feedback-fmr 0.0001). The report's "Regenerate with" names this
// script, since the CSV it evaluates is a temporary file.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { main, processIo } from '../../src/cli/main.js';
import { PROJECT_ROOT } from '../_lib/shared.js';
import { toCsv, unitSet } from './_synthetic.js';

const extra = process.argv.slice(2);
const fmr = extra.includes('--feedback-fmr') ? extra[extra.indexOf('--feedback-fmr') + 1] : undefined;
const dir = mkdtempSync(join(tmpdir(), 'templock-unit128-'));
const csv = join(dir, 'unit128.csv');
writeFileSync(csv, toCsv(unitSet({ dim: 128, identities: 1000, perIdentity: 4, singletons: 600, cos: 0.85, seed: 'unit128' })));
const out = join(PROJECT_ROOT, 'docs', 'evaluation', `synthetic-unit128${fmr ? `-fmr-${Number(fmr)}` : ''}`);
try {
  process.exitCode = await main(['evaluate', csv, '--scenarios', 'score-feedback', ...extra, '--out', relative(process.cwd(), out)], processIo(false));
  if (process.exitCode === 0) {
    const report = join(out, 'report.md');
    const command = ['npm run eval:synthetic', ...(extra.length > 0 ? ['--', ...extra] : [])].join(' ');
    writeFileSync(report, readFileSync(report, 'utf8').replace(/^templock evaluate .*$/m, command));
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
