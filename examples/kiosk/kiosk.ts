// The kiosk page (examples/kiosk/README.md): loads a sealed gallery, opens it with the terminal's
// key-encryption key, and for each camera frame embeds the face with TF.js in the page, protects
// it and identifies it against the gallery. Nothing leaves the page; the raw embedding lives only
// inside protectImage(). Frames are decoded with jpeg-js, as templock/embed decodes them in Node,
// so a frame gives the same pixels, embedding and protected bytes in the page as in Node.
import { bytesToHex, hexToBytes } from '@noble/hashes/utils.js';
import jpeg from 'jpeg-js';
import { encodeTemplate, type ProtectedTemplate } from 'templock';
import { createEmbedder, faceapiParams, faceapiThreshold, type FaceEmbedder } from 'templock/embed';
import { Gallery, init } from 'templock/match';
import { importKeyring, localKeyWrapper, openTemplate } from 'templock/storage';

/** What serve.mjs provisions: the sealed gallery, and the secrets a secure element would hold. */
interface Provisioning {
  readonly tenant: string;
  readonly purpose: string;
  readonly keyring: string;
  readonly records: readonly { readonly subjectId: string; readonly record: string }[];
  readonly secrets: { readonly kek: string; readonly appKey: string; readonly salt: string };
}

/** The outcome of one capture, shown on the page and read by the Chromium test. */
export interface CaptureResult {
  readonly decision: 'accepted' | 'rejected' | 'no-face';
  readonly resident?: string;
  readonly template?: string;
  readonly captureMs: number;
}

declare global {
  interface Window {
    kiosk: { ready: boolean; error?: string; runtime?: string; results: CaptureResult[] };
  }
}

const $ = (id: string) => document.getElementById(id)!;
window.kiosk = { ready: false, results: [] };

async function openGallery(p: Provisioning): Promise<Gallery> {
  const ring = await importKeyring(hexToBytes(p.keyring), { wrapper: localKeyWrapper(hexToBytes(p.secrets.kek), 'kiosk') });
  const templates: Array<[string, ProtectedTemplate]> = p.records.map((r) => [
    r.subjectId, openTemplate(ring, hexToBytes(r.record), { tenant: p.tenant, subjectId: r.subjectId, purpose: p.purpose }),
  ]);
  const gallery = new Gallery(templates[0]![1]);
  for (const [id, t] of templates) gallery.add(id, t);
  return gallery;
}

async function capture(embedder: FaceEmbedder, gallery: Gallery, p: Provisioning, file: File): Promise<CaptureResult> {
  const t0 = performance.now();
  const pixels = jpeg.decode(new Uint8Array(await file.arrayBuffer()), { useTArray: true, formatAsRGBA: false });
  try {
    const { template } = await embedder.protectImage({ width: pixels.width, height: pixels.height, data: pixels.data, channels: 3 },
      faceapiParams('iom-grp'), hexToBytes(p.secrets.appKey), hexToBytes(p.secrets.salt), { face: 'centre' });
    const [best] = gallery.identify(template, { k: 1, threshold: faceapiThreshold('iom-grp', '1e-4') });
    const bytes = bytesToHex(encodeTemplate(template));
    const captureMs = performance.now() - t0;
    return best ? { decision: 'accepted', resident: best.id, template: bytes, captureMs } : { decision: 'rejected', template: bytes, captureMs };
  } catch (e) {
    if ((e as { code?: string }).code === 'NO_FACE') return { decision: 'no-face', captureMs: performance.now() - t0 };
    throw e;
  }
}

function show(r: CaptureResult): void {
  $('decision').textContent = r.decision === 'accepted' ? 'Welcome' : r.decision === 'rejected' ? 'Not recognised' : 'No face seen';
  $('decision').className = r.decision === 'accepted' ? 'accepted' : 'rejected';
  $('resident').textContent = r.resident ?? '–';
  $('capture-ms').textContent = `${r.captureMs.toFixed(0)} ms`;
}

async function main(): Promise<void> {
  await init();
  const p = (await (await fetch('provisioning.json')).json()) as Provisioning;
  const gallery = await openGallery(p);
  const embedder = await createEmbedder({ runtime: 'tfjs-wasm', modelDir: 'model', wasmDir: 'tfjs-wasm' });
  $('gallery-size').textContent = `${gallery.size} residents`;
  $('runtime').textContent = embedder.runtimeDescription;
  const input = $('frame') as HTMLInputElement;
  input.disabled = false;
  input.addEventListener('change', () => {
    const file = input.files?.[0];
    if (!file) return;
    $('status').textContent = 'Checking…';
    capture(embedder, gallery, p, file).then((r) => {
      window.kiosk.results.push(r);
      show(r);
      $('status').textContent = 'Ready for the next frame.';
    }, (e: unknown) => {
      window.kiosk.error = String(e);
      $('status').textContent = `Failed: ${String(e)}`;
    });
    input.value = '';
  });
  $('status').textContent = 'Ready: present a camera frame.';
  window.kiosk = { ...window.kiosk, ready: true, runtime: embedder.runtimeDescription };
}

main().catch((e: unknown) => {
  window.kiosk.error = String(e);
  $('status').textContent = `Failed to start: ${String(e)}`;
});
