// `templock sync --store postgres://…`: a terminal following a central store. The terminal's
// database (--db) becomes its local replica: every change of the central store's feed is applied
// to it in order (openReplica), so `templock verify` and `templock identify` on the same --db
// decide from it, and keep deciding while the server is down. Prints what it applies, failures
// and staleness (one JSON object per line with --json) until SIGINT or SIGTERM, or once with --once.
import { isTemplockError } from '../../errors.js';
import type { ReplicaEvent, TerminalReplica } from '../../storage/sqlite/replica.js';
import { aInt } from '../../validate.js';
import type { Command, Io, OptionValues } from '../command.js';
import { centralStoreUrl, openCentralFeed, redactedUrl, STORE_HELP, STORE_OPTIONS } from './central-store.js';
import { COMMON_HELP, COMMON_OPTIONS, withSession } from './terminal-session.js';

/** Seconds of an option as milliseconds, within [min, max] seconds. */
function secondsOption(values: OptionValues, name: string, fallback: number, min: number, max: number): number {
  const v = values[name];
  if (v === undefined) return fallback * 1000;
  const s = Number(v);
  if (typeof v !== 'string' || !Number.isFinite(s) || s < min || s > max) throw new RangeError(`--${name} expected seconds in [${min}, ${max}], got ${String(v)}`);
  return Math.round(s * 1000);
}

/** The text line of an event. */
function eventLine(e: ReplicaEvent): string {
  switch (e.type) {
    case 'applied': {
      const failed = e.failures.length > 0 ? `, ${e.failures.length} record(s) refused (${[...new Set(e.failures.map((f) => f.code))].join(', ')})` : '';
      return `applied up to seq ${e.seq}: ${e.changes} change(s), ${e.added.length} resident(s) added or replaced, ${e.removed.length} removed${failed}`;
    }
    case 'error': return `cannot sync: ${e.code}: ${e.message}`;
    case 'stale': return `STALE: no contact with the central store since ${new Date(e.since).toISOString()}; deciding from the replica`;
    case 'fresh': return `in contact again at seq ${e.seq}`;
  }
}

/** Resolves on the first SIGINT or SIGTERM, keeping the process alive until then (also while no connection is open). */
function untilSignal(): Promise<void> {
  return new Promise((resolve) => {
    const keepAlive = setInterval(() => {}, 1 << 30);
    const done = () => {
      clearInterval(keepAlive);
      process.off('SIGINT', done);
      process.off('SIGTERM', done);
      resolve();
    };
    process.once('SIGINT', done);
    process.once('SIGTERM', done);
  });
}

export const syncCommand: Command = {
  name: ['sync'],
  summary: 'Follow a central store: keep this terminal\'s database a replica of it',
  help: `--store postgres://… [--once] [--stale-after 30] [--poll 5] [options]
  Makes the terminal database (--db) a replica of the central store's records of the terminal's
  tenant: applies every change in order, woken by the server and polling as a fallback, and
  resumes where it stopped. verify and identify on the same --db decide from the replica, also
  while the server is down. Runs until SIGINT/SIGTERM; prints what it applies (--json: one
  object per line). The terminal key file must hold the storage key the desk seals with.
${STORE_HELP}
  --once            catch up once and exit (exit 4 when the store cannot be reached)
  --stale-after S   report the terminal stale after S seconds without contact (default 30)
  --poll S          pull every S seconds when no wake-up comes (default 5)
${COMMON_HELP}`,
  options: { ...STORE_OPTIONS, once: { type: 'boolean' }, 'stale-after': { type: 'string' }, poll: { type: 'string' }, ...COMMON_OPTIONS },
  async run(values, _positionals, io) {
    const url = centralStoreUrl(values);
    const staleAfterMs = secondsOption(values, 'stale-after', 30, 0.001, 86_400);
    const pollIntervalMs = secondsOption(values, 'poll', 5, 0.01, 86_400);
    const json = values.json === true;
    const say = (data: Record<string, unknown>, line: string) => io.out(json ? JSON.stringify(data) : line);
    return withSession(values, async (s) => {
      const { openReplica } = await import('../../storage/sqlite/replica.js');
      const tenant = s.terminal.settings.tenant;
      const feed = await openCentralFeed(url, s.terminal.ring, tenant);
      let replica: TerminalReplica | undefined;
      try {
        replica = await openReplica({
          feed: feed.feed, store: s.store, staleAfterMs, pollIntervalMs,
          onEvent: (e) => {
            const { type, ...rest } = e;
            say({ event: type, ...rest }, eventLine(e));
          },
        });
        const { seq, residents } = replica.status();
        say({ event: 'following', store: redactedUrl(url), tenant, seq, residents }, `following ${redactedUrl(url)} (tenant "${tenant}") from seq ${seq}, ${residents} resident(s) in the replica`);
        if (values.once === true) {
          const applied = await replica.syncOnce();
          say({ event: 'synced', seq: replica.seq, applied }, `caught up at seq ${replica.seq} (${applied} change(s) applied)`);
          return 0;
        }
        replica.start();
        await untilSignal();
        await replica.stop();
        say({ event: 'stopped', seq: replica.seq }, `stopped at seq ${replica.seq}`);
        return 0;
      } catch (e) {
        if (isTemplockError(e) && replica) io.err(`stopped at seq ${replica.seq}`);
        throw e;
      } finally {
        replica?.close();
        await feed.close();
      }
    }, io as Io);
  },
};
