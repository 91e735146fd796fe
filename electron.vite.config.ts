import { defineConfig } from 'electron-vite';
import { svelte } from '@sveltejs/vite-plugin-svelte';
import { resolve } from 'node:path';

const nativeDeps = ['better-sqlite3', 'sharp', '@julusian/jpeg-turbo', '@napi-rs/image', '@tensorflow/tfjs', '@tensorflow/tfjs-node', '@tensorflow/tfjs-backend-wasm', 'tsx'];

export default defineConfig({
  main: {
    build: {
      outDir: 'out/main',
      rollupOptions: {
        // Worker entries land beside index.js, where their starters look for them: the export's
        // render threads, the training process (a utility process) and its augmentation thread.
        input: {
          index: resolve('src/main/index.ts'),
          'render-worker': resolve('src/core/export/render-worker.ts'),
          'train-worker': resolve('src/core/train/worker/train-worker.ts'),
          'augment-thread': resolve('src/core/train/data/augment-thread.ts'),
        },
        external: nativeDeps,
        // Shared chunks beside the entries too, so `new URL('./augment-thread.js', import.meta.url)` resolves from any of them.
        output: { chunkFileNames: '[name]-[hash].js' },
      },
    },
  },
  preload: {
    build: {
      outDir: 'out/preload',
      rollupOptions: {
        input: { index: resolve('src/preload/index.ts') },
        // A sandboxed preload cannot be an ES module.
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  renderer: {
    root: 'src/renderer',
    plugins: [svelte()],
    build: {
      outDir: resolve('out/renderer'),
      rollupOptions: { input: { index: resolve('src/renderer/index.html') } },
    },
  },
});
