// The reader of PostgreSQL's binary COPY format (COPY … TO STDOUT (FORMAT binary)): the 11-byte
// signature, flags and header extension, then tuples of length-prefixed fields, then -1. Turns a
// stream of chunks into batches of rows, each row its fields' bytes (null for SQL NULL), without
// copying field bytes out of the chunks they arrived in.
import { TemplockError } from '../../errors.js';

const SIGNATURE = Buffer.from('PGCOPY\n\xff\r\n\0', 'latin1');

/** A row of the COPY output: one Buffer per field, null for SQL NULL. */
export type _CopyRow = Array<Buffer | null>;

function malformed(why: string): TemplockError {
  return new TemplockError('STORAGE_FAILED', `storage: PostgreSQL binary COPY ${why}`);
}

/**
 * Batches of at most `batch` rows of a binary COPY stream.
 * @throws TemplockError STORAGE_FAILED when the stream is not binary COPY or ends early.
 */
export async function* _copyRows(chunks: AsyncIterable<Buffer>, batch: number): AsyncGenerator<_CopyRow[]> {
  let buf: Buffer = Buffer.alloc(0);
  let at = 0;
  let header = true;
  let rows: _CopyRow[] = [];
  for await (const chunk of chunks) {
    buf = at < buf.length ? Buffer.concat([buf.subarray(at), chunk]) : chunk;
    at = 0;
    if (header) {
      if (buf.length < 19) continue;
      if (!buf.subarray(0, 11).equals(SIGNATURE)) throw malformed('signature missing');
      const extension = buf.readUInt32BE(15);
      if (buf.length < 19 + extension) continue;
      at = 19 + extension;
      header = false;
    }
    for (;;) {
      if (buf.length - at < 2) break;
      const fields = buf.readInt16BE(at);
      if (fields === -1) {
        if (rows.length > 0) yield rows;
        return;
      }
      let p = at + 2;
      const row: _CopyRow = [];
      for (let f = 0; f < fields; f++) {
        if (buf.length - p < 4) break;
        const n = buf.readInt32BE(p);
        p += 4;
        if (n === -1) { row.push(null); continue; }
        if (buf.length - p < n) break;
        row.push(buf.subarray(p, p + n));
        p += n;
      }
      if (row.length < fields) break; // the tuple continues in the next chunk
      at = p;
      rows.push(row);
      if (rows.length >= batch) {
        yield rows;
        rows = [];
      }
    }
  }
  throw malformed('ended before its trailer');
}
