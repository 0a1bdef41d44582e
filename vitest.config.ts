import { svelte } from '@sveltejs/vite-plugin-svelte';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    pool: 'forks',
    testTimeout: 30_000,
    hookTimeout: 30_000,
    projects: [
      {
        // Renderer modules that meet main's (the size limits across every layer) run in Node: *.node.test.ts.
        extends: true,
        test: { name: 'main', include: ['tests/unit/**/*.test.ts', 'tests/integration/**/*.test.ts', 'tests/renderer/**/*.node.test.ts'], environment: 'node' },
      },
      {
        // The renderer's own modules (Svelte 5 runes in *.svelte.ts compiled as the app compiles them) in a DOM (happy-dom).
        extends: true,
        plugins: [svelte()],
        resolve: { conditions: ['browser'] },
        test: { name: 'renderer', include: ['tests/renderer/**/*.test.ts'], exclude: ['tests/renderer/**/*.node.test.ts'], environment: 'happy-dom' },
      },
    ],
  },
});
