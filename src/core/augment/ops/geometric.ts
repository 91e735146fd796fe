import type { z } from 'zod';
import { pixelOp, type FillMode, type GeometryStage, type Mat3, type PixelOp, type RawImage, type Size } from '../op.js';
import { parseHexColour } from '../params.js';
import { warp } from '../pixels/warp.js';

/** The concrete fill every geometric op that uncovers area carries. */
export type FillConcrete = { fill: FillMode; fill_colour: string };

export function stage(inverse: Mat3, size: Size, out: Size, fill: FillConcrete | null): GeometryStage {
  return {
    inverse,
    inWidth: size.width,
    inHeight: size.height,
    outWidth: out.width,
    outHeight: out.height,
    fill: fill?.fill ?? 'edge',
    fillColour: fill ? parseHexColour(fill.fill_colour) : [0, 0, 0],
    insideOnly: fill === null,
  };
}

type GeometricDef<S extends z.ZodType, C extends object> = Omit<PixelOp<S, C>, 'kind' | 'apply' | 'geometry' | 'outputSize'> & {
  geometry(concrete: C, size: Size): GeometryStage;
};

/** A geometric op is its coordinate map: applying it alone is one resample through its own stage. */
export function geometricOp<S extends z.ZodType, C extends object>(def: GeometricDef<S, C>): PixelOp<S, C> {
  return pixelOp<S, C>({
    ...def,
    apply: (image: RawImage, concrete: C) => warp(image, [def.geometry(concrete, image)]),
    outputSize: (concrete: C, size: Size) => {
      const s = def.geometry(concrete, size);
      return { width: s.outWidth, height: s.outHeight };
    },
  });
}
