// The key-binding part of the access-terminal demo (`templock demo --key-binding`): every resident
// gets a door credential that only their face opens. Enrolment binds a fresh key to the face
// (fuzzy commitment, SPEC.md §4.5, at the terminal's false release rate 1e-4), seals the bound template in the SQLite store (purpose
// "door-key") and the credential under the released key; at the gate a capture from another view
// releases the key 1:1 and 1:N (BoundGallery) and opens the credential; strangers and other
// residents release nothing.
import { randomBytes } from '@noble/hashes/utils.js';
import type { DetectedFace, FaceEmbedder } from '../../embed/embedder.js';
import type { RgbImage } from '../../embed/image.js';
import { faceapiBindingParams } from '../../embed/model-params.js';
import { _equalBytes } from '../../bytes.js';
import type { BoundTemplate } from '../../template.js';
import { BoundGallery } from '../../transforms/bound-gallery.js';
import { openCredential, sealCredential } from '../../transforms/credential.js';
import { bindKey, releaseKey } from '../../transforms/key-binding.js';
import type { Io } from '../command.js';
import { enrolmentCapture, probeCapture, unlessNoFace } from './demo-views.js';
import { epochSalt, type Session } from './terminal-session.js';

/** A detected person of the demo photos. */
export interface _DemoPerson { readonly id: string; readonly image: RgbImage; readonly face: DetectedFace }

/** Purpose under which the bound templates are sealed. */
const PURPOSE = 'door-key';

/** The figures of the key-binding part. */
export interface KeyBindingFigures {
  readonly bound: number;
  /** Captures from another view that released the resident's key 1:1 and opened the credential. */
  readonly opened: number;
  readonly probes: number;
  /** 1:N (BoundGallery): probes that released exactly their own resident's key. */
  readonly identified: number;
  /** 1:1: another resident's or a stranger's capture against a resident, key released (should be 0). */
  readonly falseReleases: number;
  readonly impostorTrials: number;
  /** 1:N: strangers who released any key (should be 0). */
  readonly strangersReleasing: number;
  readonly strangers: number;
}

/** Runs the key-binding scenario on the demo's residents and strangers. */
export async function _keyBindingScenario(s: Session, embedder: FaceEmbedder, residents: readonly _DemoPerson[], strangers: readonly _DemoPerson[], io: Io): Promise<KeyBindingFigures> {
  const appKey = s.terminal.applicationKey;
  // The terminal's operating point, as its threshold for the transforms: false release rate 1e-4.
  const params = faceapiBindingParams('1e-4');
  const mean = params.mean;
  const salt = epochSalt(s.terminal, 0);
  const credentials = new Map<string, { token: Uint8Array; sealed: Uint8Array }>();
  const bound: Array<{ id: string; template: BoundTemplate }> = [];
  for (const [i, r] of residents.entries()) {
    const raw = await unlessNoFace(embedder.embedRawUnsafe(enrolmentCapture(r.image, r.face), { face: 'centre' }));
    io.progress(i + 1, residents.length, 'bind keys');
    if (!raw) continue;
    try {
      const { template, key } = bindKey(raw, params, appKey, salt);
      const token = randomBytes(32);
      credentials.set(r.id, { token, sealed: sealCredential(key, token, r.id) });
      key.fill(0);
      s.store.put(r.id, template, PURPOSE);
      bound.push({ id: r.id, template });
    } finally {
      raw.fill(0);
    }
  }
  const gallery = new BoundGallery({ key: appKey, mean, threads: 2 });
  let opened = 0, probes = 0, identified = 0, falseReleases = 0, impostorTrials = 0, strangersReleasing = 0, strangersSeen = 0;
  try {
    for (const e of s.store.boundEntries({ purpose: PURPOSE })) gallery.add(e.subjectId, e.template);
    for (const [i, r] of residents.entries()) {
      if (!credentials.has(r.id)) continue;
      const raw = await unlessNoFace(embedder.embedRawUnsafe(probeCapture(r.image, r.face, i).image, { face: 'centre' }));
      io.progress(i + 1, residents.length, 'release keys');
      if (!raw) continue;
      try {
        probes++;
        const own = releaseKey(raw, s.store.getBound(r.id, PURPOSE), appKey, mean);
        if (own.accepted) {
          const c = credentials.get(r.id)!;
          const token = openCredential(own.key, c.sealed, r.id);
          if (_equalBytes(token, c.token)) opened++;
          own.key.fill(0);
        }
        for (const other of bound) {
          if (other.id === r.id) continue;
          impostorTrials++;
          if (releaseKey(raw, other.template, appKey, mean).accepted) falseReleases++;
        }
        const hits = await gallery.release(raw);
        if (hits.length === 1 && hits[0]!.id === r.id) identified++;
        for (const h of hits) h.key.fill(0);
      } finally {
        raw.fill(0);
      }
    }
    for (const [i, st] of strangers.entries()) {
      const raw = await unlessNoFace(embedder.embedRawUnsafe(enrolmentCapture(st.image, st.face), { face: 'centre' }));
      io.progress(i + 1, strangers.length, 'strangers');
      if (!raw) continue;
      try {
        strangersSeen++;
        for (const r of bound) {
          impostorTrials++;
          if (releaseKey(raw, r.template, appKey, mean).accepted) falseReleases++;
        }
        const hits = await gallery.release(raw);
        if (hits.length > 0) strangersReleasing++;
        for (const h of hits) h.key.fill(0);
      } finally {
        raw.fill(0);
      }
    }
  } finally {
    gallery.close();
    for (const c of credentials.values()) c.token.fill(0);
  }
  return { bound: bound.length, opened, probes, identified, falseReleases, impostorTrials, strangersReleasing, strangers: strangersSeen };
}
