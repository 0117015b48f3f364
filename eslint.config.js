import js from '@eslint/js';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';
import tseslint from 'typescript-eslint';
import faces from './eslint-rules/faces.js';

export default tseslint.config(
  { ignores: ['dist/', '.build/', '.build.*/', 'node_modules/', '.nexus/', 'coverage/', 'web/dist/', 'migrations/', '.tmp/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { process: 'readonly', console: 'readonly' } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-restricted-properties': [
        'error',
        { object: 'process', property: 'env', message: 'Read configuration through src/platform/config.ts.' },
      ],
    },
  },
  {
    // Only these places may read the environment directly.
    files: ['src/platform/config.ts', 'src/cli/**', 'src/main.ts', 'test/**', 'bench/**', 'scripts/**', '**/*.test.ts', 'vitest.config.ts', 'drizzle.config.ts', 'web/vite.config.ts'],
    rules: { 'no-restricted-properties': 'off' },
  },
  {
    // Faces (CONVENTIONS.md habit 9): a domain reaches another only through its index.ts, whose
    // register… function and re-exports are the whole contract; runbooks/library, lint, runs,
    // analysis and parser are internal to runbooks. platform/ may be used by all and uses none.
    files: ['src/**/*.ts'],
    plugins: { nexus: { rules: { faces } } },
    rules: {
      'nexus/faces': [
        'error',
        {
          domains: ['alerts', 'deployments', 'incidents', 'maintenance', 'notify', 'runbooks', 'runners'],
          shared: 'platform',
          cli: {
            folder: 'cli',
            // The CLI talks to the API. Besides type-only imports (erased) from a domain's face or
            // from platform/, it may load only these, which touch no database and no server state:
            values: [
              'runbooks/model.js', // commandsOf: walks a parsed runbook (`runbook run` plans from it)
              'runbooks/risk.js', // classifyRisk: the same risk classes the server applies
              'runbooks/runs/params.js', // parametersOf: which parameters a procedure asks for
              'runbooks/lint/index.js', // lintSource: `nexus runbook lint` works offline, like the API's lint
              'runners/agent.js', // `nexus runner` is the runners domain's agent process (ADR 0004);
              'runners/agent-http.js', //   it reaches NEXUS over HTTP only
              'runners/sandbox.js', //   and resolves its sandbox like the local runner
              'platform/config.js', // the same environment parsing and ConfigError as the server
              'platform/version.js', // `nexus --version`
              'platform/uuid.js', // argument checks
              'platform/auth/roles.js', // role names for `users` and `tokens`
            ],
            // `nexus serve` and `nexus migrate` start the server itself.
            entries: {
              'cli/serve.ts': ['server.js', 'platform/db/index.js', 'platform/logger.js', 'platform/startup.js'],
              // `nexus backup restore --offline` restores with no server running (a lost database has no one to sign in).
              'cli/backup-offline.ts': ['maintenance/index.js', 'platform/db/index.js', 'platform/logger.js'],
            },
          },
        },
      ],
    },
  },
  {
    // The console runs in the browser: its globals, and React's rules of hooks (with the React Compiler's checks).
    files: ['web/src/**/*.{ts,tsx}'],
    languageOptions: { globals: globals.browser },
    plugins: { 'react-hooks': reactHooks },
    rules: {
      ...reactHooks.configs.flat.recommended.rules,
      // A missing dependency is a stale-closure bug waiting to happen; make it fail lint, not warn.
      'react-hooks/exhaustive-deps': 'error',
    },
  },
  {
    files: ['web/public/**/*.js'],
    languageOptions: { globals: globals.browser, sourceType: 'script' },
  },
);
