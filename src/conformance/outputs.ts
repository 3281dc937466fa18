// A port's outputs file (vectors/README.md "Checking a port"): JSON lines
// {"file": "sign_v1.json", "tcId": 3, "output": <hex | number | object>} or {..., "error": "MALFORMED"}.
import type { Outcome } from './outcome.js';
import type { JsonValue } from './types.js';

/** Outcomes by file name, then tcId. */
export type PortOutputs = Map<string, Map<number, Outcome>>;

/** Error names a port may report, besides TemplockError codes (upper-case words). */
const ERROR_NAME = /^(TypeError|RangeError|[A-Z][A-Z0-9_]*)$/;

/**
 * Parses an outputs file. An "output" string that is an error name (e.g. "MALFORMED") counts as
 * that error. Throws RangeError naming the line of a malformed or duplicate entry.
 * @example
 * import { parseOutputs, verifyVectorDir, defaultVectorsDir } from 'templock/conformance';
 * const report = verifyVectorDir(defaultVectorsDir(), parseOutputs(readFileSync('port.jsonl', 'utf8')));
 */
export function parseOutputs(text: string): PortOutputs {
  const byFile: PortOutputs = new Map();
  const lines = text.split('\n');
  for (let n = 0; n < lines.length; n++) {
    const line = lines[n]!.trim();
    if (line === '') continue;
    let rec: { file?: unknown; tcId?: unknown; output?: JsonValue; error?: unknown };
    try { rec = JSON.parse(line) as typeof rec; } catch { throw new RangeError(`outputs line ${n + 1}: not JSON`); }
    if (typeof rec !== 'object' || rec === null) throw new RangeError(`outputs line ${n + 1}: expected an object`);
    if (typeof rec.file !== 'string' || !Number.isSafeInteger(rec.tcId)) throw new RangeError(`outputs line ${n + 1}: expected "file" (string) and "tcId" (integer)`);
    let outcome: Outcome;
    if (typeof rec.error === 'string') outcome = { error: rec.error };
    else if (rec.output === undefined) throw new RangeError(`outputs line ${n + 1}: expected "output" or "error"`);
    else if (typeof rec.output === 'string' && ERROR_NAME.test(rec.output)) outcome = { error: rec.output };
    else outcome = { output: rec.output };
    const file = byFile.get(rec.file) ?? new Map<number, Outcome>();
    byFile.set(rec.file, file);
    if (file.has(rec.tcId as number)) throw new RangeError(`outputs line ${n + 1}: duplicate entry for ${rec.file} tcId ${String(rec.tcId)}`);
    file.set(rec.tcId as number, outcome);
  }
  return byFile;
}

/**
 * One line of an outputs file (vectors/README.md "Checking a port").
 * @example
 * import { formatOutputLine } from 'templock/conformance';
 * formatOutputLine('compare_v1.json', 1, { output: 1 }); // '{"file":"compare_v1.json","tcId":1,"output":1}'
 */
export function formatOutputLine(file: string, tcId: number, outcome: Outcome): string {
  return JSON.stringify({ file, tcId, ...outcome });
}
