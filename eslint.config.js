// ESLint flat config. Import boundaries (README "Architecture"): imports run one way —
//   features/ app/ (React views) → runtime/ (page side: worker client, named actions) and state/
//   → the worker protocol (types) | worker/ handlers → models/ data/ flow/ training/ export/ → webgpu/ lib/
// bench/ imports the core and the worker; nothing imports bench/. Each file gets exactly one
// restricted-imports rule below (flat config replaces a rule set by an earlier block).
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';

const ban = (group, message, allowTypeImports = false) => ({ group, message, allowTypeImports });
const REACT = ban(['react', 'react-dom', 'react/*', 'react-dom/*', 'recharts', 'zustand', 'zustand/*'], 'Only the page (features, app, state) uses React, the store and drawing code.');
const PAGE = ban(['**/state/**', '**/features/**', '**/app/**', '**/runtime/**'], 'The core and the worker never import the page (state, features, app, runtime).');
const BENCH = ban(['**/bench/**'], 'Nothing in the app imports the bench: the bench imports the core.');
const WORKER = ban(['**/worker/**'], 'The core never imports the worker: worker handlers import the core.');
const VIEWS = ban(['**/features/**', '**/app/**'], 'The page runtime and the store never import views.');
const CLIENT = ban(['**/runtime/worker-client'], 'Only src/runtime/ talks to the worker: call a named action there.');
const TFJS = ban(['@tensorflow/*'], 'The page never touches tensors: tensors live in the worker.');
// The page may import the core's types, but no value that pulls tfjs onto the page: only the plain-data modules.
const CORE_VALUES = ban(
  ['**/worker/**', '**/training/**', '!**/training/budget', '**/webgpu/**', '**/export/**', '**/models/**', '!**/models/catalog', '!**/models/family-info', '**/flow/**', '!**/flow/flow-color'],
  'The page imports only plain data and types from the core (models/catalog, models/family-info, flow/flow-color, training/budget, data/*): tensors live in the worker.',
  true,
);
const rule = (...patterns) => ({ '@typescript-eslint/no-restricted-imports': ['error', { patterns }] });

export default tseslint.config(
  { ignores: ['dist', 'node_modules', 'test-results', 'playwright-report', 'public', 'reports'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.browser, ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    files: ['src/**/*.tsx', 'src/features/**/*.ts', 'src/app/**/*.ts'],
    plugins: { 'react-hooks': reactHooks },
    rules: {
      'react-hooks/rules-of-hooks': 'error',
      'react-hooks/exhaustive-deps': 'warn',
    },
  },
  // The pure core: no React, no page, no worker, no bench.
  { files: ['src/models/**', 'src/data/**', 'src/flow/**', 'src/training/**', 'src/lib/**', 'src/webgpu/**', 'src/export/**'], rules: rule(REACT, PAGE, WORKER, BENCH) },
  // The worker: handlers over the core; never the page or the bench.
  { files: ['src/worker/**'], rules: rule(REACT, PAGE, BENCH) },
  // The page runtime: the one place that talks to the worker; no views, no tensors.
  { files: ['src/runtime/**'], rules: rule(VIEWS, BENCH, TFJS, { ...CORE_VALUES, group: CORE_VALUES.group.filter((g) => g !== '**/worker/**') }, ban(['**/worker/**', '!**/worker/*protocol'], 'The page runtime imports only the worker protocol.', true)) },
  // The store: plain state, no views, no runtime (the runtime writes to it), no tensors.
  { files: ['src/state/**'], rules: rule(VIEWS, BENCH, TFJS, CORE_VALUES, ban(['**/runtime/**'], 'The store never calls the runtime: runtime actions write to the store.')) },
  // Views: named actions (runtime) and selectors (state) only.
  { files: ['src/features/**', 'src/app/**', 'src/main.tsx'], rules: rule(CLIENT, BENCH, TFJS, CORE_VALUES) },
  // The bench: its own worker and page; imports the core, never the views.
  { files: ['src/bench/**'], rules: rule(REACT, VIEWS, ban(['**/state/**'], 'The bench never uses the app store.')) },
);
