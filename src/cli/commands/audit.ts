// `templock audit`: prints the audit log of the terminal's store (one line per verify/identify
// decision: time, action, resident, source, outcome; never a score), oldest first, or as JSON.
import { aInt } from '../../validate.js';
import type { Command } from '../command.js';
import { accessControl, COMMON_HELP, COMMON_OPTIONS, emit, withSession } from './terminal-session.js';

/** --since as milliseconds since the Unix epoch: an ISO 8601 time or a number of milliseconds. */
function sinceOption(value: unknown): number {
  if (value === undefined) return 0;
  const ms = typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : Date.parse(String(value));
  if (!Number.isSafeInteger(ms) || ms < 0) throw new RangeError('--since expected an ISO 8601 time or milliseconds since 1970');
  return ms;
}

export const auditCommand: Command = {
  name: ['audit'],
  summary: 'Print the audit log of verify / identify decisions',
  help: `[--since TIME] [--limit N] [options]
  Prints the newest N decisions at or after TIME, oldest first: time, action, resident (or -),
  source and outcome (accepted, rejected, locked_out, revoked, not_found). No score is logged.
  The store keeps the newest 100,000 entries.
  --since TIME      ISO 8601 time (2026-12-04T08:00:00Z) or milliseconds since 1970 (default: all)
  --limit N         most entries, 1..100000 (default 1000)
${COMMON_HELP}`,
  options: { since: { type: 'string' }, limit: { type: 'string' }, ...COMMON_OPTIONS },
  async run(values, _positionals, io) {
    const since = sinceOption(values.since);
    const limit = aInt('limit', Number(values.limit ?? 1000), 1, 100_000);
    return withSession(values, async (s) => {
      const entries = accessControl(s).audit({ since, limit });
      const lines = entries.length === 0 ? ['no decision logged'] : entries.map((e) =>
        [new Date(e.at).toISOString(), e.action.padEnd(8), (e.subjectId ?? '-').padEnd(16), e.source.padEnd(16), e.outcome].join('  '));
      emit(io, values, { entries }, lines);
      return 0;
    });
  },
};
