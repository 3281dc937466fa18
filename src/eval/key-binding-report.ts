// The Markdown report of a key-binding evaluation (docs/EVALUATION.md "Key binding"): the
// operating point against the raw baseline, the trade-off of code strength against FMR and FNMR,
// the linkage attacks and the brute-force estimates.
import type { KeyBindingResult } from './key-binding.js';

const pct = (x: number) => `${(100 * x).toFixed(2)} %`;

/**
 * Markdown of a key-binding evaluation; `command` is the command line that reproduces it.
 * @example
 * import { evaluateKeyBinding, keyBindingReport } from 'templock/eval';
 * const md = keyBindingReport(evaluateKeyBinding(set), 'templock evaluate data --scheme fuzzy-commitment');
 */
export function keyBindingReport(r: KeyBindingResult, command: string): string {
  const c = r.chosen;
  const rows = r.curve.filter((p, i) => i % 5 === 4 || p.t === c.t).map((p) => `| ${p.t} | ${p.k} | ${p.fmr.toExponential(2)} | ${pct(p.fnmr)} |`);
  return [
    `# Key binding by fuzzy commitment: BCH n = ${r.n} (m = ${r.m}), r = ${r.r} (${r.bits} projection bits)`,
    '',
    `Reproduce: \`${command}\``,
    '',
    `${r.genuinePairs} genuine and ${r.impostorPairs} impostor pairs; centring strength ${r.centringStrength}. A pair releases the key exactly when its codeword errors after the soft vote are at most t.`,
    '',
    '| system | FMR | FNMR |',
    '| --- | --- | --- |',
    `| raw cosine (uncentred) | 1e-3 | ${pct(r.rawFnmrAtFmr1e3)} |`,
    `| raw cosine after the centring used | 1e-3 | ${pct(r.rawCentredFnmrAtFmr1e3)} |`,
    `| key binding, t = ${c.t} (k = ${c.k} message bits) | ${c.fmr.toExponential(2)} | ${pct(c.fnmr)} |`,
    '',
    `Codeword error fraction: genuine ${r.genuineErrors.mean.toFixed(4)} ± ${r.genuineErrors.sd.toFixed(4)}, impostor ${r.impostorErrors.mean.toFixed(4)} ± ${r.impostorErrors.sd.toFixed(4)}; ${r.ties} soft votes were exactly 0 (counted as errors).`,
    '',
    '## Code strength against FMR and FNMR',
    '',
    '| t | k | FMR | FNMR |',
    '| --- | --- | --- | --- |',
    ...rows,
    '',
    '## Linkage',
    '',
    `XOR decodability attack (${r.xorAttack.pairs} pairs each, by a holder of the first template's key): two enrolments of one person under the same key and salt ${pct(r.xorAttack.sameSaltMated)}, of two people under the same salt ${pct(r.xorAttack.sameSaltNonMated)}; after renewal (new salt) ${pct(r.xorAttack.newSaltMated)}; across applications (other key) ${pct(r.xorAttack.otherKeyMated)}.`,
    '',
    `Unlinkability across applications (score: fraction of equal helper bits): D<->sys = ${r.unlinkability.dSys.toFixed(4)} (estimator floor ${r.unlinkability.dSysFloor.toFixed(4)}; ${r.unlinkability.mated} mated, ${r.unlinkability.nonMated} non-mated pairs).`,
    '',
    '## Inversion with everything disclosed (helper data, salt, application key)',
    '',
    `Spectral attack on ${r.inversion.targets} enrolments of distinct people: the reconstruction has |cosine| ${r.inversion.meanAbsCosine.toFixed(3)} to the enrolled embedding (centred), releases the bound key for ${pct(r.inversion.released)} of them (two presentations: either sign), and matches ${pct(r.inversion.rawOtherPhotos)} of their other photos under raw centred cosine at FMR 1e-3. The keyed projection hides the face only while the application key is secret.`,
    '',
    '## Brute-force cost',
    '',
    `Degrees of freedom: ${r.entropy.bitDegreesOfFreedom.toFixed(1)} for the projection bits, ${r.entropy.codewordDegreesOfFreedom.toFixed(1)} for the codeword bits after the soft vote. A face drawn from the population releases the key with probability 2^-${r.entropy.binomialBits.toFixed(1)} (binomial model on the codeword degrees of freedom) and 2^-${r.entropy.measuredBits.toFixed(1)} measured (FMR at t = ${c.t}).`,
    '',
    `(${r.seconds.toFixed(0)} s)`,
    '',
  ].join('\n');
}
