/** Methods of the train domain; each entry is `'train.name': method(summary, input, output)`. */
export const trainApi = {} as const;
