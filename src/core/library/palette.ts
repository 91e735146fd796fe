/**
 * Class colours: Tableau 10 then the lighter half of Tableau 20, chosen because neighbouring
 * entries stay distinguishable for most colour-vision deficiencies and on light or dark themes.
 */
export const palette = [
  '#4e79a7', '#f28e2b', '#e15759', '#76b7b2', '#59a14f', '#edc948', '#b07aa1', '#ff9da7', '#9c755f', '#bab0ac',
  '#a0cbe8', '#ffbe7d', '#8cd17d', '#b6992d', '#f1ce63', '#86bcb6', '#ff9d9a', '#79706e', '#d37295', '#d4a6c8',
];

/** The first palette colour no class uses yet; cycles once all are taken. */
export function nextColor(used: readonly string[]): string {
  const taken = new Set(used.map((c) => c.toLowerCase()));
  return palette.find((c) => !taken.has(c)) ?? palette[used.length % palette.length]!;
}
