import { resolve } from 'node:path';
import { defineConfig } from 'electron-vite';
import { svelte } from '@sveltejs/vite-plugin-svelte';
import type { Plugin } from 'vite';
import type { ChunkingContext, CodeSplittingGroup, OutputBundle, OutputChunk } from 'rolldown';
import { injectCspMeta } from './src-main/hosts/content-security-policy.ts';

/**
 * Chromium (and so Electron) reads WOFF2: the WOFF fallbacks that
 * fontsource's CSS lists after each WOFF2 file would only ship a duplicate
 * of every font. They are dropped from the CSS, so they are never bundled.
 */
function woff2Only(): Plugin {
  return {
    name: 'sandtable-woff2-only',
    enforce: 'pre',
    transform(code, id) {
      if (!/[\\/]@fontsource[^\\/]*[\\/].*\.css$/.test(id)) return null;
      return { code: code.replace(/,\s*url\([^)]*\.woff\)\s*format\(['"]woff['"]\)/g, ''), map: null };
    },
  };
}

/**
 * A plugin that adds `<link>`s to the head of the built index.html, made from
 * the build's output (the files are named by the build, so only then).
 */
function indexLinks(name: string, links: (html: string, bundle: OutputBundle) => Record<string, string>[]): Plugin {
  return {
    name,
    transformIndexHtml: {
      order: 'post',
      handler(html, context) {
        if (!context.bundle || !context.filename.endsWith('index.html')) return [];
        return links(html, context.bundle).map((attrs) => ({ tag: 'link', attrs, injectTo: 'head' as const }));
      },
    },
  };
}

/**
 * The library's first frame sets its text in these fonts: preloaded from
 * index.html, they are fetched beside the scripts instead of after the
 * first layout asks for them, and that layout does not have to be done again
 * when they arrive (their files are named by the build, so the links are
 * written after it).
 */
function preloadFonts(names: readonly string[]): Plugin {
  return indexLinks('sandtable-preload-fonts', (_html, bundle) => {
    const fonts = Object.keys(bundle).filter((file) => file.endsWith('.woff2'));
    // Each name must be exactly one built font: a renamed or duplicated font file stops the build here.
    const files = names.map((name) => {
      const found = fonts.filter((file) => file.includes(`/${name}-`));
      if (found.length !== 1) throw new Error(`preloadFonts: expected one ${name}-*.woff2 among the build's fonts, found ${found.length} (${fonts.join(', ')})`);
      return found[0]!;
    });
    return files.map((file) => ({ rel: 'preload', as: 'font', type: 'font/woff2', crossorigin: '', href: `./${file}` }));
  });
}

/**
 * The entry (src/main.ts) sends the library's first call, then imports the
 * app (src/start.ts) dynamically, so that the call leaves before the app is
 * evaluated. The app's chunks and styles are listed in index.html as well —
 * modulepreload and stylesheet links, dependencies first — so they are
 * fetched beside the entry instead of after it has run.
 */
function preloadApp(entry: string): Plugin {
  return indexLinks('sandtable-preload-app', (html, bundle) => {
    const chunks = new Map<string, OutputChunk>();
    for (const output of Object.values(bundle)) if (output.type === 'chunk') chunks.set(output.fileName, output);
    const app = [...chunks.values()].find((chunk) => chunk.moduleIds.includes(entry));
    if (!app) throw new Error(`preloadApp: no chunk of ${entry} in the build`);
    const scripts: string[] = [];
    const styles = new Set<string>();
    const visit = (chunk: OutputChunk) => {
      if (scripts.includes(chunk.fileName)) return;
      for (const name of chunk.imports) {
        const imported = chunks.get(name);
        if (imported) visit(imported);
      }
      scripts.push(chunk.fileName);
      for (const style of chunk.viteMetadata?.importedCss ?? []) styles.add(style);
    };
    visit(app);
    const listed = (file: string) => html.includes(`"./${file}"`);
    return [
      ...scripts.filter((file) => !listed(file)).map((file) => ({ rel: 'modulepreload', crossorigin: '', href: `./${file}` })),
      ...[...styles].filter((file) => !listed(file)).map((file) => ({ rel: 'stylesheet', crossorigin: '', href: `./${file}` })),
    ];
  });
}

/**
 * One chunk for the app's start: every module src/start.ts imports
 * statically, except those an entry imports itself (the entry's own call,
 * and what the participant page shares, such as Svelte, stay where the
 * bundler puts them). Without it, each module the app shares with a lazily
 * loaded screen would be a chunk of its own, and the start would fetch a
 * dozen files instead of a few.
 */
function startChunk(start: string, entries: readonly string[]): CodeSplittingGroup {
  let members: Set<string> | null = null;
  const imports = (id: string, context: ChunkingContext, into: Set<string>): void => {
    if (into.has(id)) return;
    into.add(id);
    for (const imported of context.getModuleInfo(id)?.importedIds ?? []) imports(imported, context, into);
  };
  return {
    name: (id, context) => {
      if (!members) {
        const own = new Set<string>();
        for (const entry of entries) imports(entry, context, own);
        members = new Set<string>();
        imports(start, context, members);
        for (const shared of own) members.delete(shared);
      }
      return members.has(id) ? 'start' : null;
    },
    // Only the members: Svelte and the rest the participant page shares stay in their shared chunk.
    includeDependenciesRecursively: false,
  };
}

// Three builds from custom roots (see docs/architecture.md):
//  - main: the Electron main process (src-main/hosts/electron/main.ts)
//  - preload: CommonJS so it can run in a sandboxed renderer
//  - renderer: the Svelte 5 app in src-renderer/, shared by both hosts
export default defineConfig({
  main: {
    build: {
      outDir: 'out/main',
      rolldownOptions: {
        input: { index: resolve(import.meta.dirname, 'src-main/hosts/electron/main.ts') },
        external: ['better-sqlite3', 'electron'],
      },
    },
  },
  preload: {
    build: {
      outDir: 'out/preload',
      rolldownOptions: {
        input: { index: resolve(import.meta.dirname, 'src-main/hosts/electron/preload.ts') },
        external: ['electron'],
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  renderer: {
    root: resolve(import.meta.dirname, 'src-renderer'),
    base: './',
    plugins: [
      woff2Only(),
      preloadApp(resolve(import.meta.dirname, 'src-renderer/src/start.ts')),
      preloadFonts(['inter-latin-wght-normal', 'jetbrains-mono-latin-400-normal']),
      svelte({ configFile: resolve(import.meta.dirname, 'svelte.config.js') }),
      // index.html's <meta> CSP gets the hosts' own policy: one source, two layers.
      { name: 'sandtable-csp-meta', transformIndexHtml: { order: 'pre', handler: (html: string) => injectCspMeta(html) } },
    ],
    build: {
      outDir: resolve(import.meta.dirname, 'out/renderer'),
      emptyOutDir: true,
      // Never inline assets as data: URLs: the CSP allows fonts and scripts from the app's own origin only.
      assetsInlineLimit: 0,
      // electron-vite leaves the renderer unminified; the first paint parses every byte of the entry chunk.
      minify: true,
      cssMinify: true,
      // Screens are split into chunks (App.svelte); the entry only preloads what the library needs.
      modulePreload: { polyfill: false },
      // The participants' listener serves only the participant page's files, as this manifest lists them.
      manifest: true,
      rolldownOptions: {
        input: { index: resolve(import.meta.dirname, 'src-renderer/index.html'), participant: resolve(import.meta.dirname, 'src-renderer/participant.html') },
        output: {
          codeSplitting: {
            groups: [
              startChunk(resolve(import.meta.dirname, 'src-renderer/src/start.ts'), [
                resolve(import.meta.dirname, 'src-renderer/src/main.ts'),
                resolve(import.meta.dirname, 'src-renderer/src/participant/main.ts'),
              ]),
            ],
          },
        },
      },
    },
  },
});
