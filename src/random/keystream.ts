// Keyed deterministic randomness (SPEC.md §3): HKDF-SHA256 derives a per-instance ChaCha20 key;
// the instance's randomness is the RFC 8439 ChaCha20 keystream under that key, zero nonce,
// block counter from 0, read as consecutive bytes.
import { chacha20 } from '@noble/ciphers/chacha.js';
import { hkdf } from '@noble/hashes/hkdf.js';
import { sha256 } from '@noble/hashes/sha2.js';

const ZERO_NONCE = new Uint8Array(12);
const CHUNK_BYTES = 4096;

/** HKDF-SHA256(ikm = key, salt = salt, info = info, L = 32): the ChaCha20 key of one instance. */
export function _deriveStreamKey(key: Uint8Array, salt: Uint8Array, info: Uint8Array): Uint8Array {
  return hkdf(sha256, key, salt, info, 32);
}

/** A sequential reader over the ChaCha20 keystream of one stream key. */
export class _KeyStream {
  private readonly key: Uint8Array;
  private nextBlock = 0;
  private readonly chunk = new Uint8Array(CHUNK_BYTES);
  private pos = CHUNK_BYTES;

  /** A reader from keystream byte `fromByte` on (0: the start of the stream). */
  constructor(streamKey: Uint8Array, fromByte = 0) {
    this.key = Uint8Array.from(streamKey);
    this.nextBlock = Math.floor(fromByte / 64);
    if (fromByte % 64 !== 0) {
      this.refill();
      this.pos = fromByte % 64;
    }
  }

  private refill(): void {
    this.chunk.fill(0);
    chacha20(this.key, ZERO_NONCE, this.chunk, this.chunk, this.nextBlock);
    this.nextBlock += CHUNK_BYTES / 64;
    this.pos = 0;
  }

  /** Fills `out` with the next out.length keystream bytes. */
  fill(out: Uint8Array): void {
    let o = 0;
    while (o < out.length) {
      if (this.pos === CHUNK_BYTES) {
        const whole = (out.length - o) & ~63;
        if (whole >= CHUNK_BYTES) {
          const seg = out.subarray(o, o + whole);
          seg.fill(0);
          chacha20(this.key, ZERO_NONCE, seg, seg, this.nextBlock);
          this.nextBlock += whole / 64;
          o += whole;
          continue;
        }
        this.refill();
      }
      const n = Math.min(CHUNK_BYTES - this.pos, out.length - o);
      out.set(this.chunk.subarray(this.pos, this.pos + n), o);
      this.pos += n;
      o += n;
    }
  }

  /** The next 4 keystream bytes as an unsigned little-endian 32-bit integer. */
  u32(): number {
    if (this.pos + 4 > CHUNK_BYTES) {
      const b = new Uint8Array(4);
      this.fill(b);
      return (b[0]! | (b[1]! << 8) | (b[2]! << 16) | (b[3]! << 24)) >>> 0;
    }
    const c = this.chunk, p = this.pos;
    this.pos += 4;
    return (c[p]! | (c[p + 1]! << 8) | (c[p + 2]! << 16) | (c[p + 3]! << 24)) >>> 0;
  }

  /** Zero-fills the key and buffered keystream. */
  wipe(): void {
    this.key.fill(0);
    this.chunk.fill(0);
    this.pos = CHUNK_BYTES;
  }
}
