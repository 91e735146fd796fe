import type { Services } from './types.js';
import { appServices } from './app-services.js';
import { libraryServices } from './library-services.js';
import { augmentServices } from './augment-services.js';
import { trainServices } from './train-services.js';
import { compareServices } from './compare-services.js';
import { exportServices } from './export-services.js';
import { transferServices } from './transfer-services.js';
import { qualityServices } from './quality-services.js';

/** The one table the dispatcher calls into; `satisfies` makes a missing method a compile error. */
export const services = {
  ...appServices,
  ...libraryServices,
  ...augmentServices,
  ...trainServices,
  ...compareServices,
  ...exportServices,
  ...transferServices,
  ...qualityServices,
} satisfies Services;
