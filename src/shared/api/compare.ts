/** Methods of the compare domain; each entry is `'compare.name': method(summary, input, output)`. */
export const compareApi = {} as const;
