import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import svelte from 'eslint-plugin-svelte';
import globals from 'globals';

const nodeBuiltins = ['node:*', 'fs', 'fs/*', 'path', 'os', 'child_process', 'crypto', 'http', 'https', 'net', 'url', 'worker_threads', 'stream', 'events', 'util', 'zlib'];
const engineLibs = ['sharp', 'better-sqlite3', '@tensorflow/*', 'cli-progress', 'commander', 'env-paths'];

/** The arrows of DESIGN.md: which layer may import which. A wrong import fails lint. */
function layer(files, groups) {
  return {
    files,
    rules: {
      'no-restricted-imports': ['error', { patterns: groups.map(([group, message]) => ({ group, message })) }],
    },
  };
}
const ours = (name) => [`**/${name}`, `**/${name}/**`];

export default tseslint.config(
  { ignores: ['out/**', 'dist/**', 'node_modules/**', 'test-results/**', 'playwright-report/**', 'resources/**', '.cache/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  ...svelte.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node }, ecmaVersion: 2023, sourceType: 'module' },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-empty-object-type': 'off',
    },
  },
  {
    files: ['**/*.svelte', '**/*.svelte.ts'],
    languageOptions: {
      globals: { ...globals.browser },
      parserOptions: { parser: tseslint.parser, extraFileExtensions: ['.svelte'] },
    },
  },
  { files: ['src/renderer/**'], languageOptions: { globals: { ...globals.browser } } },
  layer(['src/shared/**'], [
    [[...ours('core'), ...ours('cli'), ...ours('main'), ...ours('preload'), ...ours('renderer')], 'shared imports nothing of ours outside shared.'],
    [[...nodeBuiltins, 'electron', ...engineLibs], 'shared is pure: no Node, DOM-only or engine libraries.'],
  ]),
  layer(['src/core/**'], [
    [[...ours('cli'), ...ours('main'), ...ours('preload'), ...ours('renderer')], 'core imports only shared.'],
    [['electron', 'commander', 'cli-progress'], 'core never imports electron or CLI libraries.'],
  ]),
  layer(['src/cli/**'], [
    [[...ours('main'), ...ours('preload'), ...ours('renderer')], 'cli imports core and shared only.'],
    [['electron', 'sharp', 'better-sqlite3', '@tensorflow/*'], 'only core touches sharp, SQLite and tfjs; only main/preload touch electron.'],
  ]),
  layer(['src/main/**'], [
    [[...ours('cli'), ...ours('renderer')], 'main imports core and shared only.'],
    [['sharp', 'better-sqlite3', '@tensorflow/*'], 'only core touches sharp, SQLite and tfjs.'],
  ]),
  layer(['src/preload/**'], [
    [[...ours('core'), ...ours('cli'), ...ours('main'), ...ours('renderer')], 'preload bridges IPC only.'],
    [['sharp', 'better-sqlite3', '@tensorflow/*'], 'only core touches sharp, SQLite and tfjs.'],
  ]),
  layer(['src/renderer/**'], [
    [[...ours('core'), ...ours('cli'), ...ours('main'), ...ours('preload')], 'the renderer imports only shared.'],
    [[...nodeBuiltins, 'electron', ...engineLibs], 'the renderer runs in a sandboxed page: no Node or engine libraries.'],
  ]),
);
