// ESLint 9 flat config: typescript-eslint's recommended rules (syntax only, no type information,
// so a run stays a few seconds on two cores), a few house rules, and the import boundaries of the
// layering that src/README.md describes. The boundaries are plain `no-restricted-imports` patterns
// per directory, plus the same patterns for dynamic `import()` (services import heavy modules
// lazily, and a lazy import across a boundary is still a crossing).
//
// Who may import whom (docs/adding-a-campaign.md says it for a newcomer):
//  - a campaign (src/laptops, src/firewalls, src/cityfamily, src/win7) never imports another one;
//  - the shared layers (src/core, src/store, src/csv, src/remote, src/tools) never import a
//    campaign nor src/cli (prompts and views belong to the CLI layer), except src/store/schema.ts
//    which composes the campaigns' table types (`import type` of <campaign>/tables.js only);
//  - src/cli (BaseCommand, prompts, tables) never imports a campaign;
//  - nothing under src/ imports commands/;
//  - a command never imports src/store: it reaches the store through BaseCommand and services
//    (the `db` topic's commands call src/store/admin.ts, the store's own service);
//  - a verb's service (src/<campaign>/<verb>.ts, where commands/<campaign>/<verb>.ts exists) never
//    imports a sibling verb's service, unless COMPOSES says the verb is built on the other one.
// A campaign is any folder of src/ that is not a shared layer nor src/cli: a new campaign's folder
// is under these rules from its first file. A new shared layer must be named in SHARED (until it
// is, the rules treat it as a campaign, which the campaigns' imports of it make plain).
import {readdirSync, existsSync} from 'node:fs'
import js from '@eslint/js'
import tseslint from 'typescript-eslint'

/** Verbs built on a sibling verb: `deploy` pushes what `plan` computes, `report` renders `status`. */
const COMPOSES = {
  'firewalls/deploy': ['plan'],
  'laptops/report': ['status'],
  'laptops/certify': ['wipe'],
}

const root = new URL('.', import.meta.url)

/** The layers under the campaigns, which every campaign may import. */
export const SHARED = ['core', 'store', 'csv', 'remote', 'tools', 'audit', 'context']
export const CAMPAIGNS = readdirSync(new URL('src/', root), {withFileTypes: true})
  .filter((d) => d.isDirectory() && d.name !== 'cli' && !SHARED.includes(d.name))
  .map((d) => d.name)
  .sort()

const either = (names) => `(${names.join('|')})`

/** An import specifier that reaches src/<dir>/ from anywhere inside src/ or commands/. */
const srcDir = (names) => `^(\\.\\./)+(src/)?${either(names)}/`

/** One restriction: the regex on the import specifier, and the message that says why. */
const rule = (regex, message, extra = {}) => ({regex, message, ...extra})

const campaignsExcept = (own) => CAMPAIGNS.filter((c) => c !== own)

const NOT_COMMANDS = rule('^(\\.\\./)+commands/', 'src/ never imports commands/: a command calls a service, not the reverse.')
const NOT_CAMPAIGNS = rule(srcDir(CAMPAIGNS), 'The shared layers never import a campaign: a campaign imports them.')
const NOT_CLI = rule(
  srcDir(['cli']),
  'The shared layers never import src/cli: take a callback (see the wipe confirmation) or return data for the view.',
)

/** Writes go through the one atomic writer (src/core/fs.ts), never straight through node:fs. */
const ATOMIC_WRITER = ['fs', 'node:fs', 'fs/promises', 'node:fs/promises'].map((name) => ({
  name,
  importNames: ['writeFile', 'writeFileSync', 'appendFile', 'appendFileSync', 'createWriteStream'],
  message: 'Write files through writeFileAtomic (src/core/fs.ts): whole or not at all, never through a symlink.',
}))

/** The verbs of a campaign: the commands/<campaign>/<verb>.ts that have a src/<campaign>/<verb>.ts. */
function verbs(campaign) {
  const dir = new URL(`commands/${campaign}/`, root)
  if (!existsSync(dir)) return []
  return readdirSync(dir)
    .filter((f) => f.endsWith('.ts'))
    .map((f) => f.slice(0, -3))
    .filter((v) => existsSync(new URL(`src/${campaign}/${v}.ts`, root)))
}

/**
 * The rules of one group of files: `no-restricted-imports` for static imports and exports,
 * `no-restricted-syntax` for dynamic import() and the house rules written as selectors.
 */
function boundaries(files, restrictions, {ignores = [], paths = ATOMIC_WRITER} = {}) {
  const dynamic = restrictions.map((r) => ({
    selector: `ImportExpression[source.value=/${r.regex.replaceAll('/', '\\/')}/]`,
    message: r.message,
  }))
  return {
    files,
    ignores,
    rules: {
      '@typescript-eslint/no-restricted-imports': ['error', {paths, patterns: restrictions}],
      'no-restricted-syntax': ['error', ...HOUSE_SYNTAX, ...dynamic],
    },
  }
}

const HOUSE_SYNTAX = [{selector: 'ExportDefaultDeclaration', message: 'Named exports only (oclif finds commands by their exported class).'}]

function campaignBlocks() {
  const blocks = []
  for (const c of CAMPAIGNS) {
    const rivals = campaignsExcept(c)
    const message = `A campaign never imports another campaign: move what ${c} shares to src/core, src/csv, src/remote or src/store.`
    const others = rivals.length === 0 ? [] : [rule(srcDir(rivals), message)]
    const vs = verbs(c)
    for (const v of vs) {
      const allowed = COMPOSES[`${c}/${v}`] ?? []
      const siblings = vs.filter((w) => w !== v && !allowed.includes(w))
      const restrictions = [...others, NOT_COMMANDS]
      if (siblings.length > 0) {
        restrictions.push(
          rule(
            `^\\./${either(siblings)}\\.js$`,
            `A verb's service never imports a sibling verb (${c}/${v}): move the shared part to a module of ${c} that both import.`,
          ),
        )
      }
      blocks.push(boundaries([`src/${c}/${v}.ts`], restrictions))
    }
    blocks.push(boundaries([`src/${c}/**/*.ts`], [...others, NOT_COMMANDS], {ignores: vs.map((v) => `src/${c}/${v}.ts`)}))
  }
  return blocks
}

export default tseslint.config(
  {
    ignores: [
      'dist/**',
      'docs/**',
      'templates/**',
      'release/**',
      'coverage/**',
      'bench/out/**',
      '.runtimes/**',
      'oclif.manifest.json',
      'bin/local-node-headers/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      // Said explicitly: typescript-eslint cannot guess it when two copies of this config load in one process.
      parserOptions: {tsconfigRootDir: import.meta.dirname},
      ecmaVersion: 2023,
      sourceType: 'module',
      globals: {
        process: 'readonly',
        console: 'readonly',
        URL: 'readonly',
        Buffer: 'readonly',
        setTimeout: 'readonly',
        clearTimeout: 'readonly',
        setInterval: 'readonly',
        clearInterval: 'readonly',
        AbortController: 'readonly',
        AbortSignal: 'readonly',
        structuredClone: 'readonly',
        TextDecoder: 'readonly',
        TextEncoder: 'readonly',
        fetch: 'readonly',
        performance: 'readonly',
        queueMicrotask: 'readonly',
        setImmediate: 'readonly',
      },
    },
    linterOptions: {reportUnusedDisableDirectives: 'error'},
    rules: {
      // Unused bindings are dead code; a leading underscore marks a deliberately ignored one.
      '@typescript-eslint/no-unused-vars': [
        'error',
        {argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none', ignoreRestSiblings: true},
      ],
      eqeqeq: ['error', 'smart'],
      'no-var': 'error',
      'prefer-const': ['error', {destructuring: 'all'}],
      'no-throw-literal': 'error',
      // `import type` for types: a type import never loads a module, which keeps lazy loading honest.
      // import('better-sqlite3') in annotations is allowed: it names a lazily loaded driver's type.
      '@typescript-eslint/consistent-type-imports': ['error', {fixStyle: 'inline-type-imports', disallowTypeAnnotations: false}],
      // The CSV pipeline rejects control characters and tests strip terminal escapes: on purpose.
      'no-control-regex': 'off',
    },
  },
  {
    // A CommonJS script (bench/laptops-list-floor.cjs: the floor of a start, without the ES loader).
    files: ['**/*.cjs'],
    languageOptions: {sourceType: 'commonjs', globals: {require: 'readonly', module: 'writable', __dirname: 'readonly'}},
    rules: {'@typescript-eslint/no-require-imports': 'off'},
  },
  {
    // Results go to stdout through BaseCommand's sink, everything else to stderr through the
    // output sink: a stray console.log would break `--json`.
    files: ['src/**/*.ts', 'commands/**/*.ts'],
    rules: {'no-console': 'error'},
  },
  ...campaignBlocks(),
  boundaries(
    SHARED.map((d) => `src/${d}/**/*.ts`),
    [NOT_CAMPAIGNS, NOT_CLI, NOT_COMMANDS],
    {ignores: ['src/core/fs.ts', 'src/store/schema.ts']},
  ),
  // The one atomic writer may use node:fs's writers.
  boundaries(['src/core/fs.ts'], [NOT_CAMPAIGNS, NOT_CLI, NOT_COMMANDS], {paths: []}),
  // The store's schema composes every campaign's table types: type-only imports of tables.js.
  boundaries(
    ['src/store/schema.ts'],
    [
      rule(srcDir(CAMPAIGNS) + '(?!tables\\.js$)', "The store only composes the campaigns' table types (<campaign>/tables.js)."),
      rule(srcDir(CAMPAIGNS) + 'tables\\.js$', "The store imports the campaigns' table types only (import type).", {
        allowTypeImports: true,
      }),
      NOT_CLI,
      NOT_COMMANDS,
    ],
  ),
  boundaries(
    ['src/cli/**/*.ts'],
    [rule(srcDir(CAMPAIGNS), 'src/cli is shared by every command: it never imports a campaign.'), NOT_COMMANDS],
  ),
  boundaries(
    ['commands/**/*.ts'],
    [rule(srcDir(['store']), 'A command never imports the store: BaseCommand opens it and services use it.')],
    {ignores: ['commands/db/**']},
  ),
  boundaries(
    ['commands/db/**/*.ts'],
    [rule(srcDir(['store']) + '(?!admin\\.js$)', 'The db topic calls the store through its service, src/store/admin.ts.')],
  ),
  {
    // Migrations see the database as it was when they were written, not as schema.ts says now
    // (Kysely's documented Kysely<any>); upsertRows works on any table by name.
    files: ['src/store/migrations/*.ts', 'src/store/upsert.ts'],
    rules: {'@typescript-eslint/no-explicit-any': 'off'},
  },
  {
    // Untyped outside data: smartctl's JSON (probe-parse narrows each field it reads) and ssh2's
    // algorithm list, whose type names only the algorithms ssh2 knew when it was typed.
    files: ['src/laptops/probe-parse.ts', 'src/remote/ssh.ts'],
    rules: {'@typescript-eslint/no-explicit-any': 'off'},
  },
  {
    // Tests read `--json` envelopes and build throwaway tables: `any` is the honest type there.
    files: ['test/**/*.ts'],
    rules: {'@typescript-eslint/no-explicit-any': 'off'},
  },
)
