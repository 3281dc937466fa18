// `templock identify --image FILE`: 1:N identification (face only) through AccessControl: one
// gallery per salt epoch loaded from the store, the best candidate at or above the threshold
// confirmed against its stored record, attempt limits per source (and the identified resident)
// and an audit entry; exit status 1 when nobody matches or the source is locked out. No score
// unless --score asks for one, and only of the accepted resident.
import { aInt } from '../../validate.js';
import type { Command } from '../command.js';
import {
  acceptedScore, accessControl, captureFace, COMMON_HELP, COMMON_OPTIONS, DECISION_HELP, DECISION_OPTIONS, emit, epochGalleries, epochSalt,
  FACE_HELP, FACE_OPTIONS, faceChoice, imageOption, lockedOutOutput, scoreOption, sourceOption, terminalRuntime, withSession,
} from './terminal-session.js';

export const identifyCommand: Command = {
  name: ['identify'],
  summary: 'Identify a face 1:N among the enrolled residents (exit 1 when nobody matches)',
  help: `--image FILE [--k 1] [options]
  Finds the resident whose protected template matches the face at the terminal threshold, with
  attempt limits per source; prints "accepted" with the resident and its rank, "no match", or
  LOCKED_OUT. Every decision is written to the audit log (\`templock audit\`).
  --k N             candidates per salt epoch confirmed against the store, 1..1000 (default 1)
${DECISION_HELP}
${FACE_HELP}
${COMMON_HELP}`,
  options: { k: { type: 'string' }, ...DECISION_OPTIONS, ...FACE_OPTIONS, ...COMMON_OPTIONS },
  async run(values, _positionals, io) {
    const image = imageOption(values);
    const k = aInt('k', Number(values.k ?? 1), 1, 1000);
    const face = faceChoice(values);
    const disclosure = scoreOption(values);
    return withSession(values, async (s) => {
      const source = sourceOption(values, s);
      const t0 = performance.now();
      const loaded = await epochGalleries(s);
      try {
        const probe = await captureFace(s, image, loaded.epochs.map((e) => epochSalt(s.terminal, e)), face, io);
        let decision;
        try {
          decision = accessControl(s).identify(probe.templates, { source, gallery: loaded.galleries, k });
        } catch (e) {
          const out = lockedOutOutput(e, { source });
          emit(io, values, out.data, [`${out.line} (from ${source})`]);
          return 1;
        }
        const ms = Math.round(performance.now() - t0);
        const runtime = await terminalRuntime();
        const { searched } = loaded;
        if (!decision.accepted) {
          emit(io, values, { accepted: false, source, searched, ms, runtime }, [`no match among ${searched} residents (${ms} ms, ${runtime})`]);
          return 1;
        }
        const { subjectId: id, rank } = decision;
        const score = await acceptedScore(s, disclosure, probe.templates, id!);
        const shown = score === undefined ? '' : `, score ${score}`;
        emit(io, values, { accepted: true, id, rank, source, ...(score === undefined ? {} : { score }), searched, ms, runtime },
          [`accepted "${id}" (rank ${rank}${shown}) among ${searched} residents (${ms} ms, ${runtime})`]);
        return 0;
      } finally {
        loaded.close();
      }
    }, io);
  },
};
