// Strict lint for the UI: no `any`, no globals on window, no @ts-ignore. `npm run build` runs it.
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'tests/**', 'scripts/**', '*.config.*'] },
  ...tseslint.configs.recommended,
  {
    files: ['src/**/*.{ts,tsx}'],
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/ban-ts-comment': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-restricted-globals': ['error',
        { name: 'window', message: 'No window globals: use module state, or the DOM globals directly.' },
        { name: 'globalThis', message: 'No globals.' }],
      'no-restricted-syntax': ['error',
        { selector: 'TSModuleDeclaration[kind="global"]', message: 'No declare global.' },
        { selector: 'TSModuleDeclaration[global=true]', message: 'No declare global.' }],
    },
  },
);
