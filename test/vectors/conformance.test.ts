// Every published vector file runs through this implementation and passes; the files follow
// their JSON schemas and cover what SPEC.md promises; a port's outputs file is compared test by
// test, and every kind of disagreement is reported.
import { Validator } from '@cfworker/json-schema';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { protectChecker } from '../../src/conformance/checkers/protect.js';
import {
  checkerFor, emptyReport, envelopeProblems, f32FromHex, fromHex, mismatch, parseOutputs, runOutcome, toHex, verifyFile, verifyVectorDir,
  type VectorChecker, type VectorFile, type VectorTest,
} from '../../src/conformance/index.js';
import { encodeTemplate, protectAll, type ProtectParams } from '../../src/index.js';
import { perfectOutputs, tempCopy, VECTORS, vectorFiles } from './_files.js';

const files = vectorFiles();
const tests = (f: VectorFile): VectorTest[] => f.testGroups.flatMap((g) => g.tests);

for (const { name, file } of files) {
  test(`${name}: every test passes through this implementation`, () => {
    const report = emptyReport();
    verifyFile(name, file, report);
    assert.equal(report.failures, []);
    assert.is(report.passed, file.numberOfTests);
  });
}

test('another code path can be verified through an outcome source: protectAll with an extra salt', () => {
  const viaProtectAll: VectorChecker = {
    ...protectChecker,
    run(g, t) {
      const params = { ...(g.params as object), ...(g.mean === undefined ? {} : { mean: f32FromHex(g.mean) }) } as ProtectParams;
      const salts = [fromHex(t.salt), new Uint8Array(16)];
      return toHex(encodeTemplate(protectAll(f32FromHex(t.embedding), params, fromHex(t.key), salts)[0]!));
    },
  };
  for (const { name, file } of files.filter((f) => f.file.schema === protectChecker.schema)) {
    const report = emptyReport();
    verifyFile(name, file, report, (_f, g, t) => runOutcome(viaProtectAll, g, t));
    assert.equal(report.failures, []);
    assert.is(report.passed, file.numberOfTests);
  }
});

test('every vector file is valid against its JSON schema in vectors/schema', () => {
  const dir = join(VECTORS, 'schema');
  const load = (f: string) => JSON.parse(readFileSync(join(dir, f), 'utf8')) as Record<string, unknown>;
  const schemas = readdirSync(dir).filter((f) => f.endsWith('.schema.json'));
  for (const { name, file } of files) {
    assert.ok(schemas.includes(file.schema), `${name}: schema ${file.schema} missing`);
    const v = new Validator(load(file.schema) as never, '2020-12', false);
    v.addSchema(load('envelope.schema.json') as never);
    const r = v.validate(file);
    assert.ok(r.valid, `${name}: ${r.errors.slice(0, 3).map((e) => `${e.instanceLocation} ${e.error}`).join('; ')}`);
  }
});

test('the schemas reject a valid test without its output and an invalid one without its error', () => {
  const dir = join(VECTORS, 'schema');
  const v = new Validator(JSON.parse(readFileSync(join(dir, 'compare_v1.schema.json'), 'utf8')), '2020-12');
  v.addSchema(JSON.parse(readFileSync(join(dir, 'envelope.schema.json'), 'utf8')));
  const base = { algorithm: 'x', schema: 'compare_v1.schema.json', numberOfTests: 1, notes: {} };
  const one = (t: object) => ({ ...base, testGroups: [{ type: 'CompareTest', tests: [{ tcId: 1, comment: '', flags: [], a: '00', b: '00', ...t }] }] });
  assert.ok(v.validate(one({ result: 'valid', score: 0.5 })).valid);
  assert.not.ok(v.validate(one({ result: 'valid' })).valid);
  assert.not.ok(v.validate(one({ result: 'invalid', score: 0.5 })).valid);
  assert.not.ok(v.validate(one({ result: 'invalid', error: 'MALFORMED', a: 'ABC' })).valid);
});

test('coverage: >= 120 valid transform cases over three schemes, dims 128 and 512, centred; >= 30 invalid', () => {
  const byName = new Map(files.map((f) => [f.name, f.file]));
  let valid = 0;
  for (const n of ['iom_grp_v1.json', 'iom_urp_v1.json', 'sign_v1.json']) {
    const f = byName.get(n)!;
    const groups = f.testGroups.filter((g) => g.tests.some((t) => t.result === 'valid'));
    const dims = new Set(groups.map((g) => (g.params as { dim: number }).dim));
    assert.ok(dims.has(128) && dims.has(512), n);
    assert.ok(groups.some((g) => g.mean !== undefined), `${n}: a centred group`);
    const flags = new Set(tests(f).flatMap((t) => t.flags));
    for (const flag of ['OneHot', 'ProjectionTie', 'NegativeZero', 'Subnormal', 'LargeMagnitude', 'SmallMagnitude', 'QuantisationTie', 'Centred', 'Cancellation', 'Float64Centring', 'InvalidParameters', 'InvalidEmbedding'])
      assert.ok(flags.has(flag), `${n}: ${flag}`);
    valid += tests(f).filter((t) => t.result === 'valid').length;
  }
  assert.ok(valid >= 120, `${valid} valid transform cases`);
  const invalid = files.flatMap((f) => tests(f.file)).filter((t) => t.result === 'invalid');
  assert.ok(invalid.length >= 30, `${invalid.length} invalid cases`);
  const errors = new Set(invalid.map((t) => t.error));
  for (const e of ['TypeError', 'RangeError', 'MALFORMED', 'UNSUPPORTED_VERSION', 'INCOMPATIBLE']) assert.ok(errors.has(e), e);
  assert.ok(tests(byName.get('compare_v1.json')!).some((t) => t.flags.includes('WrongKey') && t.error === 'INCOMPATIBLE'));
});

test('envelope problems are reported: count, duplicate tcId, unknown flag, missing output or error, unknown schema', () => {
  const { name, file } = files.find((f) => f.name === 'compare_v1.json')!;
  const checker = checkerFor(file)!;
  const [g0] = file.testGroups;
  const [t1, t2] = g0!.tests;
  const broken: VectorFile = {
    ...file,
    numberOfTests: 3,
    testGroups: [{ ...g0!, tests: [t1!, { ...t2!, tcId: t1!.tcId, flags: ['NoSuchFlag'] }, { ...t2!, tcId: 99, score: undefined }] }],
  };
  const problems = envelopeProblems(broken, checker).join('\n');
  for (const p of [`tcId ${t1!.tcId} is not a fresh`, 'flag NoSuchFlag is not described', 'tcId 99: valid test without "score"']) assert.match(problems, p);
  assert.not.match(problems, 'numberOfTests');
  assert.match(envelopeProblems({ ...file, numberOfTests: 1 }, checker).join('\n'), `numberOfTests is 1, the file holds ${file.numberOfTests} tests`);
  const report = emptyReport();
  verifyFile(name, { ...file, schema: 'nope.schema.json' }, report);
  assert.equal(report.failures, [{ file: name, tcId: 0, reason: 'no checker for schema "nope.schema.json"' }]);
});

test('a perfect port\'s outputs pass; wrong, missing and extra outcomes each fail by name', () => {
  const names = ['compare_v1.json', 'template_v1.json'];
  const dir = tempCopy(names);
  const picked = files.filter((f) => names.includes(f.name));
  const lines = perfectOutputs(picked);
  const total = picked.reduce((s, f) => s + f.file.numberOfTests, 0);
  const good = verifyVectorDir(dir, parseOutputs(lines.join('\n')));
  assert.equal([good.passed, good.failed, good.skippedFiles], [total, 0, []]);

  const edited = lines.map((l) => JSON.parse(l) as { file: string; tcId: number; output?: unknown; error?: string });
  const at = (file: string, tcId: number) => edited.findIndex((r) => r.file === file && r.tcId === tcId);
  edited[at('compare_v1.json', 2)]!.output = 0.5; // a wrong score
  edited[at('compare_v1.json', 3)] = { file: 'compare_v1.json', tcId: 3, output: 'MALFORMED' }; // an error where a score is due
  edited[at('template_v1.json', 1)]!.output = { ...(edited[at('template_v1.json', 1)]!.output as object), salt: '00' };
  const lastInvalid = tests(picked[1]!.file).filter((t) => t.result === 'invalid').at(-1)!;
  edited[at('template_v1.json', lastInvalid.tcId)] = { file: 'template_v1.json', tcId: lastInvalid.tcId, error: 'UNSUPPORTED_VERSION' };
  edited.splice(at('template_v1.json', 2), 1); // a missing outcome
  edited.push({ file: 'template_v1.json', tcId: 999, output: '' }, { file: 'other.json', tcId: 1, output: '' });
  const bad = verifyVectorDir(dir, parseOutputs(edited.map((r) => JSON.stringify(r)).join('\n')));
  const lines2 = bad.failures.map((f) => `${f.file} ${f.tcId} ${f.reason}`).join('\n');
  assert.is(bad.failed, 7, lines2);
  assert.is(bad.passed, total - 5);
  assert.match(lines2, 'compare_v1.json 2 genuine, eps 0.1: value: expected 0.875, got 0.5');
  assert.match(lines2, 'compare_v1.json 3 genuine, eps 0.3: expected an output, got error MALFORMED');
  assert.match(lines2, 'template_v1.json 1 IoM-GRP, dim 128, m 64, q 8: salt: 16 bytes expected, got 1 byte, first difference at byte 0');
  assert.match(lines2, `template_v1.json ${lastInvalid.tcId} ${lastInvalid.comment}: expected error MALFORMED, got error UNSUPPORTED_VERSION`);
  assert.match(lines2, 'template_v1.json 2 no outcome for this test in the outputs file');
  assert.match(lines2, 'template_v1.json 999 outputs name a test that is not in this file');
  assert.match(lines2, 'other.json 0 outputs name a file that is not in the vectors directory');

  const partial = verifyVectorDir(dir, parseOutputs(lines.filter((l) => l.includes('compare_v1')).join('\n')));
  assert.equal(partial.skippedFiles, ['template_v1.json']);
  assert.is(partial.failed, 0);
});

test('mismatch lines name the difference without dumping values', () => {
  const long = 'ab'.repeat(300);
  assert.is(mismatch({ output: long }, { output: long.toUpperCase() }), 'value: hex must be lower-case');
  assert.is(mismatch({ output: long }, { output: 'x'.repeat(600) }), 'value: expected 300 bytes, got a string of 600 characters');
  assert.is(mismatch({ output: { a: '00', b: 1 } }, { output: { b: 1 } }), 'a: missing');
  assert.is(mismatch({ output: [1, 2] }, { output: [1, 3] }), '1: expected 2, got 3');
  assert.is(mismatch({ output: 0.5 }, { output: 0.5 }), undefined);
  assert.is(mismatch({ error: 'RangeError' }, { output: '00' }), 'expected error RangeError, got an output (1 byte)');
});

test('parseOutputs rejects a malformed or duplicate line with its line number', () => {
  assert.throws(() => parseOutputs('{"file":"a.json","tcId":1,"output":"00"}\nnot json'), (e: Error) => e instanceof RangeError && /line 2/.test(e.message));
  assert.throws(() => parseOutputs('{"file":"a.json","tcId":1}'), /line 1: expected "output" or "error"/);
  assert.throws(() => parseOutputs('{"file":"a.json","tcId":"1","output":1}'), /line 1/);
  assert.throws(() => parseOutputs('{"file":"a.json","tcId":1,"output":1}\n\n{"file":"a.json","tcId":1,"output":1}'), /line 3: duplicate/);
  const parsed = parseOutputs('{"file":"a.json","tcId":1,"output":"RangeError"}\n{"file":"a.json","tcId":2,"output":"0aff"}\n');
  assert.equal(parsed.get('a.json')!.get(1), { error: 'RangeError' });
  assert.equal(parsed.get('a.json')!.get(2), { output: '0aff' });
});

test.run();
