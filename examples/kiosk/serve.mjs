// Builds and serves the kiosk example on this machine only (127.0.0.1): bundles kiosk.ts for the
// browser with esbuild (in memory), provisions a small sealed gallery from the sample photos of
// @vladmandic/face-api (enrolled in Node with templock/embed), and serves the page, the bundle,
// the face-api models and the TF.js WebAssembly binaries. `node examples/kiosk/serve.mjs [port]`
// after `npm run build`; the Chromium test (test/package/kiosk.test.ts) uses the same functions.
import { build } from 'esbuild';
import { createServer } from 'node:http';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { bytesToHex } from '@noble/hashes/utils.js';
import { generateKey, generateSalt } from 'templock';
import { createEmbedder, faceapiParams } from 'templock/embed';
import { exportKeyring, Keyring, localKeyWrapper, sealTemplate } from 'templock/storage';

const here = dirname(fileURLToPath(import.meta.url));
const require = createRequire(import.meta.url);
const packageDir = (name) => dirname(require.resolve(`${name}/package.json`));
export const PHOTO_DIR = join(packageDir('@vladmandic/face-api'), 'demo');
const MODEL_DIR = join(packageDir('@vladmandic/face-api'), 'model');
const WASM_DIR = join(packageDir('@tensorflow/tfjs-backend-wasm'), 'dist');
/** The three models the embedder loads. */
const MODELS = /^(ssd_mobilenetv1|face_landmark_68|face_recognition)_model(-weights_manifest\.json|\.bin)$/;
/** The residents: sample photos enrolled into the gallery. */
export const RESIDENTS = { 'resident-1': 'sample1.jpg', 'resident-2': 'sample2.jpg', 'resident-3': 'sample3.jpg', 'resident-4': 'sample4.jpg' };

/** The page's bundle: kiosk.ts with templock, face-api (TF.js inside) and jpeg-js, minified. */
export async function buildKiosk() {
  const result = await build({
    entryPoints: [join(here, 'kiosk.ts')], bundle: true, write: false, format: 'esm', platform: 'browser',
    target: 'es2022', minify: true, metafile: true, logLevel: 'silent', outdir: here,
  });
  const [file] = result.outputFiles;
  const inputs = Object.entries(result.metafile.outputs[Object.keys(result.metafile.outputs)[0]].inputs);
  const bytesOf = (test) => inputs.filter(([path]) => test(path)).reduce((n, [, v]) => n + v.bytesInOutput, 0);
  return {
    code: file.text,
    bytes: file.contents.length,
    templockBytes: bytesOf((p) => !p.includes('node_modules') || p.includes('@noble')),
    faceApiBytes: bytesOf((p) => p.includes('@vladmandic/face-api')),
  };
}

/**
 * A sealed gallery of the residents: templates protected in Node (tfjs-wasm) under a fresh
 * application key and salt, sealed under a fresh keyring, exported under a key-encryption key.
 * `secrets` stands in for the terminal's secure element.
 */
export async function provision(tenant = 'kiosk-demo', purpose = 'access') {
  const embedder = await createEmbedder({ runtime: 'tfjs-wasm' });
  const appKey = generateKey(), salt = generateSalt(), kek = generateKey();
  const ring = Keyring.generate();
  const records = [];
  for (const [subjectId, photo] of Object.entries(RESIDENTS)) {
    const { template } = await embedder.protectImage(join(PHOTO_DIR, photo), faceapiParams('iom-grp'), appKey, salt, { face: 'centre' });
    records.push({ subjectId, record: bytesToHex(sealTemplate(ring, template, { tenant, subjectId, purpose })) });
  }
  const keyring = bytesToHex(await exportKeyring(ring, { wrapper: localKeyWrapper(kek, 'kiosk') }));
  return { tenant, purpose, keyring, records, secrets: { kek: bytesToHex(kek), appKey: bytesToHex(appKey), salt: bytesToHex(salt) } };
}

const TYPES = { '.html': 'text/html', '.js': 'text/javascript', '.json': 'application/json', '.wasm': 'application/wasm', '.bin': 'application/octet-stream' };
const typeOf = (name) => TYPES[name.slice(name.lastIndexOf('.'))] ?? 'application/octet-stream';

/** Serves the page on 127.0.0.1:`port` (0: any free port); resolves to the server and its URL. */
export function serveKiosk(bundle, provisioning, port = 0) {
  const routes = new Map([
    ['/', ['text/html', readFileSync(join(here, 'index.html'))]],
    ['/kiosk.js', ['text/javascript', bundle.code]],
    ['/provisioning.json', ['application/json', JSON.stringify(provisioning)]],
  ]);
  const server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    let body = routes.get(path);
    const name = path.slice(path.lastIndexOf('/') + 1);
    if (!body && path.startsWith('/model/') && MODELS.test(name)) body = [typeOf(name), readFileSync(join(MODEL_DIR, name))];
    if (!body && path.startsWith('/tfjs-wasm/') && /^tfjs-backend-wasm[a-z-]*\.wasm$/.test(name)) body = [typeOf(name), readFileSync(join(WASM_DIR, name))];
    if (!body) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'content-type': body[0] }).end(body[1]);
  });
  return new Promise((resolve) => server.listen(port, '127.0.0.1', () => resolve({ server, url: `http://127.0.0.1:${server.address().port}/` })));
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const bundle = await buildKiosk();
  const { url } = await serveKiosk(bundle, await provision(), Number(process.argv[2] ?? 8080));
  console.log(`kiosk bundle ${(bundle.bytes / 1024).toFixed(0)} KiB (templock ${(bundle.templockBytes / 1024).toFixed(0)} KiB, face-api with TF.js ${(bundle.faceApiBytes / 1024).toFixed(0)} KiB)`);
  console.log(`kiosk at ${url} (residents: ${Object.values(RESIDENTS).join(', ')} of ${PHOTO_DIR}); Ctrl-C to stop`);
}
