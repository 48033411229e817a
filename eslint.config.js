// ESLint flat config. Import boundaries (DESIGN.md "Rules of the path"): the pure layers
// (models, data maths, flow, training loop, lib) never import React, the store or features.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';

const pureLayerBan = {
  patterns: [
    { group: ['react', 'react-dom', 'react/*', 'react-dom/*'], message: 'Pure layers must not import React.' },
    { group: ['zustand', 'zustand/*'], message: 'Pure layers must not import the store.' },
    { group: ['**/state/**', '**/features/**', '**/app/**'], message: 'Pure layers must not import state, features or the app.' },
    { group: ['recharts'], message: 'Pure layers must not import drawing code.' },
  ],
};

export default tseslint.config(
  { ignores: ['dist', 'node_modules', 'test-results', 'playwright-report', 'public'] },
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
  {
    files: ['src/models/**', 'src/data/sampling.ts', 'src/data/synthetic/**', 'src/flow/**', 'src/training/train-loop.ts', 'src/training/metrics.ts', 'src/lib/**'],
    rules: { 'no-restricted-imports': ['error', pureLayerBan] },
  },
  {
    files: ['src/training/**'],
    rules: {
      'no-restricted-imports': ['error', { patterns: pureLayerBan.patterns.filter((p) => p.group[0] !== '**/state/**').concat([{ group: ['**/state/**', '**/features/**', '**/app/**'], message: 'The worker side must not import page state or features.' }]) }],
    },
  },
  {
    files: ['src/features/**'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ group: ['@tensorflow/*'], message: 'Features never touch tensors: talk to the worker through runtime/worker-client.ts.' }] }],
    },
  },
);
