// `npm run bench:fleet`: a desk, a real PostgreSQL server and N terminal processes on this
// machine (README "Central store and fleet"). Measures enrolments per second at the desk (one
// put per resident, and batches), the time from the revocation call at the desk to the LAST
// terminal refusing the resident through AccessControl (median and worst over repeated
// revocations), the catch-up time after a 10,000-change outage (every terminal stopped while the
// desk writes, then all resumed at once), and the revocation latency with the terminals reading
// the feed from a streaming hot standby (pg_basebackup -R) of the primary, woken by the primary.
// Usage: npm run bench:fleet -- [--terminals 8] [--residents 2000] [--revocations 20]
//        [--outage 10000] [--poll-ms 1000] [--json FILE]
import { fork, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { bytesToHex } from '@noble/hashes/utils.js';
import { encodeTemplate, protect, type ProtectedTemplate, type TransformParams } from '../src/index.js';
import { exportKeyring, Keyring, localKeyWrapper } from '../src/storage/index.js';
import { createTenant, migratePostgres, openPostgresStore } from '../src/storage/postgres/index.js';
import { postgresSkipReason, startCluster, startStandby, type Cluster } from '../src/cli/local-postgres.js';
import { randomBytes } from './harness/data.js';
import { BENCH_KEY, embeddings } from './harness/inputs.js';

const { values } = parseArgs({
  options: {
    terminals: { type: 'string', default: '8' }, residents: { type: 'string', default: '2000' }, revocations: { type: 'string', default: '20' },
    outage: { type: 'string', default: '10000' }, 'poll-ms': { type: 'string', default: '1000' }, json: { type: 'string' },
  },
});
const N = Number(values.terminals), RESIDENTS = Number(values.residents), REVOCATIONS = Number(values.revocations);
const OUTAGE = Number(values.outage), POLL_MS = Number(values['poll-ms']);
for (const [name, v, min] of [['terminals', N, 1], ['residents', RESIDENTS, REVOCATIONS * 2 + 10], ['revocations', REVOCATIONS, 1], ['outage', OUTAGE, 1], ['poll-ms', POLL_MS, 10]] as const)
  if (!Number.isSafeInteger(v) || v < min) throw new RangeError(`--${name} expected an integer >= ${min}, got ${v}`);

const TENANT = 'fleet_bench';
const PARAMS: TransformParams = { scheme: 'sign', dim: 128, bits: 512 };
const SINGLE_PUTS = 500;
const CHILD = fileURLToPath(new URL('./fleet-terminal.ts', import.meta.url));
const now = () => performance.timeOrigin + performance.now();
const dir = mkdtempSync(join(tmpdir(), 'templock-fleet-'));
const log = (line: string) => process.stderr.write(`${line}\n`);

function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
}
const summary = (xs: readonly number[]) => ({ medianMs: +median(xs).toFixed(1), worstMs: +Math.max(...xs).toFixed(1), bestMs: +Math.min(...xs).toFixed(1), n: xs.length });

/** A terminal process and its replies, awaited by type. */
class Terminal {
  readonly proc: ChildProcess;
  readonly #waiting = new Map<string, Array<(m: Record<string, unknown>) => void>>();
  readonly #inbox: Array<Record<string, unknown>> = [];

  constructor(readonly index: number, env: Record<string, string>) {
    this.proc = fork(CHILD, [dir, String(index)], { execArgv: ['--import', import.meta.resolve('tsx')], env: { ...process.env, ...env }, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    this.proc.on('message', (raw) => {
      const m = raw as Record<string, unknown>;
      if (m.type === 'error') throw new Error(`terminal ${index}: ${String(m.message)}`);
      const waiters = this.#waiting.get(m.type as string);
      if (waiters?.length) waiters.shift()!(m);
      else this.#inbox.push(m);
    });
  }

  next(type: string): Promise<Record<string, unknown>> {
    const i = this.#inbox.findIndex((m) => m.type === type);
    if (i >= 0) return Promise.resolve(this.#inbox.splice(i, 1)[0]!);
    return new Promise((resolve) => {
      const list = this.#waiting.get(type) ?? [];
      list.push(resolve);
      this.#waiting.set(type, list);
    });
  }

  send(m: Record<string, unknown>): void {
    this.proc.send(m);
  }
}

const all = <T>(ts: readonly Terminal[], f: (t: Terminal) => Promise<T>) => Promise.all(ts.map(f));

/** Revokes residents one by one; for each, the time from the commit at the desk to each terminal's refusal. */
async function revocationRounds(label: string, terminals: readonly Terminal[], desk: Awaited<ReturnType<typeof openPostgresStore>>, residents: readonly ProtectedTemplate[], ids: readonly number[]) {
  const last: number[] = [];
  const each: number[] = [];
  for (const i of ids) {
    const id = `resident-${i}`;
    const probe = bytesToHex(encodeTemplate(residents[i]!));
    const watching = await all(terminals, (t) => (t.send({ type: 'watch', id, probe }), t.next('watching')));
    if (!watching.every((w) => w.accepted)) throw new Error(`${label}: ${id} is not accepted by every terminal before its revocation`);
    const refused = all(terminals, (t) => t.next('refused'));
    const t0 = now();
    await desk.revokeSubject(id);
    const committed = now();
    const times = (await refused).map((r) => (r.at as number) - t0);
    last.push(Math.max(...times));
    each.push(...times);
    log(`${label}: ${id} revoked (commit ${(committed - t0).toFixed(1)} ms), last terminal refused after ${Math.max(...times).toFixed(1)} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
  return { lastTerminal: summary(last), everyTerminal: summary(each) };
}

const skip = postgresSkipReason();
if (skip) {
  log(`fleet: skipped, ${skip}`);
  process.exit(0);
}
const cluster = startCluster();
let standby: Cluster | undefined;
const terminals: Terminal[] = [];
try {
  const ring = Keyring.generate();
  const kek = randomBytes(32, 9);
  const ringPath = join(dir, 'ring.bin');
  writeFileSync(ringPath, await exportKeyring(ring, { wrapper: localKeyWrapper(kek) }));
  await migratePostgres(cluster.url);
  const password = await createTenant(cluster.url, TENANT);
  const desk = await openPostgresStore(cluster.urlFor(TENANT, password), { keyring: ring });
  const salt = randomBytes(16, 7);
  const population = embeddings(RESIDENTS + OUTAGE, PARAMS.dim, 11).rows.map((e) => protect(e, PARAMS, BENCH_KEY, salt));
  const residents = population.slice(0, RESIDENTS);

  // Enrolments at the desk: one put (one transaction) per resident, then batches.
  const singles = Math.min(SINGLE_PUTS, Math.floor(RESIDENTS / 2));
  let t0 = now();
  for (let i = 0; i < singles; i++) await desk.put(`resident-${i}`, residents[i]!);
  const singlePerSecond = singles / ((now() - t0) / 1000);
  t0 = now();
  for (let i = singles; i < RESIDENTS; i += 500) await desk.putMany(residents.slice(i, i + 500).map((template, j) => ({ subjectId: `resident-${i + j}`, template })));
  const batchPerSecond = (RESIDENTS - singles) / ((now() - t0) / 1000);
  log(`desk: ${singlePerSecond.toFixed(0)} enrolments/s one by one, ${batchPerSecond.toFixed(0)}/s in batches of 500`);

  // N terminals, each with its own replica, following the primary.
  const env = { FLEET_KEYRING: ringPath, FLEET_KEK: bytesToHex(kek) };
  for (let i = 0; i < N; i++) terminals.push(new Terminal(i, env));
  await all(terminals, (t) => t.next('started'));
  t0 = now();
  await all(terminals, (t) => (t.send({ type: 'follow', read: cluster.urlFor(TENANT, password), tenant: TENANT, pollMs: POLL_MS }), t.next('ready')));
  const initialSyncMs = now() - t0;
  log(`${N} terminals caught up with ${RESIDENTS} enrolments in ${initialSyncMs.toFixed(0)} ms`);

  const primary = await revocationRounds('primary', terminals, desk, residents, Array.from({ length: REVOCATIONS }, (_, r) => r * 3));

  // Outage: every terminal stops following while the desk commits OUTAGE changes.
  await all(terminals, (t) => (t.send({ type: 'pause' }), t.next('paused')));
  for (let i = 0; i < OUTAGE; i += 500) await desk.putMany(population.slice(RESIDENTS + i, RESIDENTS + Math.min(i + 500, OUTAGE)).map((template, j) => ({ subjectId: `late-${i + j}`, template })));
  const target = await desk.feed().latestSeq();
  const resumedAt = now();
  const caughtUp = all(terminals, (t) => t.next('caught-up'));
  for (const t of terminals) t.send({ type: 'resume', target });
  const catchUp = summary((await caughtUp).map((m) => (m.at as number) - resumedAt));
  log(`catch-up after ${OUTAGE} changes: median ${catchUp.medianMs} ms, worst ${catchUp.worstMs} ms`);

  // Hot standby: terminals read the feed from a streaming replica, woken by the primary.
  standby = startStandby(cluster);
  await all(terminals, (t) => (t.send({ type: 'quit' }), new Promise((r) => t.proc.once('exit', r))));
  terminals.length = 0;
  for (let i = 0; i < N; i++) terminals.push(new Terminal(i, env));
  await all(terminals, (t) => t.next('started'));
  await all(terminals, (t) => (t.send({ type: 'follow', read: standby!.urlFor(TENANT, password), wake: cluster.urlFor(TENANT, password), tenant: TENANT, pollMs: POLL_MS }), t.next('ready')));
  const throughStandby = await revocationRounds('standby', terminals, desk, residents, Array.from({ length: REVOCATIONS }, (_, r) => r * 3 + 1));

  const report = {
    machine: { cpus: cpus().length, model: cpus()[0]?.model, node: process.version, note: 'one shared machine: the server, the desk and every terminal share its cores with other work' },
    terminals: N, residents: RESIDENTS, pollMs: POLL_MS,
    desk: { enrolmentsPerSecondOneByOne: Math.round(singlePerSecond), enrolmentsPerSecondBatch500: Math.round(batchPerSecond) },
    initialSyncMs: Math.round(initialSyncMs),
    revocationToLastTerminal: primary.lastTerminal, revocationToEachTerminal: primary.everyTerminal,
    catchUpAfterOutage: { changes: OUTAGE, ...catchUp },
    revocationThroughStandby: throughStandby.lastTerminal,
  };
  console.log(JSON.stringify(report, null, 2));
  if (values.json) writeFileSync(values.json, JSON.stringify(report, null, 2) + '\n');
  await desk.close();
} finally {
  for (const t of terminals) t.proc.kill('SIGKILL');
  standby?.stop();
  cluster.stop();
  rmSync(dir, { recursive: true, force: true });
}
