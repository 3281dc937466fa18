// `templock unlock --id ID | --source NAME`: an operator clears the failed attempts, back-off and
// lock-out of a resident or of a source (terminal, camera).
import type { Command } from '../command.js';
import { accessControl, COMMON_HELP, COMMON_OPTIONS, emit, withSession } from './terminal-session.js';

export const unlockCommand: Command = {
  name: ['unlock'],
  summary: 'Clear the lock-out of a resident or a source after too many failed attempts',
  help: `--id ID | --source NAME [options]
  Clears the failure count, back-off and lock-out of resident ID or of source NAME.
  --id ID           resident id
  --source NAME     source (terminal or camera) name
${COMMON_HELP}`,
  options: { id: { type: 'string' }, source: { type: 'string' }, ...COMMON_OPTIONS },
  async run(values, _positionals, io) {
    const { id, source } = values;
    if ((typeof id === 'string') === (typeof source === 'string')) throw new RangeError('unlock expects exactly one of --id, --source');
    return withSession(values, async (s) => {
      const target = typeof id === 'string' ? { subjectId: id } : { source: source as string };
      const cleared = accessControl(s).unlock(target);
      const name = typeof id === 'string' ? `resident "${id}"` : `source "${String(source)}"`;
      emit(io, values, { ...target, cleared }, [cleared ? `cleared the failed attempts of ${name}` : `${name} had no failed attempts`]);
      return 0;
    });
  },
};
