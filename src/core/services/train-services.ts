/** Implementations of the train domain's contract methods. */
export const trainServices = {};
