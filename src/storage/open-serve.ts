// The worker side of the record-opening pool (open-pool.ts): opens batches of sealed records
// under the keys it is sent (README "Storage", SPEC.md §7). scripts/build-workers.mjs bundles
// this module with its dependencies into the self-contained worker program of
// open-worker.gen.ts, so a worker never loads the application or package it runs in.
import { isTemplockError, type ErrorCode } from '../errors.js';
import { _contextEncoder } from './context.js';
import { _wipeSealKey, type _SealKey } from './key-material.js';
import { _openRecordBytes, _parseRecord, _SaltIdMemo } from './record.js';

/** One batch for a worker: records with the index of their key, subjects and purposes. */
export interface _OpenRequest {
  readonly batch: number;
  /** Keys this worker has not received yet; appended to its key list. */
  readonly keys: readonly _SealKey[];
  /** Records concatenated; record i ends at ends[i]. */
  readonly records: Uint8Array;
  readonly ends: Uint32Array;
  readonly keyIndex: Uint32Array;
  readonly subjects: readonly string[];
  readonly purposes: readonly string[];
}

/** A worker's answer to one batch. */
export interface _OpenReply {
  readonly batch: number;
  /** Template bytes concatenated; job i's end at ends[i] (empty for a failed job). */
  readonly out: Uint8Array;
  readonly ends: Uint32Array;
  /** Per job: null, or the code and message of its TemplockError. */
  readonly errors: ReadonlyArray<readonly [ErrorCode, string] | null>;
}

/** Tells a worker to zero-fill and forget its keys and its remembered salt. */
export interface _WipeRequest {
  readonly wipe: true;
}

interface PortLike {
  on(event: 'message', listener: (request: _OpenRequest | _WipeRequest) => void): void;
  postMessage(value: _OpenReply, transfer: ArrayBuffer[]): void;
}

/**
 * The worker side: opens each request's records and replies in one transferred buffer.
 * Errors other than TemplockError are not caught: they end the worker and fail the load.
 */
export function _serveOpenRequests(port: PortLike, tenant: string): void {
  const context = _contextEncoder(tenant);
  const keys: _SealKey[] = [];
  const saltIds = new _SaltIdMemo();
  port.on('message', (req) => {
    if ('wipe' in req) {
      for (const k of keys.splice(0)) _wipeSealKey(k);
      saltIds.wipe();
      return;
    }
    keys.push(...req.keys);
    const n = req.subjects.length;
    const parts: Uint8Array[] = [];
    const errors: Array<readonly [ErrorCode, string] | null> = [];
    let from = 0, total = 0;
    for (let i = 0; i < n; i++) {
      const record = req.records.subarray(from, req.ends[i]);
      from = req.ends[i]!;
      try {
        const bytes = _openRecordBytes(keys[req.keyIndex[i]!]!, _parseRecord(record), context(req.subjects[i], req.purposes[i]), saltIds);
        parts.push(bytes);
        total += bytes.length;
        errors.push(null);
      } catch (e) {
        if (!isTemplockError(e)) throw e;
        parts.push(new Uint8Array(0));
        errors.push([e.code, e.message]);
      }
    }
    const out = new Uint8Array(total), ends = new Uint32Array(n);
    let at = 0;
    for (let i = 0; i < n; i++) {
      out.set(parts[i]!, at);
      parts[i]!.fill(0);
      ends[i] = at += parts[i]!.length;
    }
    port.postMessage({ batch: req.batch, out, ends, errors }, [out.buffer as ArrayBuffer, ends.buffer as ArrayBuffer]);
  });
}
