// Regenerates the published vectors deterministically (`npm run vectors`), or with --check
// proves the committed files byte-identical to a fresh generation (`npm run vectors:check`:
// names each differing or missing file and exits 1). Optional file names limit the run;
// --dir DIR reads or writes another directory instead of vectors/.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';
import { serialize } from './generators/_envelope.js';
import { GENERATORS } from './generators/index.js';

export const VECTORS_DIR = fileURLToPath(new URL('.', import.meta.url));

/** The files whose committed text differs from a fresh generation (empty when all match). */
export function differingFiles(dir = VECTORS_DIR, only: readonly string[] = []): string[] {
  const differ: string[] = [];
  for (const g of GENERATORS) {
    if (only.length && !only.includes(g.file)) continue;
    const path = join(dir, g.file);
    if (!existsSync(path) || readFileSync(path, 'utf8') !== serialize(g.generate())) differ.push(g.file);
  }
  return differ;
}

/** Writes every (or each named) generated file into `dir` and returns the names written. */
export function writeAll(dir = VECTORS_DIR, only: readonly string[] = []): string[] {
  const written: string[] = [];
  for (const g of GENERATORS) {
    if (only.length && !only.includes(g.file)) continue;
    writeFileSync(join(dir, g.file), serialize(g.generate()));
    written.push(g.file);
  }
  return written;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const { values, positionals: only } = parseArgs({ options: { check: { type: 'boolean' }, dir: { type: 'string' } }, allowPositionals: true });
  const dir = values.dir ?? VECTORS_DIR;
  if (values.check) {
    const differ = differingFiles(dir, only);
    for (const f of differ) console.log(`${join(dir, f)} differs from a fresh generation (run npm run vectors)`);
    if (differ.length === 0) console.log(`vectors: identical to a fresh generation (${only.length || GENERATORS.length} checked)`);
    process.exitCode = differ.length ? 1 : 0;
  } else {
    for (const f of writeAll(dir, only)) console.log(`wrote ${join(dir, f)}`);
  }
}
