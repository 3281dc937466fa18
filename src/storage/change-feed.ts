// The change feed of a central store: every write and revocation of one tenant, in commit order,
// numbered by a strictly increasing sequence. A terminal pulls the changes after the last sequence
// it applied and is woken when new ones commit. Records travel sealed, as stored: only a holder of
// the storage key opens them; every change carries a MAC under that key (change-mac.ts).

/** What one change did to the store. */
export type ChangeKind = 'put' | 'delete' | 'revoke-subject' | 'reinstate-subject' | 'revoke-salt';

/** One committed change of a tenant's store. */
export interface Change {
  /** 1, 2, 3, ... within a tenant, consecutive, in commit order: no change commits below a sequence already read. */
  readonly seq: number;
  readonly kind: ChangeKind;
  /** put, delete, revoke-subject, reinstate-subject. */
  readonly subjectId?: string;
  /** put, delete. */
  readonly purpose?: string;
  /** revoke-salt: the revoked salt's id (src/salt-id.ts). */
  readonly saltId?: string;
  /** put: the sealed record bytes as stored (SPEC.md §7.4). */
  readonly record?: Uint8Array;
  /** The storage key whose manifest key authenticates the change (SPEC.md §7.8). */
  readonly keyId?: string;
  /** HMAC-SHA256 of the change (SPEC.md §7.8), checked by every terminal before it applies it. */
  readonly mac?: Uint8Array;
}

/** A source of changes a terminal follows. */
export interface ChangeFeed {
  /** Changes with a sequence above `seq`, ascending; at most `limit` of them. */
  changesSince(seq: number, options?: { readonly limit?: number }): Promise<Change[]>;
  /** The highest committed sequence (0 before the first change). */
  latestSeq(): Promise<number>;
  /** Calls `onWake` with the new highest sequence whenever changes commit; resolves to an unsubscribe. */
  subscribe(onWake: (seq: number) => void): Promise<() => Promise<void>>;
}
