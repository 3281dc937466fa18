// Readers of labelled embeddings: folder layout, .npy + labels, CSV, and their errors.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { centringSplit, readCsv, readEmbeddingDir, readEmbeddings, readNpy } from '../../src/eval/index.js';

const dir = mkdtempSync(join(tmpdir(), 'templock-readers-'));
const rows = [[1, 2, 3], [4, 5, 6], [7, 8, 9.5], [-1, 0.25, 2]];
const names = ['ann', 'ann', 'bob', 'bob'];

function f32(values: number[][]): Uint8Array {
  const b = new Uint8Array(values.length * values[0]!.length * 4);
  const dv = new DataView(b.buffer);
  values.flat().forEach((v, i) => dv.setFloat32(i * 4, v, true));
  return b;
}

function npy(values: number[][], dtype: '<f4' | '<f8'): Uint8Array {
  let header = `{'descr': '${dtype}', 'fortran_order': False, 'shape': (${values.length}, ${values[0]!.length}), }`;
  header += ' '.repeat(63 - ((10 + header.length) % 64)) + '\n';
  const width = dtype === '<f4' ? 4 : 8;
  const out = new Uint8Array(10 + header.length + values.length * values[0]!.length * width);
  out.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0]);
  new DataView(out.buffer).setUint16(8, header.length, true);
  out.set(new TextEncoder().encode(header), 10);
  const dv = new DataView(out.buffer, 10 + header.length);
  values.flat().forEach((v, i) => (width === 4 ? dv.setFloat32(i * 4, v, true) : dv.setFloat64(i * 8, v, true)));
  return out;
}

function folder(name: string, bytes: Uint8Array, meta: object): string {
  const p = join(dir, name);
  mkdirSync(p, { recursive: true });
  writeFileSync(join(p, 'embeddings.f32'), bytes);
  writeFileSync(join(p, 'meta.json'), JSON.stringify(meta));
  return p;
}

const meta = { dim: 3, n: 4, labels: ['ann', 'bob'], rows: [['a/1.jpg', 0], ['a/2.jpg', 0], ['b/1.jpg', 1], ['b/2.jpg', 1]] };

test('folder layout: embeddings.f32 + meta.json', () => {
  const s = readEmbeddings(folder('ok', f32(rows), meta));
  assert.is(s.count, 4); assert.is(s.dim, 3); assert.is(s.name, 'ok');
  assert.equal([...s.labels], [0, 0, 1, 1]);
  assert.equal([...s.vectors.subarray(6, 9)], [7, 8, 9.5]);
});

test('folder layout errors: wrong size, missing label, NaN row', () => {
  assert.throws(() => readEmbeddingDir(folder('short', f32(rows).subarray(4), meta)), (e: Error) => e instanceof RangeError && /expected 48 bytes \(4 x 3 float32\), got 44/.test(e.message));
  assert.throws(() => readEmbeddingDir(folder('nolabel', f32(rows), { ...meta, rows: [...meta.rows.slice(0, 3), ['b/2.jpg', 7]] })), (e: Error) => e instanceof RangeError && /row 3 has no identity/.test(e.message));
  assert.throws(() => readEmbeddingDir(folder('nan', f32([rows[0]!, [1, Number.NaN, 2], rows[2]!, rows[3]!]), meta)), (e: Error) => e instanceof RangeError && /non-finite value in row 1/.test(e.message));
  assert.throws(() => readEmbeddingDir(folder('count', f32(rows), { ...meta, n: 5 })), RangeError);
});

test('.npy float32 and float64 with a labels file', () => {
  writeFileSync(join(dir, 'labels.txt'), names.join('\n') + '\n');
  for (const dtype of ['<f4', '<f8'] as const) {
    writeFileSync(join(dir, `e${dtype.slice(1)}.npy`), npy(rows, dtype));
    const s = readNpy(join(dir, `e${dtype.slice(1)}.npy`), join(dir, 'labels.txt'));
    assert.is(s.count, 4); assert.is(s.dim, 3);
    assert.equal(s.identities, ['ann', 'bob']);
    assert.is(s.vectors[8], 9.5);
  }
});

test('.npy errors: labels count, empty label, truncated data, no labels file', () => {
  const p = join(dir, 'ef4.npy');
  writeFileSync(join(dir, 'three.txt'), 'ann\nann\nbob\n');
  assert.throws(() => readNpy(p, join(dir, 'three.txt')), (e: Error) => /expected 4 lines \(one per row\), got 3/.test(e.message));
  writeFileSync(join(dir, 'gap.txt'), 'ann\n\nbob\nbob\n');
  assert.throws(() => readNpy(p, join(dir, 'gap.txt')), (e: Error) => /row 1 has no identity/.test(e.message));
  writeFileSync(join(dir, 'cut.npy'), npy(rows, '<f4').subarray(0, 100));
  assert.throws(() => readNpy(join(dir, 'cut.npy'), join(dir, 'labels.txt')), RangeError);
  assert.throws(() => readEmbeddings(p), TypeError);
});

test('CSV with a header; errors for NaN, missing identity, ragged rows', () => {
  const p = join(dir, 'e.csv');
  writeFileSync(p, 'who,a,b,c\n' + rows.map((r, i) => [names[i], ...r].join(',')).join('\n') + '\n');
  const s = readCsv(p);
  assert.is(s.count, 4); assert.is(s.dim, 3); assert.is(s.vectors[11], 2);
  writeFileSync(p, 'ann,1,2,3\nann,1,NaN,3\n');
  assert.throws(() => readCsv(p), (e: Error) => /non-numeric value in row 1/.test(e.message));
  writeFileSync(p, 'ann,1,2,3\n,1,2,3\n');
  assert.throws(() => readCsv(p), (e: Error) => /row 1 has no identity/.test(e.message));
  writeFileSync(p, 'ann,1,2,3\nbob,1,2\n');
  assert.throws(() => readCsv(p), (e: Error) => /row 1 expected 4 fields, got 3/.test(e.message));
});

test('fewer than two samples per identity: strict error, or too few evaluable identities', () => {
  const s = readEmbeddings(folder('single', f32([...rows, [0, 1, 1]]), { ...meta, n: 5, labels: ['ann', 'bob', 'cy'], rows: [...meta.rows, ['c/1.jpg', 2]] }));
  assert.throws(() => centringSplit(s, 'split', 1, true), (e: Error) => e instanceof RangeError && /at least 2 samples per identity, got 1 identities with 1 sample \(e.g. "cy"\)/.test(e.message));
  const lone = readEmbeddings(folder('lone', f32(rows), { ...meta, labels: ['ann', 'bob', 'cy', 'dee'], rows: meta.rows.map((r, i) => [r[0], i]) }));
  assert.throws(() => centringSplit(lone, 'none', 1), (e: Error) => /at least 2 evaluated identities with 2 or more samples, got 0/.test(e.message));
});

test.run();
