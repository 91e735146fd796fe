import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { applyOps } from '../../augment/apply.js';
import { encodeImage } from '../../augment/image-io.js';
import type { ConcreteOp, RawImage } from '../../augment/op.js';
import type { PipelineJson } from '../../augment/pipeline.js';
import { colourRunLength } from '../../augment/pixels/colour-run.js';
import { findPixelOp } from '../../augment/registry.js';
import { contentHash } from '../../library/read-image.js';
import { decodeSource, workingMaxSide, type RenderSettings } from '../render-source.js';

/** CPU milliseconds per output image of one step of rendering it, in the order the render runs them. */
export interface ExportStage {
  name: string;
  cpuMs: number;
}

/**
 * The ops as the render applies them: a run of geometric ops (one resample), a colour run (one
 * pass) or a single op. Applying the segments one after another gives the render's bytes.
 */
function segments(ops: readonly ConcreteOp[]): ConcreteOp[][] {
  const out: ConcreteOp[][] = [];
  for (let i = 0; i < ops.length; ) {
    const colour = colourRunLength(ops, i);
    let n = colour;
    if (n === 0) {
      n = 1;
      if (findPixelOp(ops[i]!.op)?.geometry) while (i + n < ops.length && findPixelOp(ops[i + n]!.op)?.geometry) n++;
    }
    out.push(ops.slice(i, i + n));
    i += n;
  }
  return out;
}

/**
 * Where one export copy's CPU time goes, step by step, on the JPEGs given: read + content hash,
 * decode (only the part of the source the copy's warp reads, as the export does), each segment of the pipeline, encode, write. One image at a time on
 * this thread (the export spreads whole images over threads), CPU time of the process, so other
 * programs' load blurs it less than wall time.
 */
export async function measureExportStages(files: readonly string[], pipeline: PipelineJson, size: number, quality: number): Promise<ExportStage[]> {
  // As an export renders one copy per image: decodeSource decodes only the part the warp reads.
  const settings: RenderSettings = { pipeline, seed: 1, maxSide: workingMaxSide(size), size, fit: 'cover', format: 'jpeg', quality, root: '' };
  const out = await fs.mkdtemp(path.join(os.tmpdir(), 'smallset-bench-stages-'));
  const totals = new Map<string, number>();
  const add = (name: string, since: NodeJS.CpuUsage) => {
    const used = process.cpuUsage(since);
    totals.set(name, (totals.get(name) ?? 0) + (used.user + used.system) / 1000);
  };
  try {
    // One image through every step first, so one-off starts (loading a decoder, compiling the
    // wasm kernels, libvips' first call) do not land in the per-image figures.
    if (files[0]) {
      const warm = await decodeSource(await fs.readFile(files[0]), files[0], settings, { imageId: 0, outputs: [{ file: '', copy: 0 }] });
      await encodeImage(await applyOps(warm.image, warm.ops[0]!, warm.window ? { window: warm.window } : {}), { format: 'jpeg', quality });
    }
    for (const [index, file] of files.entries()) {
      let t = process.cpuUsage();
      const bytes = await fs.readFile(file);
      contentHash(bytes);
      add('read + sha1', t);
      t = process.cpuUsage();
      const source = await decodeSource(bytes, file, settings, { imageId: index, outputs: [{ file: '', copy: 0 }] });
      add('decode', t);
      let image: RawImage = source.image;
      for (const [k, segment] of segments(source.ops[0]!).entries()) {
        t = process.cpuUsage();
        image = await applyOps(image, segment, k === 0 && source.window ? { window: source.window } : {});
        add(segment.map((c) => c.op).join('+'), t);
      }
      t = process.cpuUsage();
      const encoded = await encodeImage(image, { format: 'jpeg', quality });
      add(`encode ${image.width}×${image.height} q${quality}`, t);
      t = process.cpuUsage();
      await fs.writeFile(path.join(out, `${index}.jpg`), encoded);
      add('write', t);
    }
  } finally {
    await fs.rm(out, { recursive: true, force: true });
  }
  return [...totals].map(([name, ms]) => ({ name, cpuMs: ms / Math.max(1, files.length) }));
}
