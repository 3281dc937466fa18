// Child process of the determinism suite: reads protection requests (JSON lines of hex
// embedding, key, salt and parameters) on stdin and prints each template's bytes as hex.
import { createInterface } from 'node:readline';
import { encodeTemplate, protect, type ProtectParams } from '../../src/index.js';
import { hex, unhex } from './_fixtures.js';

interface Request { embedding: string; key: string; salt: string; params: ProtectParams }

for await (const line of createInterface({ input: process.stdin })) {
  if (line.trim() === '') continue;
  const r = JSON.parse(line) as Request;
  const e = unhex(r.embedding);
  const embedding = new Float32Array(e.buffer, e.byteOffset, e.byteLength / 4);
  process.stdout.write(hex(encodeTemplate(protect(embedding, r.params, unhex(r.key), unhex(r.salt)))) + '\n');
}
