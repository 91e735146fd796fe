import { z } from 'zod';
import { pixelOp } from '../op.js';
import { flag, range } from '../params.js';
import { addGaussianNoise, addSaltPepper } from '../pixels/noise.js';

/** σ as a fraction of 255; `seed` fixes the noise field so it replays exactly. */
export type GaussianNoiseConcrete = { sigma: number; per_channel: boolean; seed: number };
/** `amount` = fraction of pixels hit, `salt` = share of those set to white; `seed` fixes which. */
export type SaltPepperConcrete = { amount: number; salt: number; seed: number };

export const gaussianNoise = pixelOp({
  id: 'gaussian_noise',
  label: 'Gaussian noise',
  category: 'noise',
  description: 'Add normally distributed noise; σ as a fraction of the full 0–255 range.',
  defaultP: 1,
  params: z.strictObject({
    sigma: range(0, 1, [0.01, 0.05], 'σ (fraction of 255)', { step: 0.005 }),
    per_channel: flag(true, 'Independent noise per channel (off = grey noise)'),
  }),
  sample: (rng, p): GaussianNoiseConcrete => ({
    sigma: rng.uniform(p.sigma[0], p.sigma[1]),
    per_channel: p.per_channel,
    seed: rng.uint32(),
  }),
  apply: (image, c: GaussianNoiseConcrete) => addGaussianNoise(image, c.sigma, c.per_channel, c.seed),
});

export const saltPepper = pixelOp({
  id: 'salt_pepper',
  label: 'Salt and pepper',
  category: 'noise',
  description: 'Turn random pixels white or black.',
  defaultP: 1,
  params: z.strictObject({
    amount: range(0, 1, [0.01, 0.06], 'Pixels hit (fraction)', { step: 0.005 }),
    salt_vs_pepper: range(0, 1, [0.4, 0.6], 'Share of white among them'),
  }),
  sample: (rng, p): SaltPepperConcrete => ({
    amount: rng.uniform(p.amount[0], p.amount[1]),
    salt: rng.uniform(p.salt_vs_pepper[0], p.salt_vs_pepper[1]),
    seed: rng.uint32(),
  }),
  apply: (image, c: SaltPepperConcrete) => addSaltPepper(image, c.amount, c.salt, c.seed),
});
