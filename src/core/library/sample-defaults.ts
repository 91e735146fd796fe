/** Options of the generated shapes dataset when none are given (a module of its own: the CLI's help prints them without loading sharp). */
export const sampleDefaults = { classes: 4, perClass: 40, size: 128, seed: 0 } as const;
