// `templock keys rotate`: a new primary storage key; every record is re-wrapped to it (no new
// capture: the protected templates do not change) and the old key is disabled.
import type { Command } from '../command.js';
import { rewrapAndRetire, rewrapLines } from './keys-rotation.js';
import { COMMON_HELP, COMMON_OPTIONS, emit, withSession } from './terminal-session.js';

export const keysRotateCommand: Command = {
  name: ['keys', 'rotate'],
  summary: 'Rotate the storage key and re-wrap every record (no new capture)',
  help: `[options]
  Adds a new primary storage key, re-seals every record under it, then disables the old key.
  Templates and salts stay the same: residents need not be captured again.
${COMMON_HELP}`,
  options: { ...COMMON_OPTIONS },
  async run(values, _positionals, io) {
    return withSession(values, async (s) => {
      const previous = s.terminal.ring.primaryId;
      s.terminal.ring.rotate();
      const o = await rewrapAndRetire(s, io);
      emit(io, values, { previousKeyId: previous, ...o }, [`rotated storage key ${previous} -> ${o.primaryKeyId}`, ...rewrapLines(o)]);
      return o.failures.length === 0 ? 0 : 1;
    }, io);
  },
};
