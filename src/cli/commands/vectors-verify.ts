// `templock vectors verify [dir]`: checks this implementation -- or, with --outputs, a port's
// recorded outcomes -- against a directory of published test vectors (vectors/README.md);
// one line per failure, then "N passed, N failed"; exit 1 on any failure.
import { readFileSync } from 'node:fs';
import { defaultVectorsDir, verifyVectorDir } from '../../conformance/directory.js';
import { parseOutputs } from '../../conformance/outputs.js';
import { formatFailure } from '../../conformance/verify.js';
import { EXIT } from '../exit-status.js';
import type { Command } from '../command.js';

export const vectorsVerifyCommand: Command = {
  name: ['vectors', 'verify'],
  summary: 'Check this implementation, or a port\'s outputs, against the published test vectors',
  help: `[dir] [--outputs FILE]
  Runs every vector file (*.json) of dir -- by default the vectors shipped in this package --
  and prints one line per failing test, then "N passed, N failed"; exit status 1 on a failure.
  --outputs FILE  check a port instead: FILE holds one JSON object per line,
                  {"file": "sign_v1.json", "tcId": 3, "output": <hex | number | object>}
                  or {"file": ..., "tcId": ..., "error": "MALFORMED"} (vectors/README.md).
                  Files with no line in FILE are skipped and listed; a file with some lines
                  must have one for every test.`,
  options: { outputs: { type: 'string' } },
  positionals: true,
  async run(values, positionals, io) {
    if (positionals.length > 1) {
      io.err('templock vectors verify: expected at most one directory');
      return EXIT.USAGE;
    }
    const dir = positionals[0] ?? defaultVectorsDir();
    const outputsPath = values.outputs;
    const outputs = typeof outputsPath === 'string' ? parseOutputs(readFileSync(outputsPath, 'utf8')) : undefined;
    const report = verifyVectorDir(dir, outputs);
    for (const f of report.failures) io.out(formatFailure(f));
    for (const f of report.skippedFiles) io.out(`SKIP ${f}: no outputs for this file`);
    io.out(`${report.passed} passed, ${report.failed} failed`);
    return report.failed > 0 || report.passed === 0 ? 1 : 0;
  },
};
