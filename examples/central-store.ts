// README "Central store and fleet": the operator's PostgreSQL set up once (schema, a tenant), the
// desk enrolling and revoking, and a terminal whose local SQLite replica follows the change feed
// until it refuses the revoked resident. A throw-away server (Debian's postgresql) stands in for
// the operator's: in a deployment, ownerUrl and tenantUrl are the operator's connection strings.
// Run: npm run build && node --import tsx examples/central-store.ts
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defaultParams, generateKey, generateSalt, protect } from 'templock';
import { AccessControl, Keyring } from 'templock/storage';
import { postgresSkipReason, startCluster, type Cluster } from '../src/cli/local-postgres.js';
import { face, expect } from './_inputs.js';

const folder = mkdtempSync(join(tmpdir(), 'templock-example-'));
const { enrolEmbedding: embedding, probeEmbedding } = face(128);
const params = defaultParams('sign', 128), appKey = generateKey();
const ring = Keyring.generate();
const skip = postgresSkipReason();
if (skip) {
  console.log(`central store: skipped, ${skip}`);
  process.exit(0);
}
const server: Cluster = startCluster();
const ownerUrl = server.url;
const tenantUrl = (password: string) => server.urlFor('acme_residence', password);

import { createTenant, migratePostgres, openPostgresStore } from 'templock/storage/postgres';
import { openReplica, openSqliteStore } from 'templock/storage/sqlite';

// Once, as the database owner: the schema, and one login role per tenant.
await migratePostgres(ownerUrl);
const password = await createTenant(ownerUrl, 'acme_residence');

// The desk: seals with the storage keyring before anything reaches the server.
const desk = await openPostgresStore(tenantUrl(password), { keyring: ring });
await desk.put('resident-42', protect(embedding, params, appKey, generateSalt()));

// A terminal: a local SQLite replica kept current by the desk's change feed.
const local = openSqliteStore(join(folder, 'gate-1.db'), { keyring: ring, tenant: 'acme_residence' });
const central = await openPostgresStore(tenantUrl(password), { keyring: ring });
const replica = await openReplica({ feed: central.feed(), store: local, staleAfterMs: 60_000 });
await replica.syncOnce();
replica.start();                                       // woken by NOTIFY, polling as a fallback
const access = new AccessControl({ store: local, threshold: 0.9 });
const probe = protect(probeEmbedding, params, appKey, local.get('resident-42').salt);
expect(access.verify('resident-42', probe, { source: 'gate-1' }).accepted, 'the resident accepted at the gate');

await desk.revokeSubject('resident-42');               // at the desk: everywhere at once
await replica.syncOnce();                              // (the wake-up does this within milliseconds)
let refused = false;
try { access.verify('resident-42', probe, { source: 'gate-1' }); } catch { refused = true; }
expect(refused, 'the revoked resident refused by the terminal');

console.log(`central store: enrolled, verified at the gate, revoked, refused at sequence ${replica.status().seq}`);
await replica.stop();
replica.close();
local.close();
await central.close();
await desk.close();
server.stop();
rmSync(folder, { recursive: true, force: true });
