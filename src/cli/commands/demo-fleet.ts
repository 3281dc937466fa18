// The fleet part of `templock demo --fleet`: a throw-away local PostgreSQL server as the central
// store, the demo's residents enrolled there by a desk, three terminals each following it with a
// local SQLite replica, every terminal accepting a resident, then the resident revoked at the desk
// and the time until each terminal refuses it.
import { join } from 'node:path';
import { isTemplockError, TemplockError } from '../../errors.js';
import type { ProtectedTemplate } from '../../template.js';
import { AccessControl } from '../../storage/access-control.js';
import type { Keyring } from '../../storage/keyring.js';
import { postgresSkipReason, startCluster } from '../local-postgres.js';

const TERMINALS = 3;
const TENANT = 'demo_residence';
const REFUSAL_TIMEOUT_MS = 5000;

/** What the fleet part measured. */
export interface _FleetFigures {
  readonly terminals: number;
  readonly enrolled: number;
  readonly acceptedBefore: number;
  readonly refusedAfter: number;
  readonly revoked: string;
  /** Milliseconds from the revocation's commit at the desk to each terminal's refusal. */
  readonly refusalMs: readonly number[];
}

/**
 * Runs the fleet scenario in `folder` with the demo's keyring, enrolled templates and probes.
 * @throws TemplockError BACKEND_UNAVAILABLE when no PostgreSQL server can be started here.
 */
export async function _fleetScenario(folder: string, keyring: Keyring, enrolled: ReadonlyMap<string, ProtectedTemplate>, probes: ReadonlyMap<string, ProtectedTemplate>, threshold: number): Promise<_FleetFigures> {
  const skip = postgresSkipReason();
  if (skip) throw new TemplockError('BACKEND_UNAVAILABLE', `demo --fleet: ${skip}`);
  const { createTenant, migratePostgres, openPostgresStore } = await import('../../storage/postgres/index.js');
  const { openReplica, openSqliteStore } = await import('../../storage/sqlite/index.js');
  const server = startCluster();
  const closers: Array<() => Promise<void> | void> = [];
  try {
    await migratePostgres(server.url);
    const url = server.urlFor(TENANT, await createTenant(server.url, TENANT));
    const desk = await openPostgresStore(url, { keyring });
    closers.push(() => desk.close());
    await desk.putMany([...enrolled].map(([subjectId, template]) => ({ subjectId, template })));
    const gates = [];
    for (let i = 0; i < TERMINALS; i++) {
      const store = openSqliteStore(join(folder, `gate-${i + 1}.db`), { keyring, tenant: TENANT, durability: 'normal' });
      const central = await openPostgresStore(url, { keyring, connections: 1 });
      const replica = await openReplica({ feed: central.feed(), store, pollIntervalMs: 1000 });
      closers.push(async () => { await replica.stop(); replica.close(); store.close(); await central.close(); });
      await replica.syncOnce();
      replica.start();
      gates.push(new AccessControl({ store, threshold }));
    }
    const [revoked, probe] = [...probes][0]!;
    const accepts = (gate: AccessControl) => {
      try { return gate.verify(revoked, probe, { source: 'demo' }).accepted; } catch (e) { if (isTemplockError(e)) return false; throw e; }
    };
    const acceptedBefore = gates.filter(accepts).length;
    await desk.revokeSubject(revoked);
    const committed = performance.now();
    const refusalMs = await Promise.all(gates.map(async (gate) => {
      while (accepts(gate) && performance.now() - committed < REFUSAL_TIMEOUT_MS) await new Promise((r) => setTimeout(r, 1));
      return Math.round((performance.now() - committed) * 10) / 10;
    }));
    const refusedAfter = gates.filter((g) => !accepts(g)).length;
    return { terminals: TERMINALS, enrolled: enrolled.size, acceptedBefore, refusedAfter, revoked, refusalMs };
  } finally {
    for (const close of closers.reverse()) await close();
    server.stop();
  }
}
