// One terminal process of the fleet measurement (bench/fleet.ts), forked with an IPC channel: a
// local SQLite replica following the central store's feed (openReplica), deciding through
// AccessControl over its galleries. Messages from the parent:
//   { type: 'follow', read, wake?, tenant, pollMs }  open the replica and follow the feed read from
//                                                   `read` (woken through `wake`, default `read`)
//   { type: 'watch', id, probe }                     say whether `probe` (hex template) is accepted as
//                                                   `id` now, then report when it is refused
//   { type: 'pause' } / { type: 'resume', target }   stop following; follow again and report when
//                                                   the replica reaches `target`
//   { type: 'quit' }
// Replies: ready, watching, refused, paused, caught-up, error; times are wall-clock milliseconds
// with sub-millisecond precision (performance.timeOrigin + performance.now()), comparable
// across the processes of one machine.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { hexToBytes } from '@noble/hashes/utils.js';
import { decodeTemplate, type ProtectedTemplate } from '../src/index.js';
import { AccessControl, importKeyring, localKeyWrapper, type ChangeFeed } from '../src/storage/index.js';
import { openPostgresStore } from '../src/storage/postgres/index.js';
import { openReplica, openSqliteStore, type TerminalReplica } from '../src/storage/sqlite/index.js';

type Message =
  | { type: 'follow'; read: string; wake?: string; tenant: string; pollMs: number }
  | { type: 'watch'; id: string; probe: string }
  | { type: 'pause' }
  | { type: 'resume'; target: number }
  | { type: 'quit' };

const [dir, index] = [process.argv[2]!, process.argv[3]!];
const now = () => performance.timeOrigin + performance.now();
const send = (m: Record<string, unknown>) => process.send!(m);
const ring = await importKeyring(readFileSync(process.env.FLEET_KEYRING!), { wrapper: localKeyWrapper(hexToBytes(process.env.FLEET_KEK!)) });

let replica: TerminalReplica | undefined;
let access: AccessControl | undefined;
let watched: { id: string; probe: ProtectedTemplate } | undefined;
let target: number | undefined;
const closers: Array<() => Promise<void>> = [];

/** True when the terminal accepts `probe` as `id`. */
function accepts(id: string, probe: ProtectedTemplate): boolean {
  const galleries = replica!.galleries();
  if (galleries.length === 0) return false;
  return access!.identify(galleries.map(() => probe), { source: `gate-${index}`, gallery: galleries }).subjectId === id;
}

async function feedOf(url: string): Promise<ChangeFeed> {
  const central = await openPostgresStore(url, { keyring: ring, connections: 2 });
  closers.push(() => central.close());
  return central.feed();
}

process.on('message', (raw) => void (async () => {
  const m = raw as Message;
  try {
    if (m.type === 'follow') {
      const read = await feedOf(m.read);
      const wake = m.wake === undefined ? read : await feedOf(m.wake);
      const feed: ChangeFeed = { changesSince: (s, o) => read.changesSince(s, o), latestSeq: () => read.latestSeq(), subscribe: (w) => wake.subscribe(w) };
      const store = openSqliteStore(join(dir, `terminal-${index}-${Date.now()}.db`), { keyring: ring, tenant: m.tenant, durability: 'normal' });
      // Every decision of the measurement is a stranger's or a resident's own: no attempt limit gets in the way.
      access = new AccessControl({ store, threshold: 0.9, sourcePolicy: { maxFailures: 1000, windowMs: 1000, backoffBaseMs: 1000, backoffMaxMs: 1000 } });
      replica = await openReplica({
        feed, store, pollIntervalMs: m.pollMs, staleAfterMs: 60_000,
        onEvent: (e) => {
          if (e.type !== 'applied') return;
          if (watched && !accepts(watched.id, watched.probe)) {
            send({ type: 'refused', id: watched.id, at: now() });
            watched = undefined;
          }
          if (target !== undefined && e.seq >= target) {
            send({ type: 'caught-up', seq: e.seq, at: now() });
            target = undefined;
          }
        },
      });
      closers.push(async () => { await replica!.stop(); replica!.close(); store.close(); });
      await replica.syncOnce();
      replica.start();
      send({ type: 'ready', seq: replica.seq });
    } else if (m.type === 'watch') {
      const probe = decodeTemplate(hexToBytes(m.probe));
      const accepted = accepts(m.id, probe);
      watched = accepted ? { id: m.id, probe } : undefined;
      send({ type: 'watching', id: m.id, accepted, seq: replica!.seq });
    } else if (m.type === 'pause') {
      await replica!.stop();
      send({ type: 'paused', seq: replica!.seq });
    } else if (m.type === 'resume') {
      target = m.target;
      replica!.start();
    } else if (m.type === 'quit') {
      for (const c of closers.reverse()) await c();
      process.exit(0);
    }
  } catch (e) {
    send({ type: 'error', message: e instanceof Error ? `${e.name}: ${e.message}` : String(e) });
  }
})());
send({ type: 'started' });
