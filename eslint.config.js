// ESLint for Sandtable: typescript-eslint's strict type-checked rules on every TypeScript file
// (src-main, src-renderer incl. the scripts of .svelte files, tests, scripts, bench), read
// through the existing tsconfigs by typescript-eslint's project service.
import js from '@eslint/js';
import globals from 'globals';
import svelte from 'eslint-plugin-svelte';
import tseslint from 'typescript-eslint';
import svelteConfig from './svelte.config.js';

export default tseslint.config(
  {
    ignores: ['out/**', 'build/**', 'dist/**', 'resources/**', 'node_modules/**', 'test-results/**', 'playwright-report/**', 'docs/**', 'scenarios/**', 'tests/fixtures/**'],
  },
  {
    linterOptions: { reportUnusedDisableDirectives: 'error' },
  },
  js.configs.recommended,
  ...tseslint.configs.strictTypeChecked,
  ...svelte.configs.recommended,
  {
    languageOptions: {
      parserOptions: {
        projectService: true,
        tsconfigRootDir: import.meta.dirname,
        extraFileExtensions: ['.svelte'],
      },
    },
  },
  {
    files: ['**/*.svelte', '**/*.svelte.ts'],
    languageOptions: {
      parserOptions: {
        parser: tseslint.parser,
        svelteConfig,
      },
    },
  },
  {
    files: ['**/*.ts', '**/*.svelte'],
    // TypeScript checks undefined names itself (and knows DOM/Node globals from each tsconfig's lib/types).
    rules: { 'no-undef': 'off' },
  },
  {
    rules: {
      // Named by issue 15: floating promises, exhaustive switches, assertions.
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/switch-exhaustiveness-check': ['error', { considerDefaultExhaustiveForUnions: true }],
      '@typescript-eslint/consistent-type-assertions': ['error', { assertionStyle: 'as', objectLiteralTypeAssertions: 'allow-as-parameter' }],
      '@typescript-eslint/no-unnecessary-type-assertion': 'error',
      // Deliberate style: `xs[i]!` on indexes the validator or the loop bound guarantees (noUncheckedIndexedAccess is on); ~670 sites.
      '@typescript-eslint/no-non-null-assertion': 'off',
      // Numbers in messages, ids and CSS (`${px}px`) are the code's deliberate style; nullish and objects stay errors.
      '@typescript-eslint/restrict-template-expressions': [
        'error',
        { allowNumber: true, allowAny: false, allowBoolean: false, allowNullish: false, allowRegExp: false, allowNever: false },
      ],
      // `onclick={() => go(x)}` and `.on('x', () => done())` return a void call by design; only the shorthand arrow is allowed.
      '@typescript-eslint/no-confusing-void-expression': ['error', { ignoreArrowShorthand: true }],
      // `void dep;` inside a Svelte $effect deliberately reads a reactive dependency (App, OpenItems, ParticipantsPanel); the rule flags that idiom.
      '@typescript-eslint/no-meaningless-void-operator': 'off',
      // The code marks deliberately unused parameters, bindings and rest-siblings with a leading underscore.
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_', ignoreRestSiblings: true }],
    },
  },
  {
    // Tests read JSON responses and records field by field and let `expect` judge them; typing every parsed body
    // would add casts, not checks. `any` stays visible in review; the promise, switch and assertion rules stay on.
    files: ['tests/**/*.ts'],
    rules: {
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
    },
  },
  {
    // Plain JavaScript (build scripts, svelte.config.js, .dependency-cruiser.cjs): no type information.
    files: ['**/*.js', '**/*.mjs', '**/*.cjs'],
    ...tseslint.configs.disableTypeChecked,
    languageOptions: { ...tseslint.configs.disableTypeChecked.languageOptions, globals: { ...globals.node } },
  },
  {
    files: ['**/*.cjs'],
    languageOptions: { sourceType: 'commonjs' },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
);
