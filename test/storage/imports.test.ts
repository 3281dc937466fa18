// Dependency boundaries of the storage area: templock/storage imports only @noble/ciphers,
// @noble/hashes, the core and, in argon2id-wasm.ts alone, the dependency-free loader of the
// `argon2id` package (it runs in browsers); better-sqlite3 is imported nowhere in src/ but
// src/storage/sqlite/, and pg nowhere but src/storage/postgres/.
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { PROJECT_ROOT } from '../_lib/shared.js';

const SRC = join(PROJECT_ROOT, 'src');

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = join(dir, e.name);
    return e.isDirectory() ? sources(p) : e.name.endsWith('.ts') ? [p] : [];
  });
}

function specifiers(file: string): string[] {
  const text = readFileSync(file, 'utf8').split('\n').filter((l) => !/^\s*(\*|\/\/|\/\*)/.test(l)).join('\n');
  return [...text.matchAll(/^\s*(?:import|export)\b[^'"]*?from\s+['"]([^'"]+)['"]/gm), ...text.matchAll(/import\(\s*['"]([^'"]+)['"]\s*\)/g)].map((m) => m[1]!);
}

test('templock/storage (outside sqlite/ and postgres/) imports only @noble/*, relative modules inside src/ and the argon2id loader', () => {
  const files = sources(join(SRC, 'storage')).filter((f) => !f.includes(join('storage', 'sqlite')) && !f.includes(join('storage', 'postgres')));
  assert.ok(files.length >= 10);
  for (const f of files) {
    for (const s of specifiers(f)) {
      const ok = s.startsWith('@noble/ciphers/') || s.startsWith('@noble/hashes/') ||
        (s === 'argon2id/lib/setup.js' && f.endsWith(join('storage', 'argon2id-wasm.ts'))) ||
        (s.startsWith('.') && !relative(SRC, join(f, '..', s)).startsWith('..') && !s.includes('sqlite') && !s.includes('postgres') && !s.includes('/match/'));
      assert.ok(ok, `${relative(PROJECT_ROOT, f)} imports ${s}`);
    }
  }
});

test('better-sqlite3 is imported only under src/storage/sqlite/', () => {
  const importers = sources(SRC).filter((f) => specifiers(f).includes('better-sqlite3')).map((f) => relative(SRC, f));
  assert.ok(importers.length >= 1);
  for (const f of importers) assert.ok(f.startsWith(join('storage', 'sqlite')), f);
});

test('pg is imported only under src/storage/postgres/', () => {
  const importers = sources(SRC).filter((f) => specifiers(f).includes('pg')).map((f) => relative(SRC, f));
  assert.ok(importers.length >= 1);
  for (const f of importers) assert.ok(f.startsWith(join('storage', 'postgres')), f);
});

test.run();
