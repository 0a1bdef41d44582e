/**
 * The layering rules of docs/architecture.md, enforced in `npm test`:
 *   renderer -> api (types); hosts -> app -> store, core; store -> core; core -> nothing.
 * core and api are pure TypeScript (no node:, electron, better-sqlite3, DOM-only code).
 */
/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'core-is-pure',
      comment:
        'src-main/core may import only itself and pure libraries (zod, xstate, papaparse, fflate, fast-xml-parser): no Node built-ins, no Electron, no SQLite, no other layer.',
      severity: 'error',
      from: { path: '^src-main/core' },
      to: {
        pathNot: ['^src-main/core', '^node_modules/(zod|xstate|papaparse|fflate|fast-xml-parser)/'],
      },
    },
    {
      name: 'api-is-pure',
      comment: 'src-main/api (the contract) may import only core and pure libraries.',
      severity: 'error',
      from: { path: '^src-main/api' },
      to: { pathNot: ['^src-main/(api|core)', '^node_modules/(zod)/'] },
    },
    {
      name: 'no-node-builtins-in-pure-layers',
      severity: 'error',
      from: { path: '^src-main/(core|api)' },
      to: { dependencyTypes: ['core'] },
    },
    {
      name: 'sql-only-in-store',
      comment: 'better-sqlite3 is used only by src-main/store.',
      severity: 'error',
      from: { path: '^src-main', pathNot: '^src-main/store' },
      to: { path: '^node_modules/better-sqlite3/', dependencyTypes: ['npm', 'npm-dev', 'npm-no-pkg', 'npm-unknown'] },
    },
    {
      name: 'store-below-app',
      comment: 'store may use core (types and pure helpers), never app, api or hosts.',
      severity: 'error',
      from: { path: '^src-main/store' },
      to: { path: '^src-main/(app|api|hosts|cli)' },
    },
    {
      name: 'app-knows-no-host',
      comment: 'app implements the contract without knowing which host calls it.',
      severity: 'error',
      from: { path: '^src-main/app' },
      to: { path: ['^src-main/(hosts|cli)', '^node_modules/electron/'] },
    },
    {
      name: 'electron-only-in-electron-host',
      severity: 'error',
      from: { pathNot: '^src-main/hosts/electron' },
      to: { path: '^node_modules/electron/' },
    },
    {
      name: 'renderer-through-contract',
      comment: 'The renderer reaches main only through src-main/api (types) and its own lib/api.ts client.',
      severity: 'error',
      from: { path: '^src-renderer' },
      to: { path: '^src-main/(?!api/)' },
    },
    {
      name: 'renderer-no-node',
      severity: 'error',
      from: { path: '^src-renderer' },
      to: { dependencyTypes: ['core'] },
    },
    {
      name: 'no-circular',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default'], extensions: ['.ts', '.js', '.svelte', '.json'] },
    exclude: { path: ['^out/', '\\.d\\.ts$'] },
  },
};
