// D<->(s) and D<->sys (Gomez-Barrero et al., IEEE TIFS 2018) against cases computed by hand.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { unlinkability } from '../../src/eval/index.js';

const close = (a: number, b: number, what: string) => assert.ok(Math.abs(a - b) < 1e-12, `${what}: ${a} != ${b}`);
const mated = [0.9, 0.8, 0.7, 0.3], nonMated = [0.1, 0.2, 0.3, 0.75];

test('two bins over [0.1, 0.9]: LR 1/3 and 3 -> D = 0 and 0.5, D<->sys = 3/4 * 0.5', () => {
  // bin 0 [0.1, 0.5): mated 1/4, non-mated 3/4; bin 1 [0.5, 0.9]: mated 3/4, non-mated 1/4.
  // D(bin 1) = 2 * 3 / (1 + 3) - 1 = 0.5; D<->sys = sum of p_m(bin) D(bin) = 0.375.
  const u = unlinkability(mated, nonMated, 2);
  close(u.binLow, 0.1, 'low');
  close(u.binWidth, 0.4, 'width');
  assert.equal([...u.matedHist], [0.25, 0.75]);
  assert.equal([...u.nonMatedHist], [0.75, 0.25]);
  close(u.local[0]!, 0, 'D bin 0');
  close(u.local[1]!, 0.5, 'D bin 1');
  close(u.dSys, 0.375, 'D<->sys');
  close(u.dMax, 0.5, 'max');
});

test('prior ratio omega scales the likelihood ratio', () => {
  close(unlinkability(mated, nonMated, 2, 1 / 3).dSys, 0, 'omega 1/3: omega LR = 1, not > 1');
  close(unlinkability(mated, nonMated, 2, 3).dSys, 0.75 * 0.8, 'omega 3: D = 2 * 9 / 10 - 1 = 0.8');
});

test('fully linkable and identical distributions', () => {
  close(unlinkability([0.9, 0.95], [0.1, 0.15], 10).dSys, 1, 'disjoint: D = 1 where only mated scores fall');
  close(unlinkability([0.1, 0.5, 0.9], [0.1, 0.5, 0.9], 3).dSys, 0, 'same: LR = 1 everywhere');
});

test('errors', () => {
  assert.throws(() => unlinkability([], [0.1]), RangeError);
  assert.throws(() => unlinkability([0.1], [0.1], 0), RangeError);
});

test.run();
