// The command line's progress line (processIo): a bar on a TTY, the time left once a step is done,
// nothing when stderr is not a terminal or the output is JSON.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { processIo } from '../../src/cli/main.js';

/** Runs `body` with stderr as a TTY (or not) and returns what it wrote there. */
function stderrOf(tty: boolean, body: () => void): string {
  const stream = process.stderr as NodeJS.WriteStream & { isTTY: boolean };
  const was = stream.isTTY, write = stream.write;
  let text = '';
  stream.isTTY = tty;
  stream.write = ((chunk: string) => { text += chunk; return true; }) as typeof stream.write;
  try { body(); } finally { stream.isTTY = was; stream.write = write; }
  return text;
}

test('on a TTY: a bar, the time left after the first step, a newline at the end', () => {
  const text = stderrOf(true, () => {
    const io = processIo(false);
    io.progress(0, 4, 'sweep');
    const t0 = performance.now();
    while (performance.now() - t0 < 30) { /* a step that takes time */ }
    io.progress(1, 4, 'sweep');
    io.progress(4, 4, 'sweep');
  });
  assert.match(text, /sweep \[\.{30}\] 0\/4/);
  assert.match(text, /sweep \[#{8}\.{22}\] 1\/4  eta 0:00/);
  assert.ok(text.endsWith('4/4\n'), JSON.stringify(text));
  assert.not.match(text.split('4/4')[1] ?? '', /eta/);
});

test('not a TTY, or quiet: nothing', () => {
  assert.is(stderrOf(false, () => processIo(false).progress(1, 2, 'x')), '');
  assert.is(stderrOf(true, () => processIo(true).progress(1, 2, 'x')), '');
});

test.run();
