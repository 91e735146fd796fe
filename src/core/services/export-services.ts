/** Implementations of the export domain's contract methods. */
export const exportServices = {};
