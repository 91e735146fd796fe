import { autoKernelSize } from '../pixels/convolve.js';
import { noEquivalent, num, range, someOfCount, splitChildren, str, type EmitContext, type Params, type TargetEmitter } from './emitter.js';
import { item, pyFloat, pyNum, pyRgb, pythonFile, pyTuple, renderList, type Item } from './python.js';

const T = 'torchvision';
const BILINEAR = 'interpolation=v2.InterpolationMode.BILINEAR';

const HELPERS: Record<string, string> = {
  salt_and_pepper: `def salt_and_pepper(img, amount, salt_vs_pepper):
    """Smallset's salt_pepper: a random share of pixels turns white or black (all channels)."""
    a = random.uniform(*amount)
    s = random.uniform(*salt_vs_pepper)
    hit = torch.rand(img.shape[-2:]) < a
    white = torch.rand(img.shape[-2:]) < s
    out = img.clone()
    out[..., hit & white] = 255
    out[..., hit & ~white] = 0
    return out`,
  gaussian_noise: `def gaussian_noise(img, sigma, per_channel):
    """Smallset's gaussian_noise: N(0, sigma * 255) added to uint8 pixels, rounded and clipped."""
    s = random.uniform(*sigma) * 255
    shape = img.shape if per_channel else (1, *img.shape[-2:])
    return (img.float() + torch.randn(shape) * s).round().clamp(0, 255).to(torch.uint8)`,
  SomeOf: `class SomeOf(torch.nn.Module):
    """Smallset's some_of: n different transforms picked at random, applied in list order (each with its own p)."""

    def __init__(self, transforms, n):
        super().__init__()
        self.transforms = transforms
        self.n = n

    def forward(self, img):
        for i in sorted(random.sample(range(len(self.transforms)), self.n)):
            img = self.transforms[i](img)
        return img`,
};

const v2 = (name: string, args: string[]) => `v2.${name}(${args.join(', ')})`;

/** p < 1 becomes v2.RandomApply; transforms with their own p take it directly instead. */
function withP(expr: string, p: number): string {
  return p >= 1 ? expr : `v2.RandomApply([${expr}], p=${pyFloat(p)})`;
}

/** torchvision geometric transforms fill with a constant only. */
function fill(params: Params, op: string, notes: string[]): string {
  if (params.fill === 'constant') return `fill=${pyRgb(str(params.fill_colour))}`;
  notes.push(`${op}: torchvision fills uncovered area with a constant only; the "${str(params.fill)}" fill becomes black`);
  return 'fill=0';
}

/** A draw of a uniform value per call, inside a v2.Lambda (exactly the op's own sampling). */
const uniform = (r: [number, number], scale = 1) => `random.uniform(${pyFloat(r[0] * scale)}, ${pyFloat(r[1] * scale)})`;

function leaf(op: string, params: Params, p: number, ctx: EmitContext): Item {
  const notes: string[] = [];
  const done = (expr: string | null) => item(expr, ...notes);
  switch (op) {
    case 'hflip':
      return done(v2('RandomHorizontalFlip', [`p=${pyFloat(p)}`]));
    case 'vflip':
      return done(v2('RandomVerticalFlip', [`p=${pyFloat(p)}`]));
    case 'rotate':
      return done(withP(v2('RandomRotation', [`degrees=${pyTuple(range(params.degrees))}`, BILINEAR, fill(params, op, notes)]), p));
    case 'rotate90': {
      const [lo, hi] = range(params.k);
      const turns = Array.from({ length: hi - lo + 1 }, (_v, i) => v2('RandomRotation', [`degrees=(${(lo + i) * 90}, ${(lo + i) * 90})`, 'expand=True']));
      return done(withP(turns.length === 1 ? turns[0]! : `v2.RandomChoice([${turns.join(', ')}])`, p));
    }
    case 'translate': {
      const [x0, x1] = range(params.x);
      const [y0, y1] = range(params.y);
      const ax = Math.max(Math.abs(x0), Math.abs(x1));
      const ay = Math.max(Math.abs(y0), Math.abs(y1));
      if (x0 !== -x1 || y0 !== -y1) notes.push(`translate: torchvision shifts symmetrically, up to ±${pyNum(ax)} of the width and ±${pyNum(ay)} of the height`);
      return done(withP(v2('RandomAffine', ['degrees=0', `translate=${pyTuple([ax, ay])}`, BILINEAR, fill(params, op, notes)]), p));
    }
    case 'zoom':
      return done(withP(v2('RandomAffine', ['degrees=0', `scale=${pyTuple(range(params.scale))}`, BILINEAR, fill(params, op, notes)]), p));
    case 'shear': {
      // torchvision's shear matrices are [1, −tan(sx); 0, 1] and [1, 0; −tan(sy), 1]: the opposite sign of Smallset's.
      const [x0, x1] = range(params.x);
      const [y0, y1] = range(params.y);
      return done(withP(v2('RandomAffine', ['degrees=0', `shear=${pyTuple([-x1, -x0, -y1, -y0])}`, BILINEAR, fill(params, op, notes)]), p));
    }
    case 'random_resized_crop':
      if (p < 1) notes.push(`random_resized_crop: with p=${pyNum(p)} the images it skips keep their own size`);
      return done(withP(v2('RandomResizedCrop', [`size=(${num(params.height)}, ${num(params.width)})`, `scale=${pyTuple(range(params.scale))}`, `ratio=${pyTuple(range(params.ratio))}`, 'antialias=True']), p));
    case 'crop': {
      ctx.usesImageSize = true;
      const [lo, hi] = range(params.scale);
      const s = pyNum((lo + hi) / 2);
      if (lo !== hi) notes.push(`crop: torchvision crops one fixed size; the middle of the side range [${pyNum(lo)}, ${pyNum(hi)}] is used`);
      return done(withP(v2(params.position === 'center' ? 'CenterCrop' : 'RandomCrop', [`size=(int(${s} * IMAGE_SIZE), int(${s} * IMAGE_SIZE))`]), p));
    }
    case 'perspective': {
      const [lo, hi] = range(params.distortion);
      if (lo > 0) notes.push(`perspective: torchvision draws corner shifts up to one distortion_scale; Smallset's range [${pyNum(lo)}, ${pyNum(hi)}] becomes ${pyNum(hi)}`);
      return done(v2('RandomPerspective', [`distortion_scale=${pyFloat(hi)}`, `p=${pyFloat(p)}`, BILINEAR, fill(params, op, notes)]));
    }
    case 'brightness':
    case 'contrast':
    case 'saturation':
      return done(withP(v2('ColorJitter', [`${op}=${pyTuple(range(params.factor))}`]), p));
    case 'hue':
      return done(withP(v2('ColorJitter', [`hue=${pyTuple(range(params.shift))}`]), p));
    case 'gamma':
      return done(withP(`v2.Lambda(lambda img: v2.functional.adjust_gamma(img, ${uniform(range(params.gamma))}))`, p));
    case 'grayscale':
      return done(v2('RandomGrayscale', [`p=${pyFloat(p)}`]));
    case 'equalize':
      return done(v2('RandomEqualize', [`p=${pyFloat(p)}`]));
    case 'autocontrast':
      return done(v2('RandomAutocontrast', [`p=${pyFloat(p)}`]));
    case 'posterize': {
      const [lo, hi] = range(params.bits);
      if (lo === hi) return done(v2('RandomPosterize', [`bits=${lo}`, `p=${pyFloat(p)}`]));
      const each = Array.from({ length: hi - lo + 1 }, (_v, i) => v2('RandomPosterize', [`bits=${lo + i}`, 'p=1.0']));
      return done(withP(`v2.RandomChoice([${each.join(', ')}])`, p));
    }
    case 'solarize': {
      const [lo, hi] = range(params.threshold);
      if (lo === hi) return done(v2('RandomSolarize', [`threshold=${pyFloat(lo * 255)}`, `p=${pyFloat(p)}`]));
      return done(withP(`v2.Lambda(lambda img: v2.functional.solarize(img, ${uniform([lo, hi], 255)}))`, p));
    }
    case 'sharpen':
      return done(withP(`v2.Lambda(lambda img: v2.functional.adjust_sharpness(img, ${uniform(range(params.factor))}))`, p));
    case 'gaussian_blur': {
      const [lo, hi] = range(params.sigma);
      let k = num(params.kernel_size);
      if (k === 0) {
        k = autoKernelSize(hi);
        notes.push(`gaussian_blur: torchvision uses one kernel size, here the one the largest σ needs (${k})`);
      }
      return done(withP(v2('GaussianBlur', [`kernel_size=${k}`, `sigma=${pyTuple([lo, hi])}`]), p));
    }
    case 'jpeg_quality':
      return done(withP(v2('JPEG', [`quality=${pyTuple(range(params.quality), false)}`]), p));
    case 'gaussian_noise':
      ctx.helpers.add('gaussian_noise');
      return done(withP(`v2.Lambda(lambda img: gaussian_noise(img, ${pyTuple(range(params.sigma))}, ${params.per_channel ? 'True' : 'False'}))`, p));
    case 'salt_pepper':
      ctx.helpers.add('salt_and_pepper');
      return done(withP(`v2.Lambda(lambda img: salt_and_pepper(img, ${pyTuple(range(params.amount))}, ${pyTuple(range(params.salt_vs_pepper))}))`, p));
    case 'cutout':
      return done(cutout(params, p));
    case 'randaugment':
      return done(withP(v2('RandAugment', [`num_ops=${num(params.n)}`, `magnitude=${num(params.m)}`, 'num_magnitude_bins=31', BILINEAR, fill(params, op, notes)]), p));
    case 'trivialaugment':
      return done(withP(v2('TrivialAugmentWide', ['num_magnitude_bins=31', BILINEAR, fill(params, op, notes)]), p));
    default:
      return item(null, noEquivalent(op, T, 'this exporter does not know the op yet'));
  }
}

/** torchvision's RandomErasing is the same model (area share, h/w ratio); several holes are several erasings. */
function cutout(params: Params, p: number): string {
  const [h0, h1] = range(params.holes);
  const erase = v2('RandomErasing', ['p=1.0', `scale=${pyTuple(range(params.scale))}`, `ratio=${pyTuple(range(params.ratio))}`, `value=${pyRgb(str(params.fill_colour))}`]);
  const holes = (n: number) => (n === 1 ? erase : `v2.Compose([${Array.from({ length: n }, () => erase).join(', ')}])`);
  if (h0 === 1 && h1 === 1) return erase.replace('p=1.0', `p=${pyFloat(p)}`);
  const choices = Array.from({ length: h1 - h0 + 1 }, (_v, i) => holes(h0 + i));
  return withP(choices.length === 1 ? choices[0]! : `v2.RandomChoice([${choices.join(', ')}])`, p);
}

export const torchvisionEmitter: TargetEmitter = {
  name: T,
  leaf,
  composite(node, p, ctx, emitChild) {
    const notes: string[] = [];
    if (node.op.id === 'one_of') {
      // RandomChoice picks with the given weights and always applies the pick: one_of's children weigh by p and then apply.
      const { all, kept } = splitChildren(node, (c) => emitChild(c, 1));
      if (!kept.length) return item(null, 'one_of: none of its ops has a torchvision equivalent', ...all.flatMap((a) => a.notes));
      const weights = kept.map((k) => pyFloat(k.node.p)).join(', ');
      return item(withP(renderList('v2.RandomChoice([', all, `], p=[${weights}])`), p), ...notes);
    }
    ctx.helpers.add('SomeOf');
    const { all, kept } = splitChildren(node, (c) => emitChild(c, c.p));
    const n = someOfCount(node, kept.length, notes);
    if (n === 0) return item(null, ...notes, ...all.flatMap((a) => a.notes));
    return item(withP(renderList('SomeOf([', all, `], n=${n})`), p), ...notes);
  },
  file(items, ctx, header) {
    const preamble = [
      ...header,
      '# Needs torchvision >= 0.20 (transforms.v2, v2.JPEG); works on uint8 image tensors [C, H, W].',
      'import random',
      '',
      'import torch',
      'from torchvision.transforms import v2',
      '',
    ];
    return pythonFile(preamble, HELPERS, ctx, `transform = ${renderList('v2.Compose([', [item('v2.ToImage()'), ...items], '])')}`);
  },
};
