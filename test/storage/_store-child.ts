// Child process of the crash and concurrency suites: opens the SQLite store with a keyring
// passed as a sealed export (in-process key wrapper, KEK in the environment) and writes until
// told to stop or killed. Modes:
//   put <db> <seed> <subjects> <prefix> <rounds>  put deterministic templates (rounds = 0: forever);
//                                                 says 'ready' once the first batch is committed
//   rewrap <db>                                   re-wrap every record to the keyring's primary
import { readFileSync } from 'node:fs';
import { hexToBytes } from '@noble/hashes/utils.js';
import { importKeyring, localKeyWrapper } from '../../src/storage/index.js';
import { openSqliteStore } from '../../src/storage/sqlite/index.js';
import { Templates } from './_support.js';

const [mode, db, ...rest] = process.argv.slice(2);
const ring = await importKeyring(readFileSync(process.env.TEMPLOCK_TEST_KEYRING!), { wrapper: localKeyWrapper(hexToBytes(process.env.TEMPLOCK_TEST_KEK!)) });
const store = openSqliteStore(db!, { keyring: ring, tenant: 'crash' });
const say = (line: string) => process.stdout.write(`${line}\n`);

if (mode === 'put') {
  const [seed, subjects, prefix, rounds] = [rest[0]!, Number(rest[1]), rest[2]!, Number(rest[3])];
  const T = new Templates(seed);
  const templates = Array.from({ length: subjects }, () => T.make());
  for (let round = 0; rounds === 0 || round < rounds; round++) {
    for (let i = 0; i < subjects; i += 10) {
      store.putMany(templates.slice(i, i + 10).map((template, j) => ({ subjectId: `${prefix}${i + j}`, template })));
      if (round === 0 && i === 0) say('ready');
    }
    for (let i = 0; i < subjects; i++) store.put(`${prefix}${i}`, templates[i]!);
  }
  say('done');
} else if (mode === 'rewrap') {
  say('ready');
  say(JSON.stringify(store.rewrap({ batchSize: 1 })));
}
store.close();
