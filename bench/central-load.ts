// `npm run bench:central-load`: loading N sealed records into a 1:N Gallery from the central
// PostgreSQL store (openEntries: binary COPY, records opened on worker threads) beside the same
// load from a SQLite file (openEntries on the same number of threads), on a throw-away server
// started here. Records: sign projection, 64-byte codes (512 bits), one salt.
// Usage: npm run bench:central-load -- [--records 100000,1000000] [--threads 2] [--json FILE]
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { protect, type ProtectedTemplate, type TransformParams } from '../src/index.js';
import { Gallery, init } from '../src/match/index.js';
import { Keyring, type PutItem, type StoredTemplate } from '../src/storage/index.js';
import { createTenant, migratePostgres, openPostgresStore } from '../src/storage/postgres/index.js';
import { openSqliteStore } from '../src/storage/sqlite/index.js';
import { postgresSkipReason, startCluster } from '../src/cli/local-postgres.js';
import { randomBytes } from './harness/data.js';
import { BENCH_KEY, embeddings } from './harness/inputs.js';

const { values } = parseArgs({ options: { records: { type: 'string', default: '100000,1000000' }, threads: { type: 'string', default: '2' }, json: { type: 'string' } } });
const SIZES = values.records.split(',').map(Number);
const THREADS = Number(values.threads);
for (const n of SIZES) if (!Number.isSafeInteger(n) || n < 1) throw new RangeError(`--records expected positive integers, got ${values.records}`);
if (!Number.isInteger(THREADS) || THREADS < 1 || THREADS > 64) throw new RangeError('--threads expected an integer in 1..64');
const skip = postgresSkipReason();
if (skip) {
  console.error(`central-load: skipped, ${skip}`);
  process.exit(0);
}

const PARAMS: TransformParams = { scheme: 'sign', dim: 128, bits: 512 };
const BATCH = 5000;
const log = (line: string) => process.stderr.write(`${line}\n`);

/** Fills a Gallery from an async stream of records; returns the seconds it took and the count. */
async function load(entries: AsyncIterable<StoredTemplate>): Promise<{ seconds: number; count: number }> {
  const t0 = performance.now();
  let gallery: Gallery | undefined;
  let count = 0;
  for await (const { subjectId, template } of entries) {
    gallery ??= new Gallery(template, { threads: 1 });
    gallery.add(subjectId, template);
    count++;
  }
  const seconds = (performance.now() - t0) / 1000;
  gallery?.close();
  return { seconds, count };
}

await init();
const dir = mkdtempSync(join(tmpdir(), 'templock-central-load-'));
const cluster = startCluster();
const results: Array<Record<string, unknown>> = [];
try {
  await migratePostgres(cluster.url);
  const ring = Keyring.generate();
  const password = await createTenant(cluster.url, 'bench');
  const central = await openPostgresStore(cluster.urlFor('bench', password), { keyring: ring });
  const base: ProtectedTemplate = protect(embeddings(1, PARAMS.dim, 5).rows[0]!, PARAMS, BENCH_KEY, randomBytes(16, 6));
  let stored = 0;
  for (const n of SIZES) {
    const sqlite = openSqliteStore(join(dir, `load-${n}.db`), { keyring: ring, tenant: 'bench', durability: 'normal' });
    const t0 = performance.now();
    for (let i = 0; i < n; i += BATCH) {
      const items: PutItem[] = [];
      for (let j = i; j < Math.min(n, i + BATCH); j++) items.push({ subjectId: `r-${j}`, template: { ...base, payload: randomBytes(base.payload.length, j) } });
      if (i >= stored) await central.putMany(items);         // the central store keeps the smaller sizes' records
      sqlite.putMany(items);
    }
    stored = Math.max(stored, n);
    log(`${n} records written to both stores in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
    const pg = await load(central.openEntries({ threads: THREADS }));
    const lite = await load(sqlite.openEntries({ threads: THREADS }));
    if (pg.count !== n || lite.count !== n) throw new Error(`loaded ${pg.count} / ${lite.count} of ${n}`);
    const row = { records: n, threads: THREADS, postgresSeconds: +pg.seconds.toFixed(2), postgresRecordsPerSecond: Math.round(n / pg.seconds), sqliteSeconds: +lite.seconds.toFixed(2), sqliteRecordsPerSecond: Math.round(n / lite.seconds) };
    log(`${n} records into a Gallery on ${THREADS} threads: PostgreSQL ${row.postgresSeconds} s (${row.postgresRecordsPerSecond}/s), SQLite ${row.sqliteSeconds} s (${row.sqliteRecordsPerSecond}/s)`);
    results.push(row);
    sqlite.close();
  }
  await central.close();
  const report = { machine: { cpus: cpus().length, model: cpus()[0]?.model, node: process.version, note: 'one shared machine: the server and the loader share its cores' }, results };
  console.log(JSON.stringify(report, null, 2));
  if (values.json) writeFileSync(values.json, `${JSON.stringify(report, null, 2)}\n`);
} finally {
  cluster.stop();
  rmSync(dir, { recursive: true, force: true });
}

