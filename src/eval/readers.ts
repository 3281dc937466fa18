// Readers of labelled embedding sets (docs/EVALUATION.md "Inputs"): the folder layout of
// embeddings.f32 + meta.json, NumPy .npy (float32/float64, C order, N x D) plus a labels file
// with one identity per line, and CSV (identity in the first column, then D values).
import { readFileSync, statSync } from 'node:fs';
import { basename, extname, join } from 'node:path';
import { _fromLabelled, checkEmbeddingSet, type EmbeddingSet } from './dataset.js';

interface Meta { dim?: unknown; n?: unknown; labels?: unknown; rows?: unknown; files?: unknown }

/**
 * Reads a folder holding `embeddings.f32` (float32 little-endian, N x D, no header) and
 * `meta.json` (`dim`, `n`, `labels`: identity names, `rows`: per row `[file, labelIndex, ...]`).
 * @example
 * import { readEmbeddingDir } from 'templock/eval';
 * const set = readEmbeddingDir('../shared/data/lfw-faceapi128');
 */
export function readEmbeddingDir(dir: string): EmbeddingSet {
  const meta = JSON.parse(readFileSync(join(dir, 'meta.json'), 'utf8')) as Meta;
  const dim = meta.dim, n = meta.n;
  if (typeof dim !== 'number' || !Number.isSafeInteger(dim) || dim < 1) throw new RangeError('"meta.json" expected a positive integer "dim"');
  if (typeof n !== 'number' || !Number.isSafeInteger(n) || n < 1) throw new RangeError('"meta.json" expected a positive integer "n"');
  if (!Array.isArray(meta.labels) || !meta.labels.every((l) => typeof l === 'string')) throw new TypeError('"meta.json" expected "labels" as an array of identity names');
  if (!Array.isArray(meta.rows)) throw new TypeError('"meta.json" expected "rows" as an array');
  if (meta.rows.length !== n) throw new RangeError(`"meta.json" expected ${n} rows, got ${meta.rows.length}`);
  const file = join(dir, 'embeddings.f32');
  const bytes = readFileSync(file);
  if (bytes.length !== n * dim * 4)
    throw new RangeError(`"embeddings.f32" expected ${n * dim * 4} bytes (${n} x ${dim} float32), got ${bytes.length}`);
  const vectors = new Float32Array(n * dim);
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  for (let i = 0; i < n * dim; i++) vectors[i] = dv.getFloat32(i * 4, true);
  const labels = new Int32Array(n);
  meta.rows.forEach((r: unknown, i) => {
    const l = Array.isArray(r) ? r[1] : undefined;
    labels[i] = typeof l === 'number' && Number.isSafeInteger(l) ? l : -1;
  });
  return checkEmbeddingSet({ name: basename(dir), dim, count: n, vectors, labels, identities: meta.labels as string[] });
}

/** Parses the header of a .npy file: float dtype, C order, two-dimensional shape. */
function npyHeader(bytes: Uint8Array): { dtype: '<f4' | '<f8'; rows: number; cols: number; offset: number } {
  const magic = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59];
  if (bytes.length < 10 || magic.some((b, i) => bytes[i] !== b)) throw new RangeError('".npy" expected the NumPy magic bytes \\x93NUMPY');
  const major = bytes[6]!;
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const lenBytes = major === 1 ? 2 : 4;
  const headerLen = major === 1 ? dv.getUint16(8, true) : dv.getUint32(8, true);
  const start = 8 + lenBytes;
  const header = new TextDecoder('latin1').decode(bytes.subarray(start, start + headerLen));
  const descr = /'descr':\s*'([^']+)'/.exec(header)?.[1];
  if (descr !== '<f4' && descr !== '<f8') throw new RangeError(`".npy" expected dtype <f4 or <f8, got ${descr ?? 'none'}`);
  if (!/'fortran_order':\s*False/.test(header)) throw new RangeError('".npy" expected C order (fortran_order False)');
  const shape = /'shape':\s*\(([^)]*)\)/.exec(header)?.[1]?.split(',').map((s) => s.trim()).filter((s) => s.length > 0).map(Number);
  if (!shape || shape.length !== 2 || !shape.every((x) => Number.isSafeInteger(x) && x > 0))
    throw new RangeError(`".npy" expected a two-dimensional shape (rows, dim), got (${shape?.join(', ') ?? ''})`);
  return { dtype: descr, rows: shape[0]!, cols: shape[1]!, offset: start + headerLen };
}

/** Identity names, one per non-empty line. */
function readLabelLines(path: string): string[] {
  const lines = readFileSync(path, 'utf8').split(/\r?\n/).map((l) => l.trim());
  if (lines.at(-1) === '') lines.pop();
  return lines;
}

/**
 * Reads an N x D .npy array (float32 or float64, little-endian, C order) and a labels file with
 * one identity name per line (line i labels row i).
 * @example
 * import { readNpy } from 'templock/eval';
 * const set = readNpy('embeddings.npy', 'labels.txt');
 */
export function readNpy(path: string, labelsPath: string): EmbeddingSet {
  const bytes = readFileSync(path);
  const h = npyHeader(bytes);
  const width = h.dtype === '<f4' ? 4 : 8;
  const need = h.offset + h.rows * h.cols * width;
  if (bytes.length !== need) throw new RangeError(`".npy" expected ${need} bytes for shape (${h.rows}, ${h.cols}), got ${bytes.length}`);
  const dv = new DataView(bytes.buffer, bytes.byteOffset + h.offset, h.rows * h.cols * width);
  const vectors = new Float32Array(h.rows * h.cols);
  for (let i = 0; i < vectors.length; i++) vectors[i] = width === 4 ? dv.getFloat32(i * 4, true) : dv.getFloat64(i * 8, true);
  const names = readLabelLines(labelsPath);
  if (names.length !== h.rows) throw new RangeError(`"labels" expected ${h.rows} lines (one per row), got ${names.length}`);
  const empty = names.findIndex((n) => n.length === 0);
  if (empty >= 0) throw new RangeError(`"labels" row ${empty} has no identity (empty line)`);
  return _fromLabelled(basename(path, extname(path)), h.cols, vectors, names);
}

/**
 * Reads a CSV file: each row is `identity,v1,...,vD`; a first line whose second field is not a
 * number is taken as a header.
 * @example
 * import { readCsv } from 'templock/eval';
 * const set = readCsv('embeddings.csv');
 */
export function readCsv(path: string): EmbeddingSet {
  const lines = readFileSync(path, 'utf8').split(/\r?\n/).filter((l) => l.trim().length > 0);
  if (lines.length > 0 && Number.isNaN(Number(lines[0]!.split(',')[1]))) lines.shift();
  if (lines.length === 0) throw new RangeError('"csv" expected at least one data row, got none');
  const dim = lines[0]!.split(',').length - 1;
  if (dim < 1) throw new RangeError('"csv" expected an identity column and at least one value column');
  const vectors = new Float32Array(lines.length * dim);
  const names: string[] = [];
  lines.forEach((line, i) => {
    const f = line.split(',');
    if (f.length !== dim + 1) throw new RangeError(`"csv" row ${i} expected ${dim + 1} fields, got ${f.length}`);
    const name = f[0]!.trim();
    if (name.length === 0) throw new RangeError(`"csv" row ${i} has no identity (empty first field)`);
    names.push(name);
    for (let k = 0; k < dim; k++) {
      const s = f[k + 1]!.trim();
      const v = s.length === 0 ? Number.NaN : Number(s);
      if (!Number.isFinite(v)) throw new RangeError(`"csv" expected finite values, got a non-finite or non-numeric value in row ${i}`);
      vectors[i * dim + k] = v;
    }
  });
  return _fromLabelled(basename(path, extname(path)), dim, vectors, names);
}

/**
 * Reads an embedding set by what `path` is: a folder (embeddings.f32 + meta.json), a .npy file
 * (needs `labelsPath`) or a .csv file.
 * @example
 * import { readEmbeddings } from 'templock/eval';
 * const set = readEmbeddings('../shared/data/lfw-faceapi128');
 */
export function readEmbeddings(path: string, labelsPath?: string): EmbeddingSet {
  if (statSync(path).isDirectory()) return readEmbeddingDir(path);
  const ext = extname(path).toLowerCase();
  if (ext === '.npy') {
    if (labelsPath === undefined) throw new TypeError('".npy" input expected a labels file (one identity per line)');
    return readNpy(path, labelsPath);
  }
  if (ext === '.csv') return readCsv(path);
  throw new RangeError(`"path" expected a folder, a .npy or a .csv file, got ${ext || 'no extension'}`);
}
