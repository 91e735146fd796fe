import { noEquivalent, num, range, someOfCount, splitChildren, str, type EmitContext, type Params, type TargetEmitter } from './emitter.js';
import { item, pyFloat, pyNum, pyRgb, pythonFile, pyTuple, renderList, type Item } from './python.js';

const BORDER: Record<string, string> = {
  constant: 'cv2.BORDER_CONSTANT',
  edge: 'cv2.BORDER_REPLICATE',
  // OpenCV's REFLECT_101 mirrors about the edge pixel without repeating it, exactly like Smallset's reflect.
  reflect: 'cv2.BORDER_REFLECT_101',
};

function border(params: Params): string {
  const mode = str(params.fill);
  const b = `border_mode=${BORDER[mode]}`;
  return mode === 'constant' ? `${b}, fill=${pyRgb(str(params.fill_colour))}` : b;
}

const call = (name: string, args: string[], p: number) => `A.${name}(${[...args, `p=${pyFloat(p)}`].join(', ')})`;

/** Neutral ColorJitter arguments (Albumentations defaults are not neutral), with one of them set. */
function jitter(which: 'brightness' | 'contrast' | 'saturation' | 'hue', r: [number, number], p: number): string {
  const args = { brightness: '(1.0, 1.0)', contrast: '(1.0, 1.0)', saturation: '(1.0, 1.0)', hue: '(0.0, 0.0)' };
  args[which] = pyTuple(r);
  return call('ColorJitter', Object.entries(args).map(([k, v]) => `${k}=${v}`), p);
}

function leaf(op: string, params: Params, p: number, ctx: EmitContext): Item {
  const T = 'Albumentations';
  switch (op) {
    case 'hflip':
      return item(call('HorizontalFlip', [], p));
    case 'vflip':
      return item(call('VerticalFlip', [], p));
    case 'rotate':
      return item(call('Rotate', [`limit=${pyTuple(range(params.degrees))}`, 'interpolation=cv2.INTER_LINEAR', border(params)], p));
    case 'rotate90': {
      const [lo, hi] = range(params.k);
      if (lo === 0 && hi === 3) return item(call('RandomRotate90', [], p));
      return item(null, noEquivalent(op, T, `A.RandomRotate90 always draws k from 0..3, but this op draws k from ${lo}..${hi}; add A.RandomRotate90 if that is close enough`));
    }
    case 'translate': {
      const x = pyTuple(range(params.x));
      const y = pyTuple(range(params.y));
      return item(call('Affine', [`translate_percent={"x": ${x}, "y": ${y}}`, border(params)], p));
    }
    case 'zoom':
      return item(call('Affine', [`scale=${pyTuple(range(params.scale))}`, 'keep_ratio=True', border(params)], p));
    case 'shear':
      return item(call('Affine', [`shear={"x": ${pyTuple(range(params.x))}, "y": ${pyTuple(range(params.y))}}`, border(params)], p));
    case 'random_resized_crop':
      return item(
        call('RandomResizedCrop', [`size=(${num(params.height)}, ${num(params.width)})`, `scale=${pyTuple(range(params.scale))}`, `ratio=${pyTuple(range(params.ratio))}`], p),
        ...(p < 1 ? [`random_resized_crop: with p=${pyNum(p)} the images it skips keep their own size`] : []),
      );
    case 'crop': {
      ctx.usesImageSize = true;
      const [lo, hi] = range(params.scale);
      const s = (lo + hi) / 2;
      const size = `height=int(${pyNum(s)} * IMAGE_SIZE), width=int(${pyNum(s)} * IMAGE_SIZE)`;
      const notes = lo !== hi ? [`crop: Albumentations crops one fixed size; the middle of the side range [${pyNum(lo)}, ${pyNum(hi)}] is used`] : [];
      return item(call(params.position === 'center' ? 'CenterCrop' : 'RandomCrop', [size], p), ...notes);
    }
    case 'perspective': {
      const [lo, hi] = range(params.distortion);
      return item(
        call('Perspective', [`scale=${pyTuple([lo / 2, hi / 2])}`, 'keep_size=True', border(params)], p),
        'perspective: Albumentations draws each corner shift from a normal distribution with this σ (fraction of the side); Smallset draws it uniformly up to the same fraction',
      );
    }
    case 'brightness':
    case 'contrast':
    case 'saturation':
      return item(jitter(op, range(params.factor), p));
    case 'hue':
      return item(jitter('hue', range(params.shift), p));
    case 'gamma': {
      const [lo, hi] = range(params.gamma);
      return item(call('RandomGamma', [`gamma_limit=${pyTuple([lo * 100, hi * 100])}`], p));
    }
    case 'grayscale':
      return item(call('ToGray', ['num_output_channels=3', 'method="weighted_average"'], p));
    case 'equalize':
      return item(call('Equalize', ['mode="pil"', 'by_channels=True'], p));
    case 'autocontrast':
      return item(call('AutoContrast', [], p));
    case 'posterize':
      return item(call('Posterize', [`num_bits=${pyTuple(range(params.bits), false)}`], p));
    case 'solarize':
      return item(call('Solarize', [`threshold_range=${pyTuple(range(params.threshold))}`], p));
    case 'sharpen':
      return item(
        null,
        noEquivalent(op, T, `A.Sharpen blends with a Laplacian-sharpened image instead of torchvision's adjust_sharpness (factor ${pyTuple(range(params.factor))}); A.Sharpen(alpha=(0.2, 0.5)) is the nearest if you want one`),
      );
    case 'gaussian_blur': {
      // blur_limit=0 lets Albumentations size the kernel from σ, as kernel_size 0 does here.
      const k = num(params.kernel_size);
      return item(call('GaussianBlur', [`blur_limit=${k === 0 ? '0' : pyTuple([k, k], false)}`, `sigma_limit=${pyTuple(range(params.sigma))}`], p));
    }
    case 'jpeg_quality':
      return item(call('ImageCompression', [`quality_range=${pyTuple(range(params.quality), false)}`, 'compression_type="jpeg"'], p));
    case 'gaussian_noise':
      return item(call('GaussNoise', [`std_range=${pyTuple(range(params.sigma))}`, 'mean_range=(0.0, 0.0)', `per_channel=${params.per_channel ? 'True' : 'False'}`], p));
    case 'salt_pepper':
      return item(call('SaltAndPepper', [`amount=${pyTuple(range(params.amount))}`, `salt_vs_pepper=${pyTuple(range(params.salt_vs_pepper))}`], p));
    case 'cutout':
      return cutout(params, p);
    case 'randaugment':
    case 'trivialaugment':
      return item(null, noEquivalent(op, T, `Albumentations has no ${op === 'randaugment' ? 'RandAugment' : 'TrivialAugment'} policy; export to torchvision for the same policy`));
    default:
      return item(null, noEquivalent(op, T, 'this exporter does not know the op yet'));
  }
}

/** RandomErasing (area share and h/w ratio per hole): A.Erasing for one hole; several holes become an approximate CoarseDropout. */
function cutout(params: Params, p: number): Item {
  const [h0, h1] = range(params.holes);
  const [s0, s1] = range(params.scale);
  const [r0, r1] = range(params.ratio);
  const fill = `fill=${pyRgb(str(params.fill_colour))}`;
  if (h0 === 1 && h1 === 1) {
    // Albumentations' ratio is width / height; Smallset's (like torchvision's) is height / width.
    return item(call('Erasing', [`scale=${pyTuple([s0, s1])}`, `ratio=${pyTuple([1 / r1, 1 / r0])}`, fill], p));
  }
  const side = (a: number) => Math.min(1, Math.sqrt(a));
  return item(
    call('CoarseDropout', [`num_holes_range=(${h0}, ${h1})`, `hole_height_range=${pyTuple([side(s0 * r0), side(s1 * r1)])}`, `hole_width_range=${pyTuple([side(s0 / r1), side(s1 / r0)])}`, fill], p),
    `cutout: ${h0}–${h1} holes become CoarseDropout, whose hole height and width are drawn independently (from the area ${pyTuple([s0, s1])} and ratio ${pyTuple([r0, r1])} ranges), so hole shapes vary a little differently`,
  );
}

export const albumentationsEmitter: TargetEmitter = {
  name: 'Albumentations',
  leaf,
  composite(node, p, _ctx, emitChild) {
    // Albumentations' OneOf picks a child with weights ∝ its p and then always applies it: the same as one_of.
    const { all, kept } = splitChildren(node, (c) => emitChild(c, c.p));
    if (node.op.id === 'one_of') {
      if (!kept.length) return item(null, 'one_of: none of its ops has an Albumentations equivalent', ...all.flatMap((a) => a.notes));
      return item(renderList('A.OneOf([', all, `], p=${pyFloat(p)})`));
    }
    const notes: string[] = [];
    const n = someOfCount(node, kept.length, notes);
    if (n === 0) return item(null, ...notes, ...all.flatMap((a) => a.notes));
    return item(renderList('A.SomeOf([', all, `], n=${n}, replace=False, p=${pyFloat(p)})`), ...notes);
  },
  file(items, ctx, header) {
    const preamble = [...header, '# Needs albumentations >= 2.0 (uint8 HWC numpy images, RGB).', 'import albumentations as A', 'import cv2', ''];
    return pythonFile(preamble, {}, ctx, `transform = ${renderList('A.Compose([', items, '])')}`);
  },
};

