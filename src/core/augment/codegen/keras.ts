import { autoKernelSize } from '../pixels/convolve.js';
import { noEquivalent, num, range, someOfCount, splitChildren, str, type EmitContext, type Params, type TargetEmitter } from './emitter.js';
import { item, pyFloat, pyNum, pythonFile, pyTuple, renderList, rgb, type Item } from './python.js';

const T = 'Keras';
const VALUE_RANGE = 'value_range=(0, 255)';

/** Per-image probability, one-of and some-of: Keras has no general layers for them, so the file defines three small ones. */
const HELPERS: Record<string, string> = {
  SmallsetApply: `class SmallsetApply(layers.Layer):
    """Applies \`layer\` to each image with probability p (Smallset's p)."""

    def __init__(self, layer, p, seed=None, **kwargs):
        super().__init__(**kwargs)
        self.layer = layer
        self.p = p
        self.seed_generator = keras.random.SeedGenerator(seed)

    def call(self, images, training=True):
        if not training:
            return images
        out = self.layer(images, training=training)
        batch = keras.ops.shape(images)[0]
        keep = keras.random.uniform((batch, 1, 1, 1), seed=self.seed_generator) < self.p
        return keras.ops.where(keep, out, images)`,
  SmallsetOneOf: `class SmallsetOneOf(layers.Layer):
    """Smallset's one_of: each image gets exactly one of the layers, picked with the given weights."""

    def __init__(self, choices, weights, seed=None, **kwargs):
        super().__init__(**kwargs)
        self.choices = choices
        self.choice_weights = [float(w) for w in weights]
        self.seed_generator = keras.random.SeedGenerator(seed)

    def call(self, images, training=True):
        if not training:
            return images
        outs = keras.ops.stack([layer(images, training=training) for layer in self.choices], axis=0)
        batch = keras.ops.shape(images)[0]
        logits = keras.ops.log(keras.ops.convert_to_tensor([self.choice_weights], dtype="float32"))
        logits = keras.ops.broadcast_to(logits, (batch, len(self.choices)))
        pick = keras.random.categorical(logits, 1, seed=self.seed_generator)[:, 0]
        onehot = keras.ops.cast(keras.ops.one_hot(pick, len(self.choices)), outs.dtype)
        return keras.ops.einsum("kbhwc,bk->bhwc", outs, onehot)`,
  SmallsetSomeOf: `class SmallsetSomeOf(layers.Layer):
    """Smallset's some_of: each image gets n different layers, picked at random, applied in list order."""

    def __init__(self, choices, n, seed=None, **kwargs):
        super().__init__(**kwargs)
        self.choices = choices
        self.n = n
        self.seed_generator = keras.random.SeedGenerator(seed)

    def call(self, images, training=True):
        if not training:
            return images
        batch = keras.ops.shape(images)[0]
        scores = keras.random.uniform((batch, len(self.choices)), seed=self.seed_generator)
        picked = keras.ops.argsort(keras.ops.argsort(scores, axis=-1), axis=-1) < self.n
        for i, layer in enumerate(self.choices):
            chosen = keras.ops.reshape(picked[:, i], (-1, 1, 1, 1))
            images = keras.ops.where(chosen, layer(images, training=training), images)
        return images`,
};

function withP(expr: string, p: number, ctx: EmitContext): string {
  if (p >= 1) return expr;
  ctx.helpers.add('SmallsetApply');
  return `SmallsetApply(${expr}, p=${pyFloat(p)})`;
}

/** Keras fill_mode / fill_value (one number: a coloured fill becomes its mean grey). */
function fill(params: Params, op: string, notes: string[]): string {
  switch (params.fill) {
    case 'constant': {
      const [r, g, b] = rgb(str(params.fill_colour));
      if (r !== g || g !== b) notes.push(`${op}: Keras fills with one value for all channels; the colour ${str(params.fill_colour)} becomes grey ${Math.round((r + g + b) / 3)}`);
      return `fill_mode="constant", fill_value=${pyFloat(Math.round((r + g + b) / 3))}`;
    }
    case 'edge':
      return 'fill_mode="nearest"';
    default:
      notes.push(`${op}: Keras "reflect" repeats the edge pixel (d c b a | a b c d); Smallset mirrors about it, a one-pixel shift in the mirrored border`);
      return 'fill_mode="reflect"';
  }
}

const layer = (name: string, args: string[]) => `layers.${name}(${args.join(', ')})`;

function flip(axis: number, mode: string, p: number, ctx: EmitContext): string {
  // RandomFlip flips each image with probability 1/2: exactly p = 0.5.
  if (p === 0.5) return layer('RandomFlip', [`"${mode}"`]);
  return withP(`layers.Lambda(lambda x: keras.ops.flip(x, axis=${axis}))`, p, ctx);
}

function leaf(op: string, params: Params, p: number, ctx: EmitContext): Item {
  const notes: string[] = [];
  const done = (expr: string | null) => item(expr, ...notes);
  const none = (why: string) => item(null, noEquivalent(op, T, why));
  switch (op) {
    case 'hflip':
      return done(flip(-2, 'horizontal', p, ctx));
    case 'vflip':
      return done(flip(-3, 'vertical', p, ctx));
    case 'rotate': {
      const [lo, hi] = range(params.degrees);
      // Keras's factor is a fraction of a full turn, positive = counter-clockwise, as Smallset's degrees.
      return done(withP(layer('RandomRotation', [`factor=${pyTuple([lo / 360, hi / 360])}`, 'interpolation="bilinear"', fill(params, op, notes)]), p, ctx));
    }
    case 'rotate90':
      return none('no Keras layer turns by whole quarter turns (a keras.ops.rot90 Lambda layer could)');
    case 'translate':
      return done(withP(layer('RandomTranslation', [`height_factor=${pyTuple(range(params.y))}`, `width_factor=${pyTuple(range(params.x))}`, 'interpolation="bilinear"', fill(params, op, notes)]), p, ctx));
    case 'zoom': {
      // Keras samples the output → input scale z (z > 1 zooms out) as 1 + factor; Smallset's content scale s is 1/z.
      const [lo, hi] = range(params.scale);
      notes.push('zoom: Keras draws the zoom uniformly in 1/scale rather than in scale (same range)');
      return done(withP(layer('RandomZoom', [`height_factor=${pyTuple([1 / hi - 1, 1 / lo - 1])}`, 'width_factor=None', 'interpolation="bilinear"', fill(params, op, notes)]), p, ctx));
    }
    case 'shear': {
      // RandomShear's factor is the shear itself (tan of the angle), drawn in ±factor.
      const side = (r: [number, number], axis: string) => {
        const max = Math.max(Math.abs(r[0]), Math.abs(r[1]));
        if (r[0] !== -r[1]) notes.push(`shear: Keras shears symmetrically; the ${axis} range becomes ±${pyNum(max)}°`);
        const t = Math.tan((max * Math.PI) / 180);
        if (t > 1) notes.push(`shear: Keras caps the ${axis} shear at 45°`);
        return pyFloat(Math.min(1, t));
      };
      return done(withP(layer('RandomShear', [`x_factor=${side(range(params.x), 'x')}`, `y_factor=${side(range(params.y), 'y')}`, 'interpolation="bilinear"', fill(params, op, notes)]), p, ctx));
    }
    case 'random_resized_crop':
      return none(`recent Keras releases have layers.RandomResizedCrop(${num(params.height)}, ${num(params.width)}, scale=${pyTuple(range(params.scale))}, ratio=${pyTuple(range(params.ratio))}) (one crop per batch); older ones need keras_cv`);
    case 'crop': {
      ctx.usesImageSize = true;
      const [lo, hi] = range(params.scale);
      const s = pyNum((lo + hi) / 2);
      if (lo !== hi) notes.push(`crop: Keras crops one fixed size; the middle of the side range [${pyNum(lo)}, ${pyNum(hi)}] is used`);
      // Skipping the crop for some images would leave a batch of mixed sizes, so Keras crops every image.
      if (p < 1) notes.push(`crop: Keras crops every image (p=${pyNum(p)} would mix image sizes within a batch)`);
      return done(layer(params.position === 'center' ? 'CenterCrop' : 'RandomCrop', [`int(${s} * IMAGE_SIZE)`, `int(${s} * IMAGE_SIZE)`]));
    }
    case 'perspective': {
      const [, hi] = range(params.distortion);
      notes.push('perspective: Keras shifts the corners by its own model (up to ±scale of the side); an approximation');
      let value = 0;
      if (params.fill === 'constant') {
        const [r, g, b] = rgb(str(params.fill_colour));
        value = Math.round((r + g + b) / 3);
      } else notes.push(`perspective: Keras RandomPerspective fills with a constant only; the "${str(params.fill)}" fill becomes black`);
      return done(withP(layer('RandomPerspective', ['factor=1.0', `scale=${pyFloat(hi / 2)}`, `fill_value=${pyFloat(value)}`]), p, ctx));
    }
    case 'brightness': {
      const [lo, hi] = range(params.factor);
      notes.push('brightness: Keras RandomBrightness adds (factor − 1)·255 instead of multiplying by the factor; the same at mid grey, stronger in the shadows');
      return done(withP(layer('RandomBrightness', [`factor=${pyTuple([Math.max(-1, lo - 1), Math.min(1, hi - 1)])}`, VALUE_RANGE]), p, ctx));
    }
    case 'contrast': {
      const [lo, hi] = range(params.factor);
      if (lo > 1 || hi < 1) notes.push(`contrast: Keras's range always contains 1 (no change); [${pyNum(lo)}, ${pyNum(hi)}] is widened to include it`);
      notes.push("contrast: Keras blends towards each channel's mean; Smallset towards the image's mean grey");
      return done(withP(layer('RandomContrast', [`factor=${pyTuple([Math.min(1, Math.max(0, 1 - lo)), Math.max(0, hi - 1)])}`, VALUE_RANGE]), p, ctx));
    }
    case 'saturation': {
      // Keras scales HSV saturation by f / (1 − f): factor f = s / (1 + s) gives Smallset's multiplier s.
      const [lo, hi] = range(params.factor);
      notes.push('saturation: Keras scales HSV saturation; Smallset blends with the luma grey (as torchvision does)');
      return done(withP(layer('RandomSaturation', [`factor=${pyTuple([lo / (1 + lo), hi / (1 + hi)])}`, VALUE_RANGE]), p, ctx));
    }
    case 'hue': {
      // RandomHue turns the hue by ±factor/2 of the wheel.
      const [lo, hi] = range(params.shift);
      const max = Math.max(Math.abs(lo), Math.abs(hi));
      if (lo !== -hi) notes.push(`hue: Keras turns the hue symmetrically; the range becomes ±${pyNum(max)}`);
      return done(withP(layer('RandomHue', [`factor=${pyTuple([0, Math.min(1, 2 * max)])}`, VALUE_RANGE]), p, ctx));
    }
    case 'gamma':
      return none(`Keras has no gamma layer (Smallset draws γ from ${pyTuple(range(params.gamma))})`);
    case 'grayscale':
      return done(withP(layer('RandomGrayscale', ['factor=1.0']), p, ctx));
    case 'equalize':
      return done(withP(layer('Equalization', [VALUE_RANGE]), p, ctx));
    case 'autocontrast':
      return done(withP(layer('AutoContrast', [VALUE_RANGE]), p, ctx));
    case 'posterize': {
      // RandomPosterization draws the bits kept with randint(low, high), high excluded.
      const [lo, hi] = range(params.bits);
      const top = lo === hi ? hi : Math.min(8, hi + 1);
      if (lo !== hi && hi === 8) notes.push('posterize: Keras cannot draw the top end of 8 bits; the range stops at 7');
      return done(withP(layer('RandomPosterization', [`factor=(${lo}, ${top})`, VALUE_RANGE]), p, ctx));
    }
    case 'solarize': {
      const [lo, hi] = range(params.threshold);
      notes.push(`solarize: Keras draws the threshold from (${pyNum(lo)}, ${pyNum(hi)}·255) — its low end is not scaled by 255 — so it varies more than Smallset's [${pyNum(lo * 255)}, ${pyNum(hi * 255)}]`);
      return done(withP(layer('Solarization', [`threshold_factor=${pyTuple([lo, hi])}`, VALUE_RANGE]), p, ctx));
    }
    case 'sharpen': {
      // RandomSharpness blends with the same 3×3 smoothing at 2·factor.
      const [lo, hi] = range(params.factor);
      if (hi > 2) notes.push(`sharpen: Keras sharpens at most 2×; the range [${pyNum(lo)}, ${pyNum(hi)}] is capped at 2`);
      return done(withP(layer('RandomSharpness', [`factor=${pyTuple([Math.min(1, lo / 2), Math.min(1, hi / 2)])}`, VALUE_RANGE]), p, ctx));
    }
    case 'gaussian_blur': {
      const [lo, hi] = range(params.sigma);
      let k = num(params.kernel_size);
      if (k === 0) {
        k = autoKernelSize(hi);
        notes.push(`gaussian_blur: Keras uses one kernel size, here the one the largest σ needs (${k})`);
      }
      return done(withP(layer('RandomGaussianBlur', ['factor=1.0', `kernel_size=${k}`, `sigma=${pyTuple([lo, hi])}`, VALUE_RANGE]), p, ctx));
    }
    case 'jpeg_quality':
      return none('Keras has no JPEG re-compression layer');
    case 'gaussian_noise': {
      const [lo, hi] = range(params.sigma);
      notes.push(`gaussian_noise: layers.GaussianNoise adds one σ (here the middle of [${pyNum(lo)}, ${pyNum(hi)}]·255), independently per channel, and only in training`);
      return done(withP(layer('GaussianNoise', [`stddev=${pyFloat(((lo + hi) / 2) * 255)}`]), p, ctx));
    }
    case 'salt_pepper':
      return none('Keras has no salt-and-pepper layer');
    case 'cutout': {
      const [h0, h1] = range(params.holes);
      const [r, g, b] = rgb(str(params.fill_colour));
      if (h0 !== 1 || h1 !== 1) notes.push(`cutout: Keras RandomErasing erases one patch per image; Smallset erases ${h0}–${h1}`);
      notes.push("cutout: Keras draws the patch's aspect ratio its own way");
      return done(withP(layer('RandomErasing', ['factor=1.0', `scale=${pyTuple(range(params.scale))}`, `fill_value=${pyFloat(Math.round((r + g + b) / 3))}`, VALUE_RANGE]), p, ctx));
    }
    case 'randaugment':
      notes.push("randaugment: Keras's RandAugment has its own op list and magnitude scale (factor = M / 30 here)");
      return done(withP(layer('RandAugment', [VALUE_RANGE, `num_ops=${num(params.n)}`, `factor=${pyFloat(num(params.m) / 30)}`]), p, ctx));
    case 'trivialaugment':
      return none('Keras has no TrivialAugment policy; export to torchvision for the same policy');
    default:
      return none('this exporter does not know the op yet');
  }
}

export const kerasEmitter: TargetEmitter = {
  name: T,
  leaf,
  composite(node, p, ctx, emitChild) {
    const notes: string[] = [];
    if (node.op.id === 'one_of') {
      const { all, kept } = splitChildren(node, (c) => emitChild(c, 1));
      if (!kept.length) return item(null, 'one_of: none of its ops has a Keras equivalent', ...all.flatMap((a) => a.notes));
      ctx.helpers.add('SmallsetOneOf');
      const weights = kept.map((k) => pyFloat(k.node.p)).join(', ');
      return item(withP(renderList('SmallsetOneOf([', all, `], weights=[${weights}])`), p, ctx), ...notes);
    }
    const { all, kept } = splitChildren(node, (c) => emitChild(c, c.p));
    const n = someOfCount(node, kept.length, notes);
    if (n === 0) return item(null, ...notes, ...all.flatMap((a) => a.notes));
    ctx.helpers.add('SmallsetSomeOf');
    return item(withP(renderList('SmallsetSomeOf([', all, `], n=${n})`), p, ctx), ...notes);
  },
  file(items, ctx, header) {
    const preamble = [
      ...header,
      '# Needs Keras 3 (RandomShear, RandomGrayscale, RandomHue and the other newer layers need Keras >= 3.8).',
      '# Works on float image batches [B, H, W, 3] in 0..255: put it before any Rescaling layer.',
      'import keras',
      'from keras import layers',
      '',
    ];
    return pythonFile(preamble, HELPERS, ctx, `augment = ${renderList('keras.Sequential([', items, '], name="smallset_augmentation")')}`);
  },
};
