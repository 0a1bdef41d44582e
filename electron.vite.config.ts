import { resolve } from 'node:path';
import { defineConfig } from 'electron-vite';
import { svelte } from '@sveltejs/vite-plugin-svelte';

// Three builds from custom roots (see docs/architecture.md):
//  - main: the Electron main process (src-main/hosts/electron/main.ts)
//  - preload: CommonJS so it can run in a sandboxed renderer
//  - renderer: the Svelte 5 app in src-renderer/, shared by both hosts
export default defineConfig({
  main: {
    build: {
      outDir: 'out/main',
      rollupOptions: {
        input: { index: resolve(import.meta.dirname, 'src-main/hosts/electron/main.ts') },
        external: ['better-sqlite3', 'electron'],
      },
    },
  },
  preload: {
    build: {
      outDir: 'out/preload',
      rollupOptions: {
        input: { index: resolve(import.meta.dirname, 'src-main/hosts/electron/preload.ts') },
        external: ['electron'],
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  renderer: {
    root: resolve(import.meta.dirname, 'src-renderer'),
    base: './',
    plugins: [svelte({ configFile: resolve(import.meta.dirname, 'svelte.config.js') })],
    build: {
      outDir: resolve(import.meta.dirname, 'out/renderer'),
      emptyOutDir: true,
      // Never inline assets as data: URLs: the CSP allows fonts and scripts from the app's own origin only.
      assetsInlineLimit: 0,
      // The participants' listener serves only the participant page's files, as this manifest lists them.
      manifest: true,
      rollupOptions: {
        input: { index: resolve(import.meta.dirname, 'src-renderer/index.html'), participant: resolve(import.meta.dirname, 'src-renderer/participant.html') },
      },
    },
  },
});
