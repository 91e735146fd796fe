import type { BackbonePreprocessing, DownloadableBackbone } from '../../shared/api/transfer.js';
import type { ExpectedFile } from './download.js';

/** Where the TensorFlow.js team publishes MobileNet V2 (1.0, 224 px, ImageNet) for TensorFlow.js. */
export const MOBILENET_V2_URL = 'https://storage.googleapis.com/tfjs-models/tfjs/mobilenet_v2_1.0_224/model.json';

export interface PublishedBackbone {
  url: string;
  defaultName: string;
  inputSize: number;
  preprocessing: BackbonePreprocessing;
  /** Pinned sizes and hashes per file when known; sizes are always checked against Content-Length. */
  expected: Record<string, ExpectedFile>;
}

export const PUBLISHED: Record<DownloadableBackbone, PublishedBackbone> = {
  'mobilenet-v2': { url: MOBILENET_V2_URL, defaultName: 'mobilenet-v2', inputSize: 224, preprocessing: 'symmetric', expected: {} },
};

/** Tests and mirrors point the download elsewhere (a local server, an offline mirror). */
export function publishedUrl(model: DownloadableBackbone): string {
  return process.env.SMALLSET_MOBILENET_URL ?? PUBLISHED[model].url;
}
