import * as tf from '@tensorflow/tfjs';
import { jpegRoundTrip, type JpegQualityConcrete } from '../ops/detail.js';
import { tfOp } from './tf-op.js';

/**
 * tfjs has no JPEG encoder, so compression artefacts cannot be made in tensors: the batch goes back
 * to pixels, through the sharp side's libjpeg round trip, and back into a tensor. Exact (the same
 * code runs), but it costs a device → host copy on GPU backends.
 */
export const jpegQualityTf = tfOp<JpegQualityConcrete>({
  id: 'jpeg_quality',
  engine: 'sharp',
  run: async (x, ps) => {
    const [B, H, W] = x.shape;
    const per = H * W * 3;
    const values = await x.data();
    const out = new Float32Array(B * per);
    for (let b = 0; b < B; b++) {
      const data = Uint8Array.from(values.subarray(b * per, (b + 1) * per));
      const round = await jpegRoundTrip({ data, width: W, height: H, channels: 3 }, ps[b]!.quality);
      out.set(round.data, b * per);
    }
    return tf.tensor4d(out, x.shape);
  },
});
