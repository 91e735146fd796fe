/** Methods of the export domain; each entry is `'export.name': method(summary, input, output)`. */
export const exportApi = {} as const;
