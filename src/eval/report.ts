// The Markdown report of an evaluation (docs/EVALUATION.md "Outputs"): dataset and protocol,
// accuracy per scenario, renewability, unlinkability, inversion, score feedback and the default
// targets.
import type { EvaluationResult, SystemResult } from './evaluate.js';
import type { ScoreFeedbackTarget } from './score-feedback.js';
import { atFmr, FMR_TARGETS, type VerificationSummary } from './summary.js';

const pct = (x: number, digits = 2) => `${(100 * x).toFixed(digits)} %`;
const row = (cells: readonly (string | number)[]) => `| ${cells.join(' | ')} |`;
const rule = (n: number) => `|${' --- |'.repeat(n)}`;

function accuracyRow(sys: string, scenario: string, v: VerificationSummary): string {
  return row([sys, scenario, v.genuineCount.toLocaleString('en-US'), `${v.impostorCount.toLocaleString('en-US')}${v.impostorsExhaustive ? ' (all)' : ''}`,
    `${v.genuine.mean.toFixed(3)} ± ${v.genuine.sd.toFixed(3)}`, `${v.impostor.mean.toFixed(3)} ± ${v.impostor.sd.toFixed(3)}`, pct(v.eer),
    ...FMR_TARGETS.map((f) => { const a = atFmr(v, f); return a.measurable ? pct(a.fnmr) : 'n/m'; }), atFmr(v, 1e-3).threshold.toFixed(4)]);
}

const mark = (ok: boolean | undefined) => (ok === undefined ? '' : ok ? 'yes' : '**no**');

/**
 * One line per parameter set: the figures the defaults are chosen by (the sweep table).
 * @example
 * import { sweepTable } from 'templock/eval';
 * console.log(sweepTable(result));
 */
export function sweepTable(result: EvaluationResult): string {
  const raw = result.raw.normalApplication!;
  const lines = [
    row(['parameters', 'EER', 'FNMR @ FMR 1e-3', 'renewal FAR @ sys. thr.', 'D<->sys', 'inversion: raw accept (other samples)', 'all targets']),
    rule(7),
    row(['raw cosine', pct(raw.eer), pct(atFmr(raw, 1e-3).fnmr), '', result.raw.unlinkability ? result.raw.unlinkability.dSys.toFixed(3) : '', '', '']),
    ...result.rawCentred.filter((c) => c.centringStrength > 0).map((c) => row([`raw cosine, centred x ${c.centringStrength}`, pct(c.normal.eer), pct(atFmr(c.normal, 1e-3).fnmr), '', '', '', ''])),
  ];
  for (const s of result.systems) {
    const n = s.normalApplication!;
    lines.push(row([`${s.label}${s.centringStrength ? `, centred x ${s.centringStrength}` : ''}`, pct(n.eer), pct(atFmr(n, 1e-3).fnmr),
      s.renewability ? `${pct(s.renewability.acceptRate, 3)} (limit ${pct(1.5 * s.renewability.systemFmr, 3)})` : '',
      s.unlinkability ? s.unlinkability.dSys.toFixed(3) : '',
      s.inversion ? [...(s.inversionBaseline ? [`public mean ${pct(s.inversionBaseline.rawOtherSamples, 0)}`] : []), ...s.inversion.map((a) => `${a.attack} ${pct(a.rawOtherSamples, 0)}`)].join(', ') : '',
      mark(s.targets?.ok)]));
  }
  return lines.join('\n');
}

/** Seconds per system and part of its run (protecting and the normal scenario, then each scenario run). */
function timeSection(systems: readonly EvaluationResult['systems'][number][]): string[] {
  const parts = [...new Set(systems.flatMap((s) => Object.keys(s.scenarioSeconds ?? {})))];
  if (parts.length === 0) return [];
  return ['', '## Time', '', row(['system', ...parts, 'total']), rule(parts.length + 2),
    ...systems.map((s) => row([s.label, ...parts.map((p) => (s.scenarioSeconds?.[p] === undefined ? '' : `${s.scenarioSeconds[p]!.toFixed(1)} s`)), `${s.seconds.toFixed(1)} s`]))];
}

const queries = (q: number | null, budget: number) => (q === null ? `> ${budget.toLocaleString('en-US')}` : q.toLocaleString('en-US'));

/** One person under one disclosure: queries to the first accept, cosine, renewed / other key, other photos accepted. */
function personCell(t: ScoreFeedbackTarget): string {
  return `${t.queries === null ? '-' : t.queries.toLocaleString('en-US')} · ${t.cosine.toFixed(2)} · ${t.renewed ? 'R' : '-'}${t.otherKey ? 'K' : '-'} · ${t.otherPhotosAccepted}/${t.otherPhotos}`;
}

function scoreFeedbackSection(result: EvaluationResult): string[] {
  const systems = result.systems.filter((s) => s.scoreFeedback);
  if (systems.length === 0) return [];
  const p = result.protocol;
  const L = ['## Score feedback (no key, salt or template)', '',
    `Someone presents embeddings to the verification of one enrolled photo and sees the decision and what the matcher discloses: ` +
    `the exact score, the coarse score (rounded down to tenths) or nothing. Natural evolution strategies from the public mean; ` +
    `${p.feedbackTargets} persons, ${p.feedbackQueries.toLocaleString('en-US')} queries each, threshold at FMR ${p.feedbackFmr} of the normal scenario. ` +
    'Rates are over persons; queries to the first accept are quartiles over all persons (> budget: not reached); ' +
    'the reconstruction (the accepted presentation, else the last estimate) is checked after renewal (same photo, same key, new salt), ' +
    'under another key and salt, and against the person\'s other photos. Baseline: the public mean presented to every evaluated template.', '',
    row(['parameters', 'threshold', 'baseline: templates / persons accepting the mean', 'disclosure', 'accepted', 'queries q1 / median / q3', 'mean cosine', 'renewed', 'other key', 'other photos (mean per person)', 'persons with an other photo accepted']), rule(11)];
  for (const s of systems) {
    const f = s.scoreFeedback!;
    for (const a of f.attacks) L.push(row([s.label, `${f.threshold.toFixed(4)}${f.measurable ? '' : ' (n/m)'}`, `${pct(f.baseline.acceptRate, 3)} / ${pct(f.baseline.identitiesAccepted, 1)}`, a.disclosure,
      pct(a.acceptRate, 0), [a.queries.q1, a.queries.median, a.queries.q3].map((q) => queries(q, f.queryBudget)).join(' / '), a.meanCosine.toFixed(3),
      pct(a.renewedAcceptRate, 0), pct(a.otherKeyAcceptRate, 0), pct(a.otherPhotosAcceptRate, 0), pct(a.personsOtherPhotoAccepted, 0)]));
  }
  const disclosures = systems[0]!.scoreFeedback!.attacks.map((a) => a.disclosure);
  L.push('', 'Per person: queries to the first accept (- none) · cosine · R accepted after renewal, K under another key · other photos accepted / other photos.', '',
    row(['parameters', 'person (row)', ...disclosures]), rule(2 + disclosures.length));
  for (const s of systems) {
    const attacks = s.scoreFeedback!.attacks;
    attacks[0]!.perTarget.forEach((t, k) => L.push(row([s.label, `${t.identity} (${t.row})`, ...attacks.map((a) => personCell(a.perTarget[k]!))])));
  }
  L.push('');
  return L;
}

function targetsSection(systems: readonly SystemResult[]): string[] {
  const withTargets = systems.filter((s) => s.targets);
  if (withTargets.length === 0) return [];
  const cell = (c: { value: number; limit: number; ok: boolean } | undefined, digits: number, asPct: boolean) =>
    c ? `${asPct ? pct(c.value, digits) : c.value.toFixed(digits)} <= ${asPct ? pct(c.limit, digits) : c.limit.toFixed(digits)}: ${mark(c.ok)}` : '';
  return ['## Targets (normal scenario, per application)', '',
    'EER <= raw EER + 0.5 points; FNMR at FMR 1e-3 <= raw + 2 points (raw: cosine of the embeddings as the model gives them); ' +
    'D<->sys <= 0.05; renewal false-accept rate <= 1.5 x the FMR at the system threshold.', '',
    row(['parameters', 'EER', 'FNMR @ 1e-3', 'D<->sys', 'renewal FAR', 'all']), rule(6),
    ...withTargets.map((s) => row([s.label, cell(s.targets!.eer, 2, true), cell(s.targets!.fnmrAtFmr1e3, 2, true), cell(s.targets!.dSys, 3, false), cell(s.targets!.renewability, 3, true), mark(s.targets!.ok)])), ''];
}

/**
 * The Markdown report of a run.
 * @example
 * import { markdownReport } from 'templock/eval';
 * writeFileSync('report.md', markdownReport(result));
 */
export function markdownReport(result: EvaluationResult, command?: string): string {
  const d = result.dataset, p = result.protocol;
  const L: string[] = [`# Evaluation of ${d.name}`, ''];
  if (command) L.push('Regenerate with:', '', '```sh', command, '```', '');
  L.push('## Data and protocol', '',
    `- ${d.rows.toLocaleString('en-US')} rows of dim ${d.dim}, ${d.identities.toLocaleString('en-US')} identities; evaluated: ${d.evalRows.toLocaleString('en-US')} rows of ${d.evalIdentities.toLocaleString('en-US')} identities with two or more rows.`,
    `- Centring: ${p.centring}${p.centring === 'none' ? '' : `, strength per system in the tables`} (mean fitted on ${d.fitRows.toLocaleString('en-US')} rows of ${d.fitIdentities.toLocaleString('en-US')} identities disjoint from the evaluated ones).`,
    `- Comparisons: ${p.genuinePairs.toLocaleString('en-US')} genuine pairs (all), ${p.impostorPairs.toLocaleString('en-US')} impostor pairs (${p.impostorPairsExhaustive ? 'all' : `seeded sample, seed ${p.seed}`}).`,
    `- Stolen token: ${p.stolenPairs.toLocaleString('en-US')} of the impostor pairs replayed with the victim's key and salt (raw cosine on the same pairs beside it); inversion: ${p.attackTargets} targets, genetic budget ${p.geneticEvaluations} evaluations; unlinkability: at most ${p.matedPerIdentity} mated pairs per identity, ${p.unlinkabilityBins} bins; score feedback: ${p.feedbackTargets} persons, ${p.feedbackQueries.toLocaleString('en-US')} queries, threshold at FMR ${p.feedbackFmr}.`,
    `- Run time ${result.seconds.toFixed(0)} s (per system and scenario: "Time" at the end). n/m: not measurable (fewer than 1/FMR impostor comparisons).`, '',
    '## Accuracy', '',
    row(['system', 'scenario', 'genuine', 'impostor', 'genuine score', 'impostor score', 'EER', 'FNMR @ 1e-2', 'FNMR @ 1e-3', 'FNMR @ 1e-4', 'threshold @ 1e-3']), rule(11),
    accuracyRow('raw cosine', 'normal', result.raw.normalApplication!));
  if (result.raw.stolenToken) L.push(accuracyRow('raw cosine', 'stolen-token impostors', result.raw.stolenToken));
  for (const c of result.rawCentred) if (c.centringStrength > 0) L.push(accuracyRow(`raw cosine, centred x ${c.centringStrength}`, 'normal', c.normal));
  for (const s of result.systems) {
    if (s.normalApplication) L.push(accuracyRow(s.label, `normal, per application${s.centringStrength ? ` (centred x ${s.centringStrength})` : ''}`, s.normalApplication));
    if (s.instances) L.push(row([s.label, 'each application instance alone', '', '', '', '', s.instances.map((i) => pct(i.eer)).join(' / '), '', s.instances.map((i) => pct(i.fnmrAtFmr1e3)).join(' / '), '', '']));
    if (s.normalSubject) L.push(accuracyRow(s.label, 'normal, per-subject secrets', s.normalSubject));
    if (s.stolenToken) L.push(accuracyRow(s.label, 'stolen token', s.stolenToken));
  }
  L.push('', '## Sweep summary', '', sweepTable(result), '');
  const renew = result.systems.filter((s) => s.renewability);
  if (renew.length) L.push('## Renewability (same key, new salt)', '', row(['parameters', 'pairs', 'accepted', 'same sample', 'other samples', 'FMR at threshold']), rule(6),
    ...renew.map((s) => { const r = s.renewability!; return row([s.label, r.pairs.toLocaleString('en-US'), pct(r.acceptRate, 3), pct(r.sameSampleAcceptRate, 3), pct(r.otherSampleAcceptRate, 3), pct(r.systemFmr, 3)]); }), '');
  const unl = [result.raw, ...result.systems].filter((s) => s.unlinkability);
  if (unl.length) L.push('## Unlinkability (two applications, independent keys)', '', row(['system', 'mated', 'non-mated', 'D<->sys', 'estimator floor', 'max D<->(s)']), rule(6),
    ...unl.map((s) => { const u = s.unlinkability!; return row([s.label, u.matedCount.toLocaleString('en-US'), u.nonMatedCount.toLocaleString('en-US'), u.dSys.toFixed(3), u.dSysFloor.toFixed(3), u.dMax.toFixed(3)]); }), '');
  const inv = result.systems.filter((s) => s.inversion?.length);
  if (inv.length) L.push('## Irreversibility (full disclosure: template, key and salt)', '',
    'Share of presented embeddings accepted; raw: cosine system at its FMR 1e-3 threshold; protected: same key and salt at the system threshold; renewed: same key, new salt. ' +
    '"Other samples": pooled over every other photo of the targets / averaged per person. Baseline: the model\'s public mean presented as it is (no template, no key), on the same targets. ' +
    'Leaked score: mean protected score of the reconstruction against the leaked template itself.', '',
    row(['parameters', 'attack', 'targets', 'mean cosine', 'leaked score', 'raw, same sample', 'raw, other samples (pooled / per person)', 'protected, same sample', 'protected, other samples (pooled / per person)', 'renewed, other samples (pooled / per person)']), rule(10),
    ...inv.flatMap((s) => {
      const both = (pooled: number, person: number) => `${pct(pooled, 0)} / ${pct(person, 0)}`;
      const b = s.inversionBaseline;
      const baseline = b ? [row([s.label, 'baseline: public mean', b.targets, '', '', pct(b.rawSameSample, 0), both(b.rawOtherSamples, b.rawOtherSamplesPerPerson), pct(b.protectedSameSample, 0), both(b.protectedOtherSamples, b.protectedOtherSamplesPerPerson), ''])] : [];
      return [...baseline, ...s.inversion!.map((a) => row([s.label, a.attack + (a.geneticEvaluations ? ` (${a.geneticEvaluations} eval.)` : ''), a.targets, a.meanCosine.toFixed(3), a.meanLeakedScore.toFixed(3),
        pct(a.rawSameSample, 0), both(a.rawOtherSamples, a.rawOtherSamplesPerPerson), pct(a.protectedSameSample, 0), both(a.protectedOtherSamples, a.protectedOtherSamplesPerPerson), both(a.renewedOtherSamples, a.renewedOtherSamplesPerPerson)]))];
    }), '');
  L.push(...scoreFeedbackSection(result));
  L.push(...targetsSection(result.systems));
  L.push(...timeSection(result.systems));
  return L.join('\n');
}
