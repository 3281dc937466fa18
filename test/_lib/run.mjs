// Test runner: every matching suite in its own Node process (tsx loader), two at a time,
// then one summary line "N passed, N failed" (CI reads it). Usage:
//   node test/_lib/run.mjs [--slow] [substring ...]
import { spawn } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { readdirSync } from 'node:fs';
import { join, relative } from 'node:path';

const args = process.argv.slice(2);
const slow = args.includes('--slow');
const filters = args.filter((a) => !a.startsWith('--'));
const root = new URL('../..', import.meta.url).pathname;
const suffix = slow ? '.slow.ts' : '.test.ts';
const SUITE_TIMEOUT_MS = 15 * 60 * 1000;

function walk(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    if (e.name.startsWith('_') || e.name === 'node_modules') return [];
    const p = join(dir, e.name);
    return e.isDirectory() ? walk(p) : e.name.endsWith(suffix) ? [p] : [];
  });
}

const files = walk(join(root, 'test'))
  .map((f) => relative(root, f))
  .filter((f) => filters.length === 0 || filters.some((s) => f.includes(s)))
  .sort();

const strip = (s) => s.replace(/\x1b\[[0-9;]*m/g, '');
const field = (text, name) => {
  const m = new RegExp(`${name}:\\s+(\\d+)`).exec(text);
  return m ? Number(m[1]) : undefined;
};

function runSuite(file) {
  return new Promise((resolve) => {
    const started = Date.now();
    const child = spawn(process.execPath, ['--import', 'tsx', file], {
      cwd: root,
      env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), SUITE_TIMEOUT_MS);
    child.on('close', (code) => {
      clearTimeout(timer);
      const text = strip(out);
      const total = field(text, 'Total');
      const passed = field(text, 'Passed');
      const skipped = field(text, 'Skipped') ?? 0;
      const seconds = ((Date.now() - started) / 1000).toFixed(1);
      if (total === undefined || passed === undefined) {
        resolve({ file, passed: 0, failed: 1, skipped: 0, seconds, text, code });
      } else {
        const failed = Math.max(total - passed - skipped, code === 0 ? 0 : 1);
        resolve({ file, passed, failed, skipped, seconds, text, code });
      }
    });
  });
}

const queue = [...files];
const results = [];
const workers = Array.from({ length: Math.min(2, availableParallelism()) }, async () => {
  while (queue.length) {
    const r = await runSuite(queue.shift());
    results.push(r);
    const status = r.failed ? 'FAIL' : 'ok  ';
    console.log(`${status} ${r.file}  ${r.passed} passed, ${r.failed} failed, ${r.skipped} skipped  (${r.seconds}s)`);
    const notes = r.text.split('\n').filter((l) => l.startsWith('SKIP '));
    for (const n of notes) console.log(`     ${n}`);
    if (r.failed) console.log(r.text.split('\n').map((l) => '     | ' + l).join('\n'));
  }
});
await Promise.all(workers);

const sum = (k) => results.reduce((a, r) => a + r[k], 0);
if (files.length === 0) console.log('no test files matched');
console.log(`${sum('skipped')} skipped, in ${files.length} suites`);
console.log(`${sum('passed')} passed, ${sum('failed')} failed`);
process.exitCode = sum('failed') > 0 || files.length === 0 ? 1 : 0;
