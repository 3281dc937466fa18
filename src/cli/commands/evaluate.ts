// `templock evaluate` (docs/EVALUATION.md): accuracy and privacy of the protected templates on a
// labelled embedding set -- the Markdown report, JSON figures and SVG plots; --sweep runs the
// parameter grid of every scheme instead of the recommended defaults. Projections run in the
// templock/match WebAssembly kernels.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ATTACK_NAMES, type AttackName } from '../../eval/attacks.js';
import { CENTRING_PROTOCOLS, type CentringProtocol } from '../../eval/centring.js';
import { SCORE_DISCLOSURES, type ScoreDisclosure } from '../../match/disclosure.js';
import { init } from '../../match/loader.js';
import { evaluate, SCENARIOS, type EvaluateOptions, type ScenarioName } from '../../eval/evaluate.js';
import { evaluateKeyBinding } from '../../eval/key-binding.js';
import { keyBindingReport } from '../../eval/key-binding-report.js';
import { DEFAULT_BINDING_CODE } from '../../transforms/fuzzy-commitment.js';
import { readEmbeddings } from '../../eval/readers.js';
import { markdownReport, sweepTable } from '../../eval/report.js';
import { FMR_TARGETS } from '../../eval/summary.js';
import { detSvg, scoreSvgs } from '../../eval/svg.js';
import { sweepGrid } from '../../eval/sweep.js';
import { tune, TUNE_STRENGTHS } from '../../eval/tune.js';
import type { EmbeddingSet } from '../../eval/dataset.js';
import { DEFAULT_CENTRING_STRENGTH, defaultParams } from '../../transforms/defaults.js';
import { checkParams, SCHEME_NAMES } from '../../transforms/registry.js';
import type { SchemeName, TransformParams } from '../../transforms/scheme.js';
import { EXIT } from '../exit-status.js';
import type { Command, Io, OptionValues } from '../command.js';

function oneOf<T extends string>(name: string, value: string, allowed: readonly T[]): T {
  if (!(allowed as readonly string[]).includes(value)) throw new RangeError(`"--${name}" expected one of ${allowed.join(', ')}, got ${value}`);
  return value as T;
}

function int(name: string, value: OptionValues[string], min: number): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isSafeInteger(n) || n < min) throw new RangeError(`"--${name}" expected an integer >= ${min}, got ${String(value)}`);
  return n;
}

function list(value: OptionValues[string]): string[] {
  return value === undefined ? [] : (Array.isArray(value) ? value.map(String) : [String(value)]).flatMap((v) => v.split(',')).filter((v) => v.length > 0);
}

/** The key-binding scheme, evaluated by its own run (evaluateKeyBinding). */
const KEY_BINDING = 'fuzzy-commitment';

/** Parameter sets from --scheme names (defaults) and --params JSON objects (dim filled in). */
function paramSets(values: OptionValues, dim: number, sweep: boolean): TransformParams[] {
  const schemes = list(values.scheme).map((s) => oneOf('scheme', s, [...SCHEME_NAMES, KEY_BINDING] as readonly string[])).filter((s): s is SchemeName => s !== KEY_BINDING);
  const explicit = ((values.params ?? []) as string[]).map((j) => {
    let parsed: unknown;
    try { parsed = JSON.parse(j); } catch { throw new TypeError(`"--params" expected a JSON object, got ${j}`); }
    return checkParams({ dim, ...(parsed as object) });
  });
  const names = schemes.length > 0 || explicit.length > 0 || list(values.scheme).includes(KEY_BINDING) ? schemes : [...SCHEME_NAMES];
  return [...names.flatMap((s) => (sweep ? sweepGrid(s, dim) : [defaultParams(s, dim)])), ...explicit];
}

/** The command line that regenerates a run, for the report. */
function commandLine(data: string, values: OptionValues): string {
  const parts = ['templock evaluate', data];
  for (const [k, v] of Object.entries(values)) {
    if (v === undefined || k === 'out' || k === 'json' || k === 'threads') continue;
    for (const x of Array.isArray(v) ? v : [v]) parts.push(x === true ? `--${k}` : `--${k} ${/^[\w.,/-]+$/.test(String(x)) ? String(x) : `'${String(x)}'`}`);
  }
  if (typeof values.out === 'string') parts.push(`--out ${values.out}`);
  return parts.join(' ');
}

/** --tune: one scheme's tuning run, its tables and the recommendation. */
async function runTune(set: EmbeddingSet, values: OptionValues, opts: EvaluateOptions, command: string, io: Io): Promise<number> {
  const schemes = list(values.scheme);
  if (schemes.length !== 1 || !(SCHEME_NAMES as readonly string[]).includes(schemes[0]!)) {
    io.err(`templock evaluate --tune: expected one --scheme of ${SCHEME_NAMES.join(', ')}`);
    return EXIT.USAGE;
  }
  await init();
  const t = await tune(set, {
    scheme: schemes[0] as SchemeName, seed: opts.seed!, centring: opts.centring!,
    ...(values.impostors === undefined ? {} : { impostorPairs: opts.impostorPairs! }),
    ...(values['attack-targets'] === undefined ? {} : { attackTargets: opts.attackTargets! }),
    ...(opts.threads === undefined ? {} : { threads: opts.threads }),
    onProgress: (done, total, label) => io.progress(done, total, label),
  });
  const pct = (x: number) => `${(x * 100).toFixed(2)} %`;
  const lines = [
    `# Tuning ${t.scheme} on ${set.name}`, '', `Reproduce: \`${command}\``, '',
    `Raw cosine FNMR at FMR 1e-3: ${pct(t.rawFnmr)} uncentred; centred: ${t.strengths.map((s) => `x ${s.strength}: ${pct(s.fnmr)}`).join(', ')}.`,
    `Centring strength: **${t.strength}** (the largest within 1 point of uncentred).`, '',
    sweepTable(t.sweep), '',
    t.choice ? `Recommended: **${t.choice.label}**, centred x ${t.strength} (${t.choice.payloadBytes}-byte templates, ${t.choice.materialBytes.toLocaleString('en-US')} bytes of material): the cheapest set meeting every target.`
      : 'No set of the sweep meets every target at this strength; the largest set is usually the closest.',
  ];
  const report = lines.join('\n') + '\n';
  if (typeof values.out === 'string') {
    mkdirSync(values.out, { recursive: true });
    writeFileSync(join(values.out, 'tune.json'), JSON.stringify(t, null, 1) + '\n');
    writeFileSync(join(values.out, 'tune.md'), report);
  }
  if (values.json === true) io.out(JSON.stringify(t));
  else io.out(report);
  return 0;
}

export const evaluateCommand: Command = {
  name: ['evaluate'],
  summary: 'Measure accuracy, renewability, unlinkability, inversion and score-feedback resistance on labelled embeddings',
  help: `<data> [options]
  <data>                 a folder (embeddings.f32 + meta.json), a .npy file (with --labels) or a .csv file
  --labels FILE          identity per line, for .npy input
  --scheme NAME          evaluate the recommended parameters of this scheme (repeatable; default: all
                         transforms); ${KEY_BINDING} runs the key-binding evaluation (FMR and FNMR
                         for every t, linkage attacks, brute-force cost) with --binding-m, --binding-r
  --binding-m N          BCH field degree of the key-binding evaluation (default 10: n = 1023)
  --binding-r N          projections per codeword bit of the key-binding evaluation (default 4)
  --params JSON          evaluate this parameter set, e.g. '{"scheme":"iom-grp","m":512,"q":16}' (repeatable)
  --sweep                evaluate the sweep grid of each scheme instead of the defaults
  --tune                 the tuning procedure for one --scheme (docs/EVALUATION.md "Tuning for
                         another model"): the largest centring strength of ${TUNE_STRENGTHS.join(', ')} within 1 point of
                         uncentred raw FNMR, the sweep at it, and the cheapest set meeting every target
  --scenarios LIST       comma-separated from: ${SCENARIOS.join(', ')}
                         (default: all; --sweep default: renewability,unlinkability,inversion)
                         the normal scenario per application is always measured
  --seed N               seed of pairs, keys, salts and attacks (default 1)
  --impostors N          impostor pairs to sample (default 1000000; --sweep 300000)
  --centring NAME        ${CENTRING_PROTOCOLS.join(' | ')} (default auto)
  --centring-strength X  fraction of the fitted mean subtracted, in (0, 1], for every scheme
                         (default: each scheme's DEFAULT_CENTRING_STRENGTH: sign ${DEFAULT_CENTRING_STRENGTH.sign}, iom-grp ${DEFAULT_CENTRING_STRENGTH['iom-grp']}, iom-urp ${DEFAULT_CENTRING_STRENGTH['iom-urp']})
  --strict               fail on identities with a single sample instead of setting them aside
  --stolen-pairs N       impostor pairs replayed with the victim's key and salt (default 200000;
                         the first of the normal scenario's sample, so both see the same impostors)
  --attack-targets N     templates attacked per attack (default 50; --sweep 20)
  --attacks LIST         ${ATTACK_NAMES.join(',')} (default: those that apply; --sweep: linear for sign and iom-grp, optimisation for iom-urp)
  --genetic-evaluations N  fitness evaluations of the genetic attack (default 3000)
  --feedback-targets N   persons attacked by score feedback (default 20)
  --feedback-queries N   query budget of each score-feedback attack (default 10000)
  --feedback-disclosures LIST  ${SCORE_DISCLOSURES.join(',')} (default: all): what the matcher returns
  --feedback-fmr X       ${FMR_TARGETS.join(' | ')}: the operating point whose threshold the attack must
                         reach (default 0.001, the system threshold)
  --threads N            worker threads for the per-subject scenarios and the attacks (default:
                         every core); the figures are the same for any number
  --out DIR              write report.md, result.json, det.svg and scores-*.svg there
  --json                 print the result as JSON on stdout (no progress)`,
  options: {
    labels: { type: 'string' }, scheme: { type: 'string', multiple: true }, params: { type: 'string', multiple: true },
    sweep: { type: 'boolean' }, tune: { type: 'boolean' }, scenarios: { type: 'string' }, seed: { type: 'string' }, impostors: { type: 'string' },
    centring: { type: 'string' }, 'centring-strength': { type: 'string' }, strict: { type: 'boolean' },
    'stolen-pairs': { type: 'string' }, 'attack-targets': { type: 'string' },
    attacks: { type: 'string' }, 'genetic-evaluations': { type: 'string' }, 'feedback-targets': { type: 'string' }, 'feedback-queries': { type: 'string' },
    'feedback-disclosures': { type: 'string' }, 'feedback-fmr': { type: 'string' }, out: { type: 'string' }, json: { type: 'boolean' },
    'binding-m': { type: 'string' }, 'binding-r': { type: 'string' }, threads: { type: 'string' },
  },
  positionals: true,
  async run(values, positionals, io: Io) {
    if (positionals.length !== 1) { io.err('templock evaluate: expected one <data> path (see --help)'); return EXIT.USAGE; }
    const set = readEmbeddings(positionals[0]!, values.labels as string | undefined);
    const sweep = values.sweep === true;
    const scenarioList = list(values.scenarios).map((s) => oneOf('scenarios', s, SCENARIOS));
    const strength = values['centring-strength'] === undefined ? undefined : Number(values['centring-strength']);
    const attacks = list(values.attacks).map((a) => oneOf('attacks', a, ATTACK_NAMES));
    const disclosures = list(values['feedback-disclosures']).map((a) => oneOf('feedback-disclosures', a, SCORE_DISCLOSURES as readonly ScoreDisclosure[]));
    const fmrText = values['feedback-fmr'], feedbackFmr = fmrText === undefined ? undefined : FMR_TARGETS.find((f) => f === Number(fmrText));
    if (fmrText !== undefined && feedbackFmr === undefined) throw new RangeError(`"--feedback-fmr" expected one of ${FMR_TARGETS.join(', ')}, got ${String(fmrText)}`);
    const opts: EvaluateOptions = {
      params: paramSets(values, set.dim, sweep),
      scenarios: scenarioList.length > 0 ? scenarioList : sweep ? (['renewability', 'unlinkability', 'inversion'] as ScenarioName[]) : SCENARIOS,
      seed: int('seed', values.seed, 0) ?? 1,
      impostorPairs: int('impostors', values.impostors, 1) ?? (sweep ? 300_000 : 1_000_000),
      centring: values.centring === undefined ? 'auto' : oneOf('centring', String(values.centring), CENTRING_PROTOCOLS as readonly CentringProtocol[]),
      ...(strength === undefined ? {} : { centringStrength: strength }),
      strict: values.strict === true,
      stolenPairs: int('stolen-pairs', values['stolen-pairs'], 1) ?? 200_000,
      attackTargets: int('attack-targets', values['attack-targets'], 1) ?? (sweep ? 20 : 50),
      ...(attacks.length > 0 ? { attacks: attacks as AttackName[] } : sweep ? { attacks: 'cheapest' as const } : {}),
      geneticEvaluations: int('genetic-evaluations', values['genetic-evaluations'], 10) ?? 3000,
      feedbackTargets: int('feedback-targets', values['feedback-targets'], 1) ?? 20,
      feedbackQueries: int('feedback-queries', values['feedback-queries'], 1) ?? 10_000,
      ...(disclosures.length > 0 ? { feedbackDisclosures: disclosures } : {}),
      ...(feedbackFmr === undefined ? {} : { feedbackFmr }),
      ...(values.threads === undefined ? {} : { threads: int('threads', values.threads, 1)! }),
      onProgress: (done, total, label) => io.progress(done, total, label),
    };
    const command = commandLine(positionals[0]!, values);
    if (values.tune === true) return runTune(set, values, opts, command, io);
    if (list(values.scheme).includes(KEY_BINDING)) {
      const kb = evaluateKeyBinding(set, {
        m: int('binding-m', values['binding-m'], 1) ?? DEFAULT_BINDING_CODE.m, r: int('binding-r', values['binding-r'], 1) ?? DEFAULT_BINDING_CODE.r,
        seed: opts.seed, impostorPairs: opts.impostorPairs, centring: opts.centring, ...(strength === undefined ? {} : { centringStrength: strength }),
        onProgress: (done, total, label) => io.progress(done, total, `${KEY_BINDING}: ${label}`),
      });
      const report = keyBindingReport(kb, command);
      if (typeof values.out === 'string') {
        mkdirSync(values.out, { recursive: true });
        writeFileSync(join(values.out, 'key-binding.json'), JSON.stringify(kb, null, 1) + '\n');
        writeFileSync(join(values.out, 'key-binding.md'), report);
      }
      if (values.json === true) io.out(JSON.stringify(kb));
      else io.out(report);
      if (opts.params!.length === 0) return 0;
    }
    await init();
    const result = await evaluate(set, opts);
    if (typeof values.out === 'string') {
      mkdirSync(values.out, { recursive: true });
      writeFileSync(join(values.out, 'result.json'), JSON.stringify(result, null, 1) + '\n');
      writeFileSync(join(values.out, 'report.md'), markdownReport(result, command));
      writeFileSync(join(values.out, 'det.svg'), detSvg(result));
      for (const sys of [result.raw, ...result.systems])
        for (const [suffix, svg] of Object.entries(scoreSvgs(sys))) writeFileSync(join(values.out, `scores-${sys.label.replace(/[^a-z0-9]+/gi, '-')}-${suffix}.svg`), svg);
    }
    if (values.json === true) io.out(JSON.stringify(result));
    else io.out(sweepTable(result) + (typeof values.out === 'string' ? `\n\nreport, JSON and plots in ${values.out}` : ''));
    return 0;
  },
};
