/** A trained model's folder, and its export: these files besides the weight files model.json lists. */
export const modelExportFiles = { model: 'model.json', labels: 'labels.json', readme: 'README.md' } as const;
