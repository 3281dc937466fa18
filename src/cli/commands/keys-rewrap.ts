// `templock keys rewrap`: re-seals every record under the primary storage key (finishing an
// interrupted rotation) and, with --new-key-file or TEMPLOCK_NEW_PASSPHRASE, re-wraps the
// terminal key file under a new key-encryption key (a passphrase change).
import { existsSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { bytesToHex } from '@noble/hashes/utils.js';
import { ARGON2_DEFAULTS } from '../../storage/kdf.js';
import type { Command } from '../command.js';
import { rewrapAndRetire, rewrapLines } from './keys-rotation.js';
import { aNewPassphrase, createKeyFile, saveTerminal, type KekSource, type Terminal } from './terminal-file.js';
import { COMMON_HELP, COMMON_OPTIONS, emit, withSession } from './terminal-session.js';

/** The terminal re-protected for a new key-encryption key source. */
function reprotect(t: Terminal, source: KekSource): Terminal {
  const argon2 = t.protection.kind === 'passphrase' ? t.protection.argon2 : ARGON2_DEFAULTS;
  return {
    ...t,
    protection: source.kind === 'passphrase' ? { kind: 'passphrase', argon2, salt: bytesToHex(randomBytes(16)) } : { kind: 'key-file' },
  };
}

export const keysRewrapCommand: Command = {
  name: ['keys', 'rewrap'],
  summary: 'Re-wrap records to the primary key; optionally re-seal the key file under a new key',
  help: `[--new-key-file FILE] [options]
  Re-seals every record not yet under the primary storage key and disables keys left unused.
  A database from before record format v2 gets its manifest here, built from the file as it is
  (run it once on an intact file), and its v1 records are re-sealed as v2.
  With --new-key-file FILE (created when absent) or TEMPLOCK_NEW_PASSPHRASE, the terminal key
  file is then sealed under that new key-encryption key instead of the current one.
  --new-key-file FILE   the new key-encryption key file
${COMMON_HELP}`,
  options: { 'new-key-file': { type: 'string' }, ...COMMON_OPTIONS },
  async run(values, _positionals, io) {
    const newFile = typeof values['new-key-file'] === 'string' ? values['new-key-file'] : undefined;
    const newPassphrase = process.env.TEMPLOCK_NEW_PASSPHRASE;
    const target: KekSource | undefined = newFile ? { kind: 'key-file', path: newFile } : newPassphrase ? { kind: 'passphrase', passphrase: newPassphrase } : undefined;
    if (target?.kind === 'passphrase') aNewPassphrase(target.passphrase);
    return withSession(values, async (s) => {
      const o = await rewrapAndRetire(s, io);
      let resealed = 'unchanged';
      if (target) {
        if (target.kind === 'key-file' && !existsSync(target.path)) createKeyFile(target.path);
        await saveTerminal(s.keyringPath, reprotect(s.terminal, target), target);
        resealed = target.kind === 'key-file' ? `key file ${target.path}` : 'the new passphrase';
      }
      emit(io, values, { ...o, keyring: s.keyringPath, resealed: target ? target.kind : null }, [
        `re-wrapped ${s.db}`, ...rewrapLines(o), `  terminal key file ${s.keyringPath}: ${target ? `now sealed under ${resealed}` : 'key-encryption key unchanged'}`,
      ]);
      return o.failures.length === 0 ? 0 : 1;
    }, io);
  },
};
