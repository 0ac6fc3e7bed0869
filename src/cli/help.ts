export const HELP = `migration-lint [options] [paths...]
migration-lint explain <rule>

Lint Prisma migrations (PostgreSQL) before they reach production.

Paths (optional) may be migration folders, migration.sql / down.sql files,
.prisma files or project roots; without paths the Prisma project in the
working directory is linted. Every migration still builds the history.

Options:
  --schema <path>          Prisma schema file or multi-file schema folder
  --migrations <dir>       Migrations folder (default: migrations/ beside the schema)
  -c, --config <file>      Use this config file instead of searching for one
  --cwd <dir>              Working directory (default: the current one); paths,
                           --schema, --migrations, --config, --baseline, --rulesdir
                           and --seed are relative to it, -o, -f <name>:<file> and
                           --cache-location to the shell's directory
  --rulesdir <dir>         Load extra rules (.js, .ts) from a folder (repeatable); enable
                           them in "rules" or with --rule
  --rule <setting>         Set a rule over the config (repeatable), as in ESLint:
                           'destructive-change: off', 'id: [warn, {option: value}]'
  -f, --format <name>      Output format: stylish (default), compact, json, sarif,
                           github, gitlab, junit, markdown (a PR comment, cut
                           at 65,536 characters), markdown-summary (a step
                           summary, cut at 1 MiB), html (a page to
                           open in a browser), or a formatter module (path
                           or migration-lint-formatter-<name>)
  -f, --format <name>:<file>
                           Also write a report in that format to <file>; repeat
                           for several reports from one run (one format may go
                           to stdout or --output-file)
  -o, --output-file <file> Write the report to a file
  --stdin                  Lint the migration on standard input (an editor buffer),
                           with the project's history from disk
  --stdin-filename <file>  Its file: prisma/migrations/<name>/migration.sql (the
                           folder may not exist yet)
  --ignore-pattern <glob>  Do not report matching migrations (folder name or path;
                           repeatable), on top of the config's "ignore"
  --fix                    Write the fixes of migrations applied nowhere yet (new since
                           --base <ref>, not in --database-url's _prisma_migrations; both if given),
                           each proven on PGlite to keep the end schema; report what remains
  --fix-dry-run            Print the fixes as a unified diff; write nothing
  --fix-type <types>       Only fixes of these rule types: problem,suggestion,layout
  --apply-suggestion <id>[:<n>]
                           Apply suggestion n (from 1) of the finding with this id; it
                           may create a migration folder. Same safety as --fix
  --max-warnings <n>       Exit 1 when there are more than n warnings
  --quiet                  Report errors only
  --color, --no-color      Force or disable colours (NO_COLOR / FORCE_COLOR work too)
  --base <ref>             Lint only migrations added or changed since the merge
                           base with <ref> (e.g. origin/main); history still counts
  --staged                 Lint only migrations with staged changes (pre-commit);
                           at a monorepo's root, the projects of the staged files
  --rule-time-budget <ms>  Time a rule may take before it is stopped and reported
                           (default 10000)
  --cache, --no-cache      Reuse results of unchanged migrations between runs (on by
                           default; --no-cache turns it off)
  --cache-location <path>  Cache file or folder (default: node_modules/.cache/
                           migration-lint/ nearest the project, else the project root)
  --no-error-on-unmatched-pattern
                           Nothing to lint (no migrations folder, an empty one, or startAfter/ignore
                           leaving no migration) is a note and exit 0 instead of exit 2
  --report-unused-disable-directives
                           Report disable directives that suppress nothing
  --baseline <file>        Baseline of accepted findings
                           (default: .migration-lint-baseline.json in the project)
  --no-baseline            Ignore the baseline
  --write-baseline         Record today's findings in the baseline and exit 0
  --replay                 Also apply the migrations to a throwaway database of the
                           project's provider: failures, rollback round trips
                           (down.sql), schema drift. PostgreSQL: PGlite in-process;
                           SQLite: sql.js in-process; MySQL: --database-url, or a
                           mariadbd/mysqld it starts in a temp dir (MIGRATION_LINT_MYSQLD)
  --database-url <url>     Real server for --replay (postgresql:// or mysql://): a
                           scratch database is created there and dropped afterwards
                           (env MIGRATION_LINT_DATABASE_URL)
  --drift-only             Only compare the replayed history with schema.prisma; on
                           PostgreSQL with --database-url, that database, read-only
                           (e.g. a production replica)
  --seed <file.sql>        Sample data applied before the first linted migration
  --lock-trace             With --replay: print the locks each statement took
  --print-config           Print the resolved configuration and what discovery found
                           (schema, migrations, provider, Prisma version, runner) and exit
  --list-rules             List the rules and exit
  --debug                  Print the time of each phase on stderr
  --daemon                 Ask this directory's daemon, and when none is up start one in
                           the background for the runs after this one, which lints
                           itself (a pre-commit hook's args; not where CI is set)
  -h, --help               Show this help
  -v, --version            Show the version

Commands:
  explain <rule>           Print a rule's documentation: what, why, bad and good
                           examples, how to fix, how to disable
  daemon [start|stop|status] [--idle-timeout <s>]
                           Keep this directory's history in memory for the runs
                           here (pre-commit): a run asks it first and lints itself
                           when it is not up (MIGRATION_LINT_NO_DAEMON=1: never)
  lsp --stdio              The language server (docs/editors.md)

Exit codes: 0 no errors, 1 lint errors (or too many warnings),
            2 usage, configuration or internal failure.

Docs: https://github.com/migration-lint/migration-lint#readme
`;
