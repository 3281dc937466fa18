// Child of argon2id.test.ts: an engine without WebAssembly (removed before anything loads),
// deriving the RFC 9106 §5.3 inputs given on argv; prints the tag as hex.
import { bytesToHex, hexToBytes } from '@noble/hashes/utils.js';

Reflect.deleteProperty(globalThis, 'WebAssembly');
const [password, salt, secret, ad, m, t, p, tagLength] = process.argv.slice(2);
const { _argon2id } = await import('../../src/storage/kdf.js');
const tag = await _argon2id(hexToBytes(password!), hexToBytes(salt!), { m: Number(m), t: Number(t), p: Number(p) }, hexToBytes(ad!), hexToBytes(secret!), Number(tagLength));
console.log(`${typeof WebAssembly} ${bytesToHex(tag)}`);
