// `templock revoke --id ID`: puts a resident on the store's revocation list and deletes its
// sealed templates; verification and re-enrolment are refused until `templock reissue`.
import type { Command } from '../command.js';
import { COMMON_HELP, COMMON_OPTIONS, emit, requireOption, withSession } from './terminal-session.js';

export const revokeCommand: Command = {
  name: ['revoke'],
  summary: 'Revoke a resident\'s template (deleted; verify refused until reissue)',
  help: `--id ID [options]
  Revokes ID: its sealed templates are deleted and ID is refused until it is re-issued from a
  new capture (\`templock reissue\`, which uses a new salt: the old template cannot be linked).
  --id ID           resident id
${COMMON_HELP}`,
  options: { id: { type: 'string' }, ...COMMON_OPTIONS },
  async run(values, _positionals, io) {
    const id = requireOption(values, 'id');
    return withSession(values, async (s) => {
      const deleted = s.store.revokeSubject(id);
      emit(io, values, { revoked: id, deleted }, [`revoked "${id}" (${deleted} template(s) deleted)`]);
      return 0;
    });
  },
};
