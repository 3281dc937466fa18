// `templock keys create`: a new terminal: storage keyring, application transform key and first
// salt epoch, sealed in the terminal key file beside the database under a passphrase
// (TEMPLOCK_PASSPHRASE, Argon2id) or a key file (created when absent). Prints ids, never keys.
import { existsSync } from 'node:fs';
import { faceapiThreshold } from '../../embed/model-params.js';
import { SCHEME_NAMES } from '../../transforms/registry.js';
import type { SchemeName } from '../../transforms/scheme.js';
import { aNumber } from '../../validate.js';
import type { Command } from '../command.js';
import { createKeyFile, createTerminal, kekSource } from './terminal-file.js';
import { COMMON_HELP, COMMON_OPTIONS, emit, sessionOf, terminalPaths } from './terminal-session.js';

export const keysCreateCommand: Command = {
  name: ['keys', 'create'],
  summary: 'Create the terminal keys (storage keyring, application key) beside the database',
  help: `[--scheme iom-grp] [--threshold T] [--tenant NAME] [--argon2-memory KiB] [options]
  Creates the terminal key file (the database path + ".keyring") and the database. The keys are
  sealed under TEMPLOCK_PASSPHRASE (Argon2id) or under --key-file FILE, which is created (32
  random bytes as hex, mode 0600) when it does not exist. Neither is ever printed.
  --scheme NAME         iom-grp (default), iom-urp or sign
  --threshold T         decision threshold (default: the scheme's threshold at FMR 1e-4 on LFW)
  --tenant NAME         the tenant every record is bound to (default "templock-terminal")
  --argon2-memory KiB   Argon2id memory for a passphrase (default 65536)
${COMMON_HELP}`,
  options: { scheme: { type: 'string' }, threshold: { type: 'string' }, tenant: { type: 'string' }, 'argon2-memory': { type: 'string' }, ...COMMON_OPTIONS },
  async run(values, _positionals, io) {
    const scheme = (values.scheme ?? 'iom-grp') as SchemeName;
    if (!SCHEME_NAMES.includes(scheme)) throw new RangeError(`--scheme expected one of ${SCHEME_NAMES.join(', ')}`);
    const threshold = values.threshold === undefined ? faceapiThreshold(scheme) : aNumber('threshold', Number(values.threshold), 0, 1);
    const tenant = typeof values.tenant === 'string' ? values.tenant : 'templock-terminal';
    const argon2MemoryKiB = values['argon2-memory'] === undefined ? undefined : Number(values['argon2-memory']);
    const { db, keyring } = terminalPaths(values);
    const source = kekSource(typeof values['key-file'] === 'string' ? values['key-file'] : undefined, process.env);
    let keyFileCreated = false;
    if (source.kind === 'key-file' && !existsSync(source.path)) {
      createKeyFile(source.path);
      keyFileCreated = true;
    }
    const terminal = await createTerminal(keyring, source, { tenant, scheme, threshold, argon2MemoryKiB });
    (await sessionOf(db, keyring, source, terminal)).close();
    const data = { keyring, db, protection: source.kind, keyFileCreated, storageKeyId: terminal.ring.primaryId, scheme, threshold, tenant };
    emit(io, values, data, [
      `created terminal keys ${keyring} (sealed under ${source.kind === 'passphrase' ? 'the passphrase' : `key file ${source.path}${keyFileCreated ? ', created' : ''}`})`,
      `  storage key ${terminal.ring.primaryId}, scheme ${scheme}, threshold ${threshold}, tenant "${tenant}"`,
      `  database ${db}`,
    ]);
    return 0;
  },
};
