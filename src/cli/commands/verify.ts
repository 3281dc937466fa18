// `templock verify --id ID --image FILE`: 1:1 verification (card + face). The face is protected
// under the salt of the resident's stored template and compared at the terminal threshold;
// exit status 0 when accepted, 1 when rejected. The score of a rejection is not shown.
import type { Command } from '../command.js';
import { captureFace, COMMON_HELP, COMMON_OPTIONS, emit, FACE_HELP, FACE_OPTIONS, faceRequest, enrolledTemplate, terminalRuntime, verifyTemplate, withSession } from './terminal-session.js';

export const verifyCommand: Command = {
  name: ['verify'],
  summary: 'Verify a resident 1:1 from a photo (exit 0 accepted, 1 rejected)',
  help: `--id ID --image FILE [options]
  Protects the face in FILE like the stored template of ID and compares the two at the
  terminal's threshold. Prints "accepted" with the score, or "rejected" (no score); exit 1 when
  rejected, revoked or not enrolled.
  --id ID           resident id
${FACE_HELP}
${COMMON_HELP}`,
  options: { id: { type: 'string' }, ...FACE_OPTIONS, ...COMMON_OPTIONS },
  async run(values, _positionals, io) {
    const { id, image, face } = faceRequest(values);
    return withSession(values, async (s) => {
      const enrolled = enrolledTemplate(s, id);
      const t0 = performance.now();
      const probe = await captureFace(s, image, [enrolled.salt], face);
      const { match, score } = await verifyTemplate(s, probe.template, enrolled);
      const ms = Math.round(performance.now() - t0);
      const runtime = await terminalRuntime();
      if (match) emit(io, values, { id, match, score, ms, runtime }, [`accepted "${id}" (score ${score.toFixed(3)}, threshold ${s.terminal.settings.threshold}) in ${ms} ms (${runtime})`]);
      else emit(io, values, { id, match, ms, runtime }, [`rejected "${id}" in ${ms} ms (${runtime})`]);
      return match ? 0 : 1;
    });
  },
};
