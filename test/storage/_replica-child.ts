// Child process of the replica suite: a terminal catching up with the desk's feed
// (_replica-desk.ts), BATCH changes per transaction, saying `applied <seq>` after each, until
// caught up (`done <seq>`) or killed. Usage: _replica-child.ts <replica.db>
import { readFileSync } from 'node:fs';
import { hexToBytes } from '@noble/hashes/utils.js';
import { importKeyring, localKeyWrapper } from '../../src/storage/index.js';
import { openReplica, openSqliteStore } from '../../src/storage/sqlite/index.js';
import { MemoryChangeFeed } from '../_lib/memory-feed.js';
import { deskWrites, TENANT } from './_replica-desk.js';

const BATCH = 40;
const db = process.argv[2]!;
const ring = await importKeyring(readFileSync(process.env.TEMPLOCK_TEST_KEYRING!), { wrapper: localKeyWrapper(hexToBytes(process.env.TEMPLOCK_TEST_KEK!)) });
const feed = new MemoryChangeFeed(ring, TENANT);
deskWrites(feed);
const store = openSqliteStore(db, { keyring: ring, tenant: TENANT });
const replica = await openReplica({
  feed, store, batchSize: BATCH,
  onEvent: (e) => { if (e.type === 'applied') process.stdout.write(`applied ${e.seq}\n`); },
});
process.stdout.write(`start ${replica.seq}\n`);
await replica.syncOnce();
process.stdout.write(`done ${replica.seq}\n`);
replica.close();
store.close();
