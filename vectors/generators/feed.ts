// feed_v1.json: the authentication of a central store's change feed (SPEC.md §7.8): one change of
// every kind under a storage key and a tenant -> the manifest key, the authenticated message and
// its MAC; a sequence number past 2^32, non-ASCII strings; then stored MACs checked, valid and
// changed (another sequence number, kind, subject, tenant, record byte or MAC byte).
import { feedChecker } from '../../src/conformance/checkers/feed.js';
import { runOutcome, toHex, type JsonValue, type VectorGroup, type VectorTest } from '../../src/conformance/index.js';
import { envelope, type GroupSpec, type TestSpec, type VectorGenerator } from './_envelope.js';
import { labelBytes } from './_inputs.js';

const NOTES = {
  Kinds: 'One change of each kind: put (with its sealed record), delete, revoke-subject, reinstate-subject, revoke-salt.',
  LargeValues: 'A sequence number past 2^32.',
  MacChecked: 'A stored MAC is given: it must equal the MAC of the change as given.',
  ChangeAltered: 'The change differs from the one the MAC was made for: a terminal refuses it.',
} as const;

type Fields = { readonly [k: string]: JsonValue };
const RECORD = toHex(labelBytes('record/feed', 120));
const PUT: Fields = { seq: 7, kind: 'put', subjectId: 'resident-42', purpose: 'access', record: RECORD };

function group(label: string, tenant: string, subject: string, purpose: string): GroupSpec {
  const storageKey = toHex(labelBytes(`key/feed/${label}`, 32));
  const fields = { storageKey, tenant };
  const macOf = (change: Fields, inGroup = fields) => {
    const out = runOutcome(feedChecker, { type: 'FeedChange', ...inGroup, tests: [] } as VectorGroup, { change } as unknown as VectorTest);
    if ('error' in out) throw new Error(`feed mac: ${out.error}`);
    return (out.output as { mac: string }).mac;
  };
  const put: Fields = { ...PUT, subjectId: subject, purpose };
  const good = macOf(put);
  const flipHex = (hex: string) => (hex[0] === '0' ? '1' : '0') + hex.slice(1);
  const checked = (comment: string, flags: string[], change: Fields, mac: string, error?: string): TestSpec =>
    ({ comment, flags: ['MacChecked', ...flags], change, mac, ...(error ? { error } : {}) });
  return {
    type: 'FeedChange',
    ...fields,
    tests: [
      { comment: 'a put with its sealed record', flags: ['Kinds'], change: put },
      { comment: 'a delete', flags: ['Kinds'], change: { seq: 8, kind: 'delete', subjectId: subject, purpose } },
      { comment: 'a subject revoked', flags: ['Kinds'], change: { seq: 9, kind: 'revoke-subject', subjectId: subject } },
      { comment: 'a subject reinstated', flags: ['Kinds'], change: { seq: 10, kind: 'reinstate-subject', subjectId: subject } },
      { comment: 'a salt revoked', flags: ['Kinds'], change: { seq: 11, kind: 'revoke-salt', saltId: '00112233445566778899aabbccddeeff' } },
      { comment: 'a sequence number past 2^32', flags: ['LargeValues'], change: { seq: 2 ** 40 + 3, kind: 'revoke-subject', subjectId: subject } },
      checked('the MAC of this change', [], put, good),
      checked('another sequence number (a replay)', ['ChangeAltered'], { ...put, seq: 8 }, good, 'INTEGRITY'),
      checked('another kind', ['ChangeAltered'], { seq: 7, kind: 'delete', subjectId: subject, purpose }, good, 'INTEGRITY'),
      checked('another subject', ['ChangeAltered'], { ...put, subjectId: `${subject}x` }, good, 'INTEGRITY'),
      checked('another record byte', ['ChangeAltered'], { ...put, record: flipHex(RECORD) }, good, 'INTEGRITY'),
      checked('a MAC byte changed', [], put, flipHex(good), 'INTEGRITY'),
      checked('the MAC of another tenant\'s change', ['ChangeAltered'], put, macOf(put, { storageKey, tenant: `${tenant}-2` }), 'INTEGRITY'),
    ],
  };
}

export const feedVectors: VectorGenerator = {
  file: 'feed_v1.json',
  generate: () => envelope(feedChecker, {
    algorithm: 'templock change feed authentication v1',
    notes: NOTES,
    testGroups: [group('a', 'acme_residence', 'resident-42', 'access'), group('b', 'Gebäude Süd 🏢', 'Zoë Ünal', 'Zutritt')],
  }),
};
