/** Methods of the augment domain; each entry is `'augment.name': method(summary, input, output)`. */
export const augmentApi = {} as const;
