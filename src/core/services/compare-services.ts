/** Implementations of the compare domain's contract methods. */
export const compareServices = {};
