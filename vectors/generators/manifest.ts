// manifest_v1.json: the store manifest (SPEC.md §7.6) of a tenant under a storage key: the
// manifest key, the hash of every kind of entry (live record, tombstone, subject and salt
// revocations, non-ASCII and 255-byte strings, a version past 2^32), their sum, the mask and stored
// digest, and the head MAC; then stored heads checked against entries, valid and changed
// (an entry removed, a version lowered, a tombstone made live, the count, digest, generation or MAC).
import { manifestChecker } from '../../src/conformance/checkers/manifest.js';
import { runOutcome, toHex, type JsonValue, type VectorGroup, type VectorTest } from '../../src/conformance/index.js';
import { envelope, type GroupSpec, type TestSpec, type VectorGenerator } from './_envelope.js';
import { labelBytes } from './_inputs.js';

const NOTES = {
  Empty: 'A manifest without entries (a new store).',
  Records: 'Record entries: live records and tombstones of deleted ones.',
  Revocations: 'Revocation entries of subjects and salts.',
  Utf8: 'Non-ASCII strings, and strings of 255 UTF-8 bytes.',
  LargeValues: 'A version, a time or a generation past 2^32.',
  HeadChecked: 'A stored head is given: its MAC and the entries\' sum are checked against it first.',
  EntryChanged: 'The entries differ from the ones the head was made for.',
  HeadChanged: 'A field of the stored head changed.',
} as const;

type Entry = { readonly [k: string]: JsonValue };
const rec = (subjectId: string, purpose: string, version: number, live = true): Entry => ({ kind: 'record', subjectId, purpose, version, live });
const rev = (kind: 'subject' | 'salt', value: string, revokedAt: number): Entry => ({ kind, value, revokedAt });

const STORE: Entry[] = [
  rec('resident-42', 'access', 3),
  rec('resident-43', 'access', 1, false),
  rec('resident-44', 'door', 2),
  rev('subject', 'resident-43', 1767225600000),
  rev('salt', '00112233445566778899aabbccddeeff', 1767225600001),
];

function group(label: string, tenant: string): GroupSpec {
  const storageKey = toHex(labelBytes(`key/manifest/${label}`, 32));
  const fields = { storageKey, tenant };
  const head = (entries: Entry[], generation: number) => {
    const out = runOutcome(manifestChecker, { type: 'Manifest', ...fields, tests: [] } as VectorGroup, { entries, generation } as unknown as VectorTest);
    if ('error' in out) throw new Error(`manifest head: ${out.error}`);
    const o = out.output as { storedDigest: string; headMac: string; entryHashes: string[] };
    return { generation, count: o.entryHashes.length, storedDigest: o.storedDigest, mac: o.headMac };
  };
  const good = head(STORE, 17);
  const checked = (comment: string, flags: string[], entries: Entry[], h: object, error?: string): TestSpec =>
    ({ comment, flags: ['HeadChecked', ...flags], entries, head: h as JsonValue, generation: 17, ...(error ? { error } : {}) });
  const flipHex = (hex: string) => (hex[0] === '0' ? '1' : '0') + hex.slice(1);
  return {
    type: 'Manifest',
    ...fields,
    tests: [
      { comment: 'no entries, generation 0', flags: ['Empty'], entries: [], generation: 0 },
      { comment: 'one live record', flags: ['Records'], entries: [rec('resident-42', 'access', 1)], generation: 1 },
      { comment: 'the same record as a tombstone', flags: ['Records'], entries: [rec('resident-42', 'access', 1, false)], generation: 2 },
      { comment: 'records, a tombstone, a subject and a salt revocation', flags: ['Records', 'Revocations'], entries: STORE, generation: 17 },
      { comment: 'non-ASCII and 255-byte strings', flags: ['Records', 'Revocations', 'Utf8'], entries: [rec('Zoë Ünal', 'Zutritt', 5), rec('é'.repeat(127) + 's', 'p'.repeat(255), 1), rev('subject', 's'.repeat(255), 1)], generation: 3 },
      { comment: 'version, revocation time and generation past 2^32', flags: ['Records', 'Revocations', 'LargeValues'], entries: [rec('resident-42', 'access', 2 ** 32 + 5), rev('subject', 'resident-9', 2 ** 41 + 3)], generation: 2 ** 40 },
      checked('the head of these entries', [], STORE, good),
      checked('the same entries in another order', [], [...STORE].reverse(), good),
      checked('a revocation removed', ['EntryChanged', 'Revocations'], STORE.slice(0, 4), good, 'INTEGRITY'),
      checked('a version lowered', ['EntryChanged', 'Records'], [rec('resident-42', 'access', 2), ...STORE.slice(1)], good, 'INTEGRITY'),
      checked('a tombstone made live', ['EntryChanged', 'Records'], [STORE[0]!, rec('resident-43', 'access', 1), ...STORE.slice(2)], good, 'INTEGRITY'),
      checked('a revocation time changed', ['EntryChanged', 'Revocations'], [...STORE.slice(0, 3), rev('subject', 'resident-43', 1767225600002), STORE[4]!], good, 'INTEGRITY'),
      checked('an entry removed and the count lowered to match', ['EntryChanged', 'HeadChanged'], STORE.slice(0, 4), { ...good, count: 4 }, 'INTEGRITY'),
      checked('generation changed', ['HeadChanged'], STORE, { ...good, generation: 16 }, 'INTEGRITY'),
      checked('stored digest changed', ['HeadChanged'], STORE, { ...good, storedDigest: flipHex(good.storedDigest) }, 'INTEGRITY'),
      checked('MAC changed', ['HeadChanged'], STORE, { ...good, mac: flipHex(good.mac) }, 'INTEGRITY'),
      checked('the head of an older state (generation 16, one revocation fewer)', ['EntryChanged'], STORE, head(STORE.slice(0, 4), 16), 'INTEGRITY'),
    ],
  };
}

export const manifestVectors: VectorGenerator = {
  file: 'manifest_v1.json',
  generate: () => envelope(manifestChecker, {
    algorithm: 'templock store manifest v1',
    notes: NOTES,
    testGroups: [group('a', 'acme-gate-1'), group('b', 'Gebäude Süd 🏢')],
  }),
};
