/** The shape classes of the generated sample dataset, each drawn as an SVG fragment. */
export const shapeClasses = ['circles', 'squares', 'triangles', 'stripes', 'rings', 'crosses', 'stars', 'hexagons'] as const;
export type ShapeClass = (typeof shapeClasses)[number];

export interface ShapeParams {
  cx: number;
  cy: number;
  /** Half the shape's extent, in pixels. */
  r: number;
  /** Degrees. */
  angle: number;
  fill: string;
}

const f = (n: number) => n.toFixed(2);

function polygon(p: ShapeParams, corners: number, inner?: number): string {
  const points: string[] = [];
  const steps = inner === undefined ? corners : corners * 2;
  for (let k = 0; k < steps; k++) {
    const radius = inner !== undefined && k % 2 === 1 ? p.r * inner : p.r;
    const a = (Math.PI * 2 * k) / steps - Math.PI / 2;
    points.push(`${f(p.cx + radius * Math.cos(a))},${f(p.cy + radius * Math.sin(a))}`);
  }
  return `<polygon points="${points.join(' ')}" fill="${p.fill}"/>`;
}

/** One shape as SVG elements; rotation goes around the shape's own centre. */
export function shapeSvg(shape: ShapeClass, p: ShapeParams): string {
  const turn = `transform="rotate(${f(p.angle)} ${f(p.cx)} ${f(p.cy)})"`;
  switch (shape) {
    case 'circles':
      return `<circle cx="${f(p.cx)}" cy="${f(p.cy)}" r="${f(p.r)}" fill="${p.fill}"/>`;
    case 'squares': {
      const s = p.r * 1.6;
      return `<rect x="${f(p.cx - s / 2)}" y="${f(p.cy - s / 2)}" width="${f(s)}" height="${f(s)}" fill="${p.fill}" ${turn}/>`;
    }
    case 'triangles':
      return `<g ${turn}>${polygon(p, 3)}</g>`;
    case 'stripes': {
      // Four bars with gaps as wide as the bars, filling a square patch.
      const s = p.r * 1.8;
      const bar = s / 7;
      const bars = [0, 2, 4, 6].map(
        (k) => `<rect x="${f(p.cx - s / 2 + k * bar)}" y="${f(p.cy - s / 2)}" width="${f(bar)}" height="${f(s)}" fill="${p.fill}"/>`,
      );
      return `<g ${turn}>${bars.join('')}</g>`;
    }
    case 'rings':
      return `<circle cx="${f(p.cx)}" cy="${f(p.cy)}" r="${f(p.r * 0.8)}" fill="none" stroke="${p.fill}" stroke-width="${f(p.r * 0.35)}"/>`;
    case 'crosses': {
      const w = p.r * 0.55;
      return (
        `<g ${turn}><rect x="${f(p.cx - p.r)}" y="${f(p.cy - w / 2)}" width="${f(2 * p.r)}" height="${f(w)}" fill="${p.fill}"/>` +
        `<rect x="${f(p.cx - w / 2)}" y="${f(p.cy - p.r)}" width="${f(w)}" height="${f(2 * p.r)}" fill="${p.fill}"/></g>`
      );
    }
    case 'stars':
      return `<g ${turn}>${polygon(p, 5, 0.45)}</g>`;
    case 'hexagons':
      return `<g ${turn}>${polygon(p, 6)}</g>`;
  }
}
