// `templock identify --image FILE [--k 5]`: 1:N identification (face only) against every
// enrolled resident, one gallery per salt epoch; candidates at or above the threshold, best
// first; exit status 1 when nobody matches.
import { aInt } from '../../validate.js';
import type { Command } from '../command.js';
import { COMMON_HELP, COMMON_OPTIONS, emit, FACE_HELP, FACE_OPTIONS, faceChoice, identifyFace, requireOption, terminalRuntime, withSession } from './terminal-session.js';

export const identifyCommand: Command = {
  name: ['identify'],
  summary: 'Identify a face 1:N among the enrolled residents (exit 1 when nobody matches)',
  help: `--image FILE [--k 5] [options]
  Lists up to k residents whose protected templates match the face at the terminal threshold,
  best first; exit 1 when none does.
  --k N             most candidates, 1..1000 (default 5)
${FACE_HELP}
${COMMON_HELP}`,
  options: { k: { type: 'string' }, ...FACE_OPTIONS, ...COMMON_OPTIONS },
  async run(values, _positionals, io) {
    const image = requireOption(values, 'image');
    const k = aInt('k', Number(values.k ?? 5), 1, 1000);
    const face = faceChoice(values);
    return withSession(values, async (s) => {
      const t0 = performance.now();
      const { candidates, searched } = await identifyFace(s, image, k, face);
      const ms = Math.round(performance.now() - t0);
      const runtime = await terminalRuntime();
      const lines = candidates.length === 0
        ? [`no match among ${searched} residents (${ms} ms, ${runtime})`]
        : [`${candidates.length} match(es) among ${searched} residents (${ms} ms, ${runtime}):`, ...candidates.map((c, i) => `  ${i + 1}. ${c.id}  score ${c.score.toFixed(3)}`)];
      emit(io, values, { candidates, searched, ms, runtime }, lines);
      return candidates.length > 0 ? 0 : 1;
    });
  },
};
