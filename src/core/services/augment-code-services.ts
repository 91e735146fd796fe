import { exportPipelineCode } from '../augment/codegen/export-code.js';
import { importKerasGenerator } from '../augment/keras-import.js';
import type { Services } from './types.js';

/** Keras import and Python export; spread into augmentServices (they share the 'augment.' domain). */
export const augmentCodeServices: Pick<Services, 'augment.importKeras' | 'augment.exportCode'> = {
  'augment.importKeras': ({ config, imageSize }) => importKerasGenerator(config, imageSize ? { imageSize } : {}),
  'augment.exportCode': ({ pipeline, target, imageSize }) => exportPipelineCode(pipeline, target, imageSize ? { imageSize } : {}),
};
