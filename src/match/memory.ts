// Linear memory of one kernel instance (README "Matching"): a WebAssembly.Memory, or for the JS
// backend an ArrayBuffer that grows the same way, with a bump allocator and typed-array views
// that are recreated whenever the memory has grown.
import { TemplockError } from '../errors.js';

/** Bytes of one WebAssembly page. */
export const PAGE_BYTES = 65536;
/** Pages of the largest memory a 32-bit WebAssembly instance can address (4 GiB). */
export const MAX_PAGES = 65536;

/** What a kernel instance's memory offers: a buffer and growth by whole pages. */
export interface _MemoryLike {
  readonly buffer: ArrayBuffer | SharedArrayBuffer;
  grow(deltaPages: number): number;
}

/** The JS backend's memory: an ArrayBuffer that grows by copying, like a WebAssembly.Memory. */
export class _JsMemory implements _MemoryLike {
  buffer: ArrayBuffer;
  constructor(pages: number) {
    this.buffer = new ArrayBuffer(pages * PAGE_BYTES);
  }
  grow(deltaPages: number): number {
    const old = this.buffer.byteLength / PAGE_BYTES;
    if (old + deltaPages > MAX_PAGES) throw new RangeError('memory: maximum size exceeded');
    const next = new ArrayBuffer((old + deltaPages) * PAGE_BYTES);
    new Uint8Array(next).set(new Uint8Array(this.buffer));
    this.buffer = next;
    return old;
  }
}

/** Typed views of a memory, refreshed after growth, plus a bump allocator above `base`. */
export class _Heap {
  private viewsOf: ArrayBuffer | SharedArrayBuffer | undefined;
  private _u8: Uint8Array = new Uint8Array(0);
  private _i8: Int8Array = new Int8Array(0);
  private _i16: Int16Array = new Int16Array(0);
  private _u32: Uint32Array = new Uint32Array(0);
  private _i32: Int32Array = new Int32Array(0);
  private _f32: Float32Array = new Float32Array(0);
  /** First free byte; allocations never go below it. */
  top: number;
  /** Most bytes this memory may grow to (at most 4 GiB). */
  limitBytes = MAX_PAGES * PAGE_BYTES;

  constructor(readonly memory: _MemoryLike, base: number) {
    this.top = align16(base);
  }

  private refresh(): void {
    const buf = this.memory.buffer;
    if (buf === this.viewsOf && this._u8.byteLength === buf.byteLength) return;
    this.viewsOf = buf;
    this._u8 = new Uint8Array(buf);
    this._i8 = new Int8Array(buf);
    this._i16 = new Int16Array(buf, 0, buf.byteLength >>> 1);
    this._u32 = new Uint32Array(buf, 0, buf.byteLength >>> 2);
    this._i32 = new Int32Array(buf, 0, buf.byteLength >>> 2);
    this._f32 = new Float32Array(buf, 0, buf.byteLength >>> 2);
  }

  /** Whole-memory views, valid until the next growth (take them after any allocation). */
  get u8(): Uint8Array { this.refresh(); return this._u8; }
  get i8(): Int8Array { this.refresh(); return this._i8; }
  get i16(): Int16Array { this.refresh(); return this._i16; }
  get u32(): Uint32Array { this.refresh(); return this._u32; }
  get i32(): Int32Array { this.refresh(); return this._i32; }
  get f32(): Float32Array { this.refresh(); return this._f32; }

  /** Bytes the memory holds now. */
  get byteLength(): number {
    return this.memory.buffer.byteLength;
  }

  /**
   * Grows the memory so that bytes [0, end) exist; CAPACITY_EXCEEDED (memory unchanged) when
   * that is over 4 GiB or the engine refuses the growth.
   */
  ensure(end: number): void {
    const have = this.memory.buffer.byteLength;
    if (end <= have) return;
    const pages = Math.ceil(end / PAGE_BYTES);
    const maxPages = Math.floor(this.limitBytes / PAGE_BYTES);
    if (pages > maxPages) throw new TemplockError('CAPACITY_EXCEEDED', `memory: ${end} bytes needed, over the limit of ${maxPages * PAGE_BYTES}`);
    // Grow at least by half again, so that n appends cost O(n) copies in the JS backend.
    const want = Math.min(maxPages, Math.max(pages, Math.ceil((have / PAGE_BYTES) * 1.5)));
    try {
      this.memory.grow(want - have / PAGE_BYTES);
    } catch {
      try {
        this.memory.grow(pages - have / PAGE_BYTES);
      } catch {
        throw new TemplockError('CAPACITY_EXCEEDED', `memory: the engine could not grow to ${end} bytes`);
      }
    }
  }

  /** Reserves `bytes` bytes, 16-aligned, and returns their offset. */
  alloc(bytes: number): number {
    const at = this.top;
    this.ensure(at + bytes);
    this.top = align16(at + bytes);
    return at;
  }
}

function align16(n: number): number {
  return Math.ceil(n / 16) * 16;
}
