// `templock enroll --id ID --image FILE`: detects the face, protects it under the terminal's key
// and current salt epoch, and stores the sealed template; the raw embedding never leaves memory.
import { TemplockError } from '../../errors.js';
import type { Command } from '../command.js';
import { captureFace, COMMON_HELP, COMMON_OPTIONS, emit, FACE_HELP, FACE_OPTIONS, faceRequest, epochSalt, terminalRuntime, withSession } from './terminal-session.js';

export const enrollCommand: Command = {
  name: ['enroll'],
  summary: 'Enrol a resident from a photo (protected template, sealed in the store)',
  help: `--id ID --image FILE [options]
  Detects the face in FILE, protects it (the raw embedding is zero-filled) and stores the
  protected template, sealed, under ID. An ID that is enrolled already is refused (use reissue).
  --id ID           resident id (1..255 bytes of UTF-8)
${FACE_HELP}
${COMMON_HELP}`,
  options: { id: { type: 'string' }, ...FACE_OPTIONS, ...COMMON_OPTIONS },
  async run(values, _positionals, io) {
    const { id, image, face } = faceRequest(values);
    return withSession(values, async (s) => {
      if (s.store.list().some((r) => r.subjectId === id)) throw new TemplockError('DUPLICATE_ID', `"${id}" is enrolled already: use \`templock reissue\` to replace the template`);
      const epoch = s.terminal.settings.epochs.length - 1;
      const t0 = performance.now();
      const captured = await captureFace(s, image, [epochSalt(s.terminal)], face, io);
      s.store.put(id, captured.template);
      const ms = Math.round(performance.now() - t0);
      const runtime = await terminalRuntime();
      emit(io, values, { enrolled: id, epoch, db: s.db, ms, runtime }, [`enrolled "${id}" (salt epoch ${epoch}) into ${s.db} in ${ms} ms (${runtime})`]);
      return 0;
    }, io);
  },
};
