// The kiosk example (examples/kiosk/) in headless Chromium: the page opens the sealed gallery,
// embeds each camera frame with TF.js in the page, protects and identifies it; a resident's
// frame is accepted as that resident and a stranger's is not, and the protected bytes the page
// computes equal those Node computes from the same photo with templock/embed. Needs Chromium
// (Debian `chromium`; CHROMIUM_PATH to use another binary): without it the suite prints SKIP.
// Serves the built package (dist/: run `npm run build` first) on 127.0.0.1 only.
import { existsSync } from 'node:fs';
import type { Server } from 'node:http';
import { join } from 'node:path';
import { bytesToHex, hexToBytes } from '@noble/hashes/utils.js';
import { chromium, type Browser, type Page } from 'playwright-core';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { encodeTemplate } from '../../src/index.js';
import { createEmbedder, faceapiParams } from '../../src/embed/index.js';
// @ts-expect-error: an example script in plain JavaScript, without declarations.
import { buildKiosk, PHOTO_DIR, provision, serveKiosk } from '../../examples/kiosk/serve.mjs';

interface CaptureResult { decision: string; resident?: string; template?: string; captureMs: number }
interface Provisioning { secrets: { appKey: string; salt: string } }

const CANDIDATES = [process.env.CHROMIUM_PATH, '/usr/lib/chromium/chromium', '/usr/bin/chromium', '/usr/bin/chromium-browser'];
const executable = CANDIDATES.find((p): p is string => p !== undefined && existsSync(p));
if (!executable) console.log(`SKIP kiosk in Chromium: no Chromium binary (looked at ${CANDIDATES.filter(Boolean).join(', ')}; apt-get install chromium, or set CHROMIUM_PATH); these tests did not run`);

let browser: Browser | undefined, page: Page, server: Server, provisioning: Provisioning, bundle: { bytes: number; templockBytes: number; faceApiBytes: number };

test.before(async () => {
  if (!executable) return;
  bundle = await buildKiosk();
  provisioning = await provision();
  const served = await serveKiosk(bundle, provisioning);
  server = served.server;
  browser = await chromium.launch({ executablePath: executable, args: ['--no-sandbox'] });
  page = await browser.newPage();
  await page.goto(served.url);
  await page.waitForFunction(() => window.kiosk.ready || window.kiosk.error !== undefined, undefined, { timeout: 120_000 });
});

test.after(async () => {
  await browser?.close();
  server?.close();
});

/** Presents `photo` to the page's file input and waits for its decision. */
async function present(photo: string): Promise<CaptureResult> {
  const before = await page.evaluate(() => window.kiosk.results.length);
  await page.setInputFiles('#frame', join(PHOTO_DIR, photo));
  await page.waitForFunction((n) => window.kiosk.results.length > n || window.kiosk.error !== undefined, before, { timeout: 120_000 });
  const state = await page.evaluate(() => ({ error: window.kiosk.error, result: window.kiosk.results.at(-1) }));
  assert.is(state.error, undefined);
  return state.result as CaptureResult;
}

/** The protected bytes Node computes from `photo` under the kiosk's key and salt. */
async function nodeBytes(photo: string): Promise<string> {
  const embedder = await createEmbedder({ runtime: 'tfjs-wasm' });
  const { template } = await embedder.protectImage(join(PHOTO_DIR, photo), faceapiParams('iom-grp'), hexToBytes(provisioning.secrets.appKey), hexToBytes(provisioning.secrets.salt), { face: 'centre' });
  return bytesToHex(encodeTemplate(template));
}

test('the page opens the sealed gallery and loads TF.js on the WebAssembly backend', async () => {
  if (!executable) return;
  const state = await page.evaluate(() => ({ error: window.kiosk.error, runtime: window.kiosk.runtime, size: document.getElementById('gallery-size')!.textContent }));
  assert.is(state.error, undefined);
  assert.match(state.runtime!, /^tfjs-wasm /);
  assert.is(state.size, '4 residents');
});

test('a resident\'s frame is accepted as that resident, with the bytes Node computes', async () => {
  if (!executable) return;
  const r = await present('sample2.jpg');
  assert.is(r.decision, 'accepted');
  assert.is(r.resident, 'resident-2');
  assert.is(r.template, await nodeBytes('sample2.jpg'));
  console.log(`kiosk: capture of a resident ${r.captureMs.toFixed(0)} ms in the page`);
});

test('a stranger\'s frame is rejected, with the bytes Node computes', async () => {
  if (!executable) return;
  const r = await present('sample6.jpg');
  assert.is(r.decision, 'rejected');
  assert.is(r.template, await nodeBytes('sample6.jpg'));
  console.log(`kiosk: capture of a stranger ${r.captureMs.toFixed(0)} ms in the page; bundle ${bundle.bytes} bytes (templock with @noble ${bundle.templockBytes}, face-api with TF.js ${bundle.faceApiBytes})`);
});

test.run();
