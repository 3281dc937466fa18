// `templock reissue --id ID --image FILE`: a new template for a resident from a new capture,
// under a new salt epoch (so it cannot be linked to the old one), lifting any revocation of ID.
import type { Command } from '../command.js';
import { captureFace, COMMON_HELP, COMMON_OPTIONS, emit, FACE_HELP, FACE_OPTIONS, faceRequest, reissueSubject, withSession } from './terminal-session.js';

export const reissueCommand: Command = {
  name: ['reissue'],
  summary: 'Re-issue a resident\'s template from a new photo under a new salt epoch',
  help: `--id ID --image FILE [options]
  Starts a new salt epoch (new enrolments use it too), protects the face in FILE under it and
  stores it as the template of ID, replacing any earlier one and lifting a revocation of ID.
  The new template cannot be linked to the old one; other residents keep theirs.
  --id ID           resident id
${FACE_HELP}
${COMMON_HELP}`,
  options: { id: { type: 'string' }, ...FACE_OPTIONS, ...COMMON_OPTIONS },
  async run(values, _positionals, io) {
    const { id, image, face } = faceRequest(values);
    return withSession(values, async (s) => {
      const t0 = performance.now();
      const { epoch } = await reissueSubject(s, id, async (salt) => (await captureFace(s, image, [salt], face, io)).template);
      const ms = Math.round(performance.now() - t0);
      emit(io, values, { reissued: id, epoch, ms }, [`re-issued "${id}" under new salt epoch ${epoch} in ${ms} ms`]);
      return 0;
    }, io);
  },
};
