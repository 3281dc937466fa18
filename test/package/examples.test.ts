// The README's TypeScript as a consumer would paste it: every snippet of README.md is found
// verbatim in a file of examples/ (so the two cannot drift), every example type-checks as a strict
// consumer (module node16 and bundler, skipLibCheck false, exactOptionalPropertyTypes,
// noUncheckedIndexedAccess; `templock` resolved through its own package name, i.e. dist/) and
// runs to completion, checking the results the README states. Run `npm run build` first.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { PROJECT_ROOT } from '../_lib/shared.js';

const EXAMPLES = join(PROJECT_ROOT, 'examples');
const TSC = join(PROJECT_ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
const examples = readdirSync(EXAMPLES).filter((f) => f.endsWith('.ts')).sort();
const runnable = examples.filter((f) => !f.startsWith('_'));
const sources = examples.map((f) => readFileSync(join(EXAMPLES, f), 'utf8'));
const work = mkdtempSync(join(tmpdir(), 'templock-examples-'));

/** The ```ts blocks of a Markdown text (indented ones too, inside lists), as written, with their line. */
function tsSnippets(markdown: string): { line: number; code: string }[] {
  return [...markdown.matchAll(/^( *)```ts\n([\s\S]*?)\n\1```/gm)].map((m) => ({ line: markdown.slice(0, m.index).split('\n').length, code: m[2]! }));
}

const found = (code: string) => sources.some((src) => src.includes(code));
const snippets = tsSnippets(readFileSync(join(PROJECT_ROOT, 'README.md'), 'utf8'));

test('every TypeScript snippet of the README is in an example file, verbatim', () => {
  assert.ok(snippets.length >= 11, `${snippets.length} snippets`);
  for (const s of snippets) assert.ok(found(s.code), `README.md line ${s.line}: snippet not found in examples/*.ts`);
});

test('a snippet changed by one character is not found (the check is not vacuous)', () => {
  for (const s of snippets) assert.not.ok(found(s.code.replace(/.$/, (c) => (c === ';' ? ',' : ';'))), `README.md line ${s.line}`);
});

for (const module of ['node16', 'bundler'] as const) {
  test(`the examples type-check as a strict consumer with module ${module} and skipLibCheck false`, () => {
    const resolution = module === 'node16' ? { module: 'node16', moduleResolution: 'node16' } : { module: 'esnext', moduleResolution: 'bundler' };
    const config = join(work, `tsconfig.${module}.json`);
    writeFileSync(config, JSON.stringify({
      compilerOptions: {
        ...resolution, target: 'es2022', lib: ['es2022', 'dom'], types: ['node'], typeRoots: [join(PROJECT_ROOT, 'node_modules', '@types')],
        strict: true, skipLibCheck: false, exactOptionalPropertyTypes: true, noUncheckedIndexedAccess: true, noEmit: true,
      },
      files: examples.map((f) => join(EXAMPLES, f)),
    }));
    const r = spawnSync(process.execPath, [TSC, '-p', config], { encoding: 'utf8', timeout: 180_000 });
    assert.is(r.status, 0, r.stdout + r.stderr);
  });
}

for (const file of runnable) {
  test(`examples/${file} runs`, () => {
    const r = spawnSync(process.execPath, ['--import', 'tsx', join(EXAMPLES, file)], { cwd: PROJECT_ROOT, encoding: 'utf8', timeout: 120_000, killSignal: 'SIGKILL' });
    assert.is(r.status, 0, r.stderr);
    assert.match(r.stdout, new RegExp(`^${file.replace(/\.ts$/, '').replace('-', ' ')}: `));
  });
}

test.after(() => rmSync(work, { recursive: true, force: true }));
test.run();
