// `templock revoke --id ID`: puts a resident on the store's revocation list and deletes its
// sealed templates; verification and re-enrolment are refused until `templock reissue`. With
// --store (a desk) the revocation goes to the central store, and so to every terminal following it.
import type { Command } from '../command.js';
import { openCentralDesk, redactedUrl, STORE_HELP, STORE_OPTIONS, storeUrlOption } from './central-store.js';
import { COMMON_HELP, COMMON_OPTIONS, emit, requireOption, withSession } from './terminal-session.js';

export const revokeCommand: Command = {
  name: ['revoke'],
  summary: 'Revoke a resident\'s template (deleted; verify refused until reissue)',
  help: `--id ID [options]
  Revokes ID: its sealed templates are deleted and ID is refused until it is re-issued from a
  new capture (\`templock reissue\`, which uses a new salt: the old template cannot be linked).
  With --store (a desk), ID is revoked in the central store: every terminal following it
  (\`templock sync\`) refuses ID as soon as it applies the change.
  --id ID           resident id
${STORE_HELP}
${COMMON_HELP}`,
  options: { id: { type: 'string' }, ...STORE_OPTIONS, ...COMMON_OPTIONS },
  async run(values, _positionals, io) {
    const id = requireOption(values, 'id');
    const url = storeUrlOption(values);
    return withSession(values, async (s) => {
      if (url === undefined) {
        const deleted = s.store.revokeSubject(id);
        emit(io, values, { revoked: id, deleted }, [`revoked "${id}" (${deleted} template(s) deleted)`]);
        return 0;
      }
      const desk = await openCentralDesk(url, s.terminal.ring, s.terminal.settings.tenant);
      try {
        const deleted = await desk.revokeSubject(id);
        emit(io, values, { revoked: id, deleted, store: redactedUrl(url) }, [`revoked "${id}" in ${redactedUrl(url)} (${deleted} template(s) deleted)`]);
        return 0;
      } finally {
        await desk.close();
      }
    });
  },
};
