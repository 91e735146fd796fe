/** Implementations of the augment domain's contract methods. */
export const augmentServices = {};
