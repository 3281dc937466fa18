// `templock verify --id ID --image FILE`: 1:1 verification (card + face) through AccessControl.
// The face is protected under every salt epoch of the terminal (the one of the resident's record
// is compared) and decided at the terminal threshold, with attempt limits per resident and per
// source and an audit entry; exit status 0 when accepted, 1 otherwise. No score unless --score
// asks for one, and never of a rejection.
import { isTemplockError, TemplockError } from '../../errors.js';
import type { Command } from '../command.js';
import {
  acceptedScore, accessControl, allEpochSalts, captureFace, COMMON_HELP, COMMON_OPTIONS, emit, FACE_HELP, FACE_OPTIONS, faceRequest,
  lockedOutOutput, scoreOption, sourceOption, terminalRuntime, withSession, DECISION_HELP, DECISION_OPTIONS,
} from './terminal-session.js';

export const verifyCommand: Command = {
  name: ['verify'],
  summary: 'Verify a resident 1:1 from a photo (exit 0 accepted, 1 rejected or locked out)',
  help: `--id ID --image FILE [options]
  Protects the face in FILE like the stored template of ID and decides at the terminal's
  threshold, with attempt limits (README "Attempt limits and audit log"). Prints "accepted" or
  "rejected", or LOCKED_OUT with how long to wait; exit 1 when rejected, locked out, revoked or
  not enrolled. Every decision is written to the audit log (\`templock audit\`).
  --id ID           resident id
${DECISION_HELP}
${FACE_HELP}
${COMMON_HELP}`,
  options: { id: { type: 'string' }, ...DECISION_OPTIONS, ...FACE_OPTIONS, ...COMMON_OPTIONS },
  async run(values, _positionals, io) {
    const { id, image, face } = faceRequest(values);
    const disclosure = scoreOption(values);
    return withSession(values, async (s) => {
      const source = sourceOption(values, s);
      const t0 = performance.now();
      const probe = await captureFace(s, image, allEpochSalts(s.terminal), face, io);
      let accepted: boolean;
      try {
        accepted = accessControl(s).verify(id, probe.templates, { source }).accepted;
      } catch (e) {
        if (isTemplockError(e, 'REVOKED')) throw new TemplockError('REVOKED', `"${id}" is revoked: re-issue it with \`templock reissue\``);
        const out = lockedOutOutput(e, { id, source });
        emit(io, values, out.data, [`${out.line} ("${id}" from ${source})`]);
        return 1;
      }
      const ms = Math.round(performance.now() - t0);
      const runtime = await terminalRuntime();
      if (!accepted) {
        emit(io, values, { id, accepted, source, ms, runtime }, [`rejected "${id}" in ${ms} ms (${runtime})`]);
        return 1;
      }
      const score = await acceptedScore(s, disclosure, probe.templates, id);
      const shown = score === undefined ? '' : ` (score ${score}, threshold ${s.terminal.settings.threshold})`;
      emit(io, values, { id, accepted, source, ...(score === undefined ? {} : { score }), ms, runtime }, [`accepted "${id}"${shown} in ${ms} ms (${runtime})`]);
      return 0;
    }, io);
  },
};
