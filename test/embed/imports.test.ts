// Dependency boundaries of the embedder: the core ('templock', src/index.ts) never reaches TF.js,
// face-api or the image decoders, and only src/embed/ names those packages (the demo only
// locates the sample photos of face-api).
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { PROJECT_ROOT } from '../_lib/shared.js';

const SRC = join(PROJECT_ROOT, 'src');
const HEAVY = /@tensorflow\/|@vladmandic\/face-api|jpeg-js|pngjs/;

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = join(dir, e.name);
    return e.isDirectory() ? sources(p) : e.name.endsWith('.ts') ? [p] : [];
  });
}

/** Module specifiers a file imports or loads, comments left out. */
function specifiers(file: string): string[] {
  const text = readFileSync(file, 'utf8').split('\n').filter((l) => !/^\s*(\*|\/\/|\/\*)/.test(l)).join('\n');
  return [
    ...text.matchAll(/^\s*(?:import|export)\b[^'"]*?from\s+['"]([^'"]+)['"]/gm),
    ...text.matchAll(/(?:import|require|requireHere|resolve)\(\s*['"`]([^'"`$]+)/g),
  ].map((m) => m[1]!);
}

test('the core import graph from src/index.ts never reaches src/embed or a TF.js package', () => {
  const seen = new Set<string>();
  const queue = [join(SRC, 'index.ts')];
  while (queue.length > 0) {
    const f = queue.pop()!;
    if (seen.has(f)) continue;
    seen.add(f);
    assert.not.ok(relative(SRC, f).startsWith('embed'), `${relative(PROJECT_ROOT, f)} is in the core graph`);
    for (const s of specifiers(f)) {
      assert.not.match(s, HEAVY, `${relative(PROJECT_ROOT, f)} loads ${s}`);
      if (s.startsWith('.')) queue.push(join(dirname(f), s).replace(/\.js$/, '.ts'));
    }
  }
  assert.ok(seen.size >= 10);
});

test('TF.js, face-api and the decoders are named only under src/embed/ (and by the demo, for its photos)', () => {
  const named = sources(SRC).filter((f) => specifiers(f).some((s) => HEAVY.test(s))).map((f) => relative(SRC, f));
  assert.ok(named.some((f) => f.startsWith('embed')));
  for (const f of named) assert.ok(f.startsWith('embed') || f === join('cli', 'commands', 'demo.ts'), f);
});

test.run();
