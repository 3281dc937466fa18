// SVG plots of an evaluation (docs/EVALUATION.md "Outputs"), written by hand with no plotting
// dependency: the DET curve (both axes on the normal-deviate scale) and score distributions.
import type { EvaluationResult, SystemResult } from './evaluate.js';
import type { OperatingPoint } from './metrics.js';
import type { ScoreHistogram } from './summary.js';

const W = 640, H = 480, LEFT = 70, RIGHT = 20, TOP = 40, BOTTOM = 60;
const COLOURS = ['#000000', '#1f77b4', '#d62728', '#2ca02c', '#9467bd', '#ff7f0e', '#8c564b', '#e377c2', '#17becf', '#7f7f7f'];

/**
 * Inverse of the standard normal CDF (rational approximation, relative error < 1.2e-9): the DET axis scale.
 * @example
 * import { probit } from 'templock/eval';
 * probit(0.975); // 1.95996...
 */
export function probit(p: number): number {
  const a = [-39.69683028665376, 220.9460984245205, -275.9285104469687, 138.357751867269, -30.66479806614716, 2.506628277459239];
  const b = [-54.47609879822406, 161.5858368580409, -155.6989798598866, 66.80131188771972, -13.28068155288572];
  const c = [-0.007784894002430293, -0.3223964580411365, -2.400758277161838, -2.549732539343734, 4.374664141464968, 2.938163982698783];
  const e = [0.007784695709041462, 0.3224671290700398, 2.445134137142996, 3.754408661907416];
  const tail = (q: number) => (((((c[0]! * q + c[1]!) * q + c[2]!) * q + c[3]!) * q + c[4]!) * q + c[5]!) / ((((e[0]! * q + e[1]!) * q + e[2]!) * q + e[3]!) * q + 1);
  if (p < 0.02425) return tail(Math.sqrt(-2 * Math.log(p)));
  if (p > 1 - 0.02425) return -tail(Math.sqrt(-2 * Math.log(1 - p)));
  const q = p - 0.5, r = q * q;
  return ((((((a[0]! * r + a[1]!) * r + a[2]!) * r + a[3]!) * r + a[4]!) * r + a[5]!) * q) / (((((b[0]! * r + b[1]!) * r + b[2]!) * r + b[3]!) * r + b[4]!) * r + 1);
}

function esc(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

interface Series { readonly name: string; readonly points: readonly (readonly [number, number])[]; readonly dashed?: boolean }

/** A line chart; `sx`/`sy` map data to [0, 1] of the plot area; ticks are [value, label]. */
function chart(title: string, xLabel: string, yLabel: string, series: readonly Series[], sx: (v: number) => number, sy: (v: number) => number,
  xTicks: readonly (readonly [number, string])[], yTicks: readonly (readonly [number, string])[]): string {
  const pw = W - LEFT - RIGHT, ph = H - TOP - BOTTOM;
  const X = (v: number) => LEFT + Math.min(1, Math.max(0, sx(v))) * pw;
  const Y = (v: number) => TOP + (1 - Math.min(1, Math.max(0, sy(v)))) * ph;
  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="sans-serif" font-size="12">`,
    `<rect width="${W}" height="${H}" fill="#ffffff"/>`,
    `<text x="${W / 2}" y="22" text-anchor="middle" font-size="14">${esc(title)}</text>`,
    `<rect x="${LEFT}" y="${TOP}" width="${pw}" height="${ph}" fill="none" stroke="#000000"/>`,
  ];
  for (const [v, l] of xTicks) out.push(`<line x1="${X(v).toFixed(1)}" y1="${TOP}" x2="${X(v).toFixed(1)}" y2="${TOP + ph}" stroke="#dddddd"/>`, `<text x="${X(v).toFixed(1)}" y="${TOP + ph + 16}" text-anchor="middle">${esc(l)}</text>`);
  for (const [v, l] of yTicks) out.push(`<line x1="${LEFT}" y1="${Y(v).toFixed(1)}" x2="${LEFT + pw}" y2="${Y(v).toFixed(1)}" stroke="#dddddd"/>`, `<text x="${LEFT - 6}" y="${(Y(v) + 4).toFixed(1)}" text-anchor="end">${esc(l)}</text>`);
  out.push(`<text x="${LEFT + pw / 2}" y="${H - 20}" text-anchor="middle">${esc(xLabel)}</text>`);
  out.push(`<text x="16" y="${TOP + ph / 2}" text-anchor="middle" transform="rotate(-90 16 ${TOP + ph / 2})">${esc(yLabel)}</text>`);
  series.forEach((s, i) => {
    const colour = COLOURS[i % COLOURS.length]!;
    const pts = s.points.map(([x, y]) => `${X(x).toFixed(1)},${Y(y).toFixed(1)}`).join(' ');
    out.push(`<polyline fill="none" stroke="${colour}" stroke-width="1.5"${s.dashed ? ' stroke-dasharray="5,3"' : ''} points="${pts}"/>`);
    const ly = TOP + 16 + i * 16;
    out.push(`<line x1="${LEFT + pw - 190}" y1="${ly - 4}" x2="${LEFT + pw - 165}" y2="${ly - 4}" stroke="${colour}" stroke-width="2"${s.dashed ? ' stroke-dasharray="5,3"' : ''}/>`,
      `<text x="${LEFT + pw - 160}" y="${ly}">${esc(s.name)}</text>`);
  });
  out.push('</svg>');
  return out.join('\n') + '\n';
}

const DET_TICKS: readonly (readonly [number, string])[] = [[1e-6, '0.0001%'], [1e-5, '0.001%'], [1e-4, '0.01%'], [1e-3, '0.1%'], [1e-2, '1%'], [0.05, '5%'], [0.2, '20%'], [0.5, '50%']];

/**
 * The DET curve of every system of a run (normal scenario per application; stolen token dashed),
 * on normal-deviate axes from 1e-6 to 0.5; operating points outside are left out.
 * @example
 * import { detSvg } from 'templock/eval';
 * writeFileSync('det.svg', detSvg(result));
 */
export function detSvg(result: EvaluationResult): string {
  const lo = probit(1e-6), hi = probit(0.5);
  const s = (v: number) => (probit(v) - lo) / (hi - lo);
  const inside = (pts: readonly OperatingPoint[]) => pts.filter((p) => p.fmr >= 1e-6 && p.fmr <= 0.5 && p.fnmr >= 1e-6 && p.fnmr <= 0.5).map((p) => [p.fmr, p.fnmr] as const);
  const series: Series[] = [];
  for (const sys of [result.raw, ...result.systems]) {
    if (sys.normalApplication) series.push({ name: sys.label, points: inside(sys.normalApplication.det) });
    if (sys.stolenToken) series.push({ name: `${sys.label} (stolen token)`, points: inside(sys.stolenToken.det), dashed: true });
  }
  return chart(`DET, ${result.dataset.name}`, 'FMR', 'FNMR', series, s, s, DET_TICKS, DET_TICKS);
}

function histogramSeries(h: ScoreHistogram): Series[] {
  return Object.entries(h.series).map(([name, v]) => ({ name, points: v.map((f, b) => [h.low + (b + 0.5) * h.width, f] as const) }));
}

function histogramChart(title: string, series: Series[]): string {
  const xs = series.flatMap((s) => s.points.map((p) => p[0])), ys = series.flatMap((s) => s.points.map((p) => p[1]));
  const x0 = Math.min(...xs), x1 = Math.max(...xs), y1 = Math.max(...ys, 1e-12);
  const ticks = (a: number, b: number) => Array.from({ length: 6 }, (_, i) => { const v = a + ((b - a) * i) / 5; return [v, v.toFixed(2)] as const; });
  return chart(title, 'score', 'fraction of comparisons per bin', series, (v) => (v - x0) / (x1 - x0 || 1), (v) => v / y1, ticks(x0, x1), ticks(0, y1));
}

/**
 * Score distributions of one system: one SVG per available scenario (normal, renewability,
 * unlinkability with the local D<->(s) scaled to the plot height), keyed by a file-name suffix.
 * @example
 * import { scoreSvgs } from 'templock/eval';
 * for (const [suffix, svg] of Object.entries(scoreSvgs(result.systems[0]))) writeFileSync(`scores-${suffix}.svg`, svg);
 */
export function scoreSvgs(sys: SystemResult): Record<string, string> {
  const out: Record<string, string> = {};
  if (sys.normalApplication) out.normal = histogramChart(`${sys.label}: genuine vs impostor scores`, histogramSeries(sys.normalApplication.histogram));
  if (sys.renewability) out.renewability = histogramChart(`${sys.label}: renewed (new salt) vs impostor scores`, histogramSeries(sys.renewability.histogram));
  if (sys.unlinkability) {
    const u = sys.unlinkability;
    const peak = Math.max(...u.matedHist, ...u.nonMatedHist);
    const at = (b: number) => u.binLow + (b + 0.5) * u.binWidth;
    out.unlinkability = histogramChart(`${sys.label}: unlinkability, D<->sys = ${u.dSys.toFixed(3)}`, [
      { name: 'mated (two applications)', points: u.matedHist.map((f, b) => [at(b), f] as const) },
      { name: 'non-mated', points: u.nonMatedHist.map((f, b) => [at(b), f] as const) },
      { name: 'local D<->(s) (x peak)', points: u.local.map((d, b) => [at(b), d * peak] as const), dashed: true },
    ]);
  }
  return out;
}
