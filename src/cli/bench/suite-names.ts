/**
 * The suites' names in the order of `suites` (index.ts), for the CLI's help: listing them from the
 * suites themselves would load every suite's engine on each start. A test keeps the two lists equal.
 */
export const suiteNames = ['import', 'compare', 'train', 'augment', 'preview', 'export', 'quality', 'scale', 'transfer'] as const;
