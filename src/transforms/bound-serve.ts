// The worker side of the key-release pool (bound-pool.ts): holds copies of the bound templates of
// each salt epoch and scans the rows it is asked to for a probe's projections (bound-scan.ts).
// scripts/build-workers.mjs bundles this module with its dependencies into the self-contained
// program of bound-worker.gen.ts, so a worker never loads the application it runs in.
import { _scanClaimed, type _BoundRows } from './bound-scan.js';

/** The templates of one epoch, sent again whenever they change. */
export interface _RowsMessage { readonly kind: 'rows'; readonly epoch: number; readonly rows: _BoundRows }
/** An epoch that no longer exists. */
export interface _DropMessage { readonly kind: 'drop'; readonly epoch: number }
/**
 * One probe: per epoch, its projections in codeword order and how many rows the caller scans
 * (the rows it holds then); chunks of them are claimed from the shared counter `claim`.
 */
export interface _ScanMessage {
  readonly kind: 'scan';
  readonly id: number;
  readonly claim: Int32Array;
  readonly parts: ReadonlyArray<{ readonly epoch: number; readonly proj: Int32Array; readonly count: number }>;
}
export type _BoundRequest = _RowsMessage | _DropMessage | _ScanMessage;

/** A worker's answer to one scan: the rows released (part index, row), with their messages. */
export interface _ScanReply {
  readonly id: number;
  readonly hits: ReadonlyArray<{ readonly part: number; readonly row: number; readonly message: Uint8Array }>;
}

interface PortLike {
  on(event: 'message', listener: (request: _BoundRequest) => void): void;
  postMessage(value: _ScanReply, transfer: ArrayBuffer[]): void;
}

/** Serves scan requests on `port` until the worker ends. */
export function _serveBoundScans(port: PortLike): void {
  const epochs = new Map<number, _BoundRows>();
  port.on('message', (m) => {
    if (m.kind === 'rows') epochs.set(m.epoch, m.rows);
    else if (m.kind === 'drop') epochs.delete(m.epoch);
    else {
      // The caller sent the rows it scans before this request: the epochs hold them (or more).
      const parts = m.parts.map((p) => {
        const rows = epochs.get(p.epoch)!;
        return { rows: { ...rows, count: Math.min(rows.count, p.count) }, proj: p.proj };
      });
      const hits = _scanClaimed(parts, m.claim).map(({ part, hit }) => ({ part, row: hit.row, message: hit.message }));
      for (const p of m.parts) p.proj.fill(0);
      port.postMessage({ id: m.id, hits }, hits.map((h) => h.message.buffer as ArrayBuffer));
    }
  });
}
