/** The part of the WebAssembly API used here (the engine's TypeScript settings have no DOM types). */
interface WasmApi {
  Memory: new (descriptor: { initial: number }) => WasmMemory;
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { readonly exports: unknown };
}

interface WasmMemory {
  readonly buffer: ArrayBuffer;
  grow(pages: number): number;
}

const wasm = (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly;

const PAGE = 65536;
const align = (n: number) => (n + 15) & ~15;

/**
 * One instance of a kernel module built by a `build.sh` (clang, no libc, memory imported as
 * env.memory), with the memory it runs on. Callers lay their buffers out from the heap base on
 * every call, so nothing stays in wasm memory between calls unless a caller says so.
 */
export class KernelModule<F extends { readonly __heap_base: { readonly value: number } }> {
  readonly memory: WasmMemory = new wasm.Memory({ initial: 2 });
  readonly fn: F;
  /** The first 16-byte-aligned byte after the module's stack and data. */
  readonly base: number;

  constructor(base64: string) {
    const module = new wasm.Module(Buffer.from(base64, 'base64'));
    this.fn = new wasm.Instance(module, { env: { memory: this.memory } }).exports as F;
    this.base = align(this.fn.__heap_base.value);
  }

  /**
   * Offsets for buffers of these byte sizes (16-byte aligned) from `from`, then the offset just
   * past the last one; the memory is grown to hold them.
   */
  layout(sizes: readonly number[], from = this.base): number[] {
    const offsets: number[] = [];
    let end = from;
    for (const size of sizes) {
      offsets.push(end);
      end = align(end + size);
    }
    offsets.push(end);
    const have = this.memory.buffer.byteLength;
    if (end > have) this.memory.grow(Math.ceil((end - have) / PAGE));
    return offsets;
  }

  bytes(offset: number, length: number): Uint8Array {
    return new Uint8Array(this.memory.buffer, offset, length);
  }
}
