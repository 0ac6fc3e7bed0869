/**
 * The command line. Kept light: `--help` and `--version` load nothing but
 * this file; the linter, the SQL parser and the formatters load on demand.
 * Returns the exit code: 0 clean, 1 lint errors (or too many warnings),
 * 2 usage, configuration or internal failure.
 */
import { parseArgs } from "node:util";
import { didYouMean } from "../did-you-mean.js";
import { packageVersion } from "../version.js";
import path from "node:path";
import { HELP } from "./help.js";
import { redact, secretsOf } from "../redact.js";
import { showControls } from "../controls.js";
import type { LintOptions } from "../api/lint.js";

export { guardProcess } from "./exit-guard.js";

/** Same default as the engine's (src/engine/linter.ts); kept here so --help and --version load nothing else. */
const DEFAULT_RULE_TIME_BUDGET_MS = 10_000;

export interface CliIO {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  /** Whether stdout is a terminal that takes colour. */
  colorDefault: boolean;
}

import { OPTIONS } from "./options.js";
export { OPTIONS };

/** `resident`: a daemon's run (src/daemon), with the history it keeps in memory in place of the cache file. */
export async function main(argv: string[], rawIO: CliIO, resident?: { history: NonNullable<LintOptions["history"]> }): Promise<number> {
  if (resident) return command(argv, rawIO, resident);
  // what the run writes, in order, for src/cli/record-run.ts (consecutive writes to one stream joined)
  const output: Array<[1 | 2, string]> = [];
  const tap = (fd: 1 | 2, write: (text: string) => void) => (text: string) => {
    const last = output.at(-1);
    if (last?.[0] === fd) last[1] += text;
    else output.push([fd, text]);
    write(text);
  };
  const record: Recorded = {};
  const code = await command(argv, { ...rawIO, stdout: tap(1, rawIO.stdout), stderr: tap(2, rawIO.stderr) }, undefined, record);
  record.recording?.finish(code, output, record.cacheFiles ?? []);
  return code;
}

/** What a run tells `main` for keeping it (src/cli/record-run.ts): its recording, once its options are known, and the cache files it used. */
interface Recorded {
  recording?: import("./record-run.js").RunRecording;
  cacheFiles?: string[];
}

async function command(argv: string[], rawIO: CliIO, resident?: { history: NonNullable<LintOptions["history"]> }, record?: Recorded): Promise<number> {
  const started = performance.now();
  // everything shown goes through the one redaction (src/redact.ts): the password of --database-url, in any spelling, never appears
  const secrets = secretsOf(databaseUrlArgument(argv) ?? process.env.MIGRATION_LINT_DATABASE_URL);
  const shown = (text: string) => redact(text, secrets);
  const io: CliIO = { ...rawIO, stdout: (text) => rawIO.stdout(shown(text)), stderr: (text) => rawIO.stderr(shown(text)) };
  /** One line on stderr; what it quotes (file names, SQL, arguments) shows its control characters escaped. */
  const say = (message: string) => io.stderr(`migration-lint: ${showControls(message)}\n`);
  let parsed;
  try {
    parsed = parseArgs({ args: argv, options: OPTIONS, allowPositionals: true, strict: true });
  } catch (err) {
    const unknown = (err as { code?: string }).code === "ERR_PARSE_ARGS_UNKNOWN_OPTION" ? /'(-{1,2}[^']*)'/.exec((err as Error).message)?.[1] : undefined;
    const flags = Object.keys(OPTIONS).map((name) => `--${name}`);
    say((err as Error).message.replace(/\. To specify a positional.*$/s, ".") + (unknown?.startsWith("--") ? didYouMean(unknown.split("=")[0]!, flags) : ""));
    io.stderr("Run `migration-lint --help` for usage.\n");
    return 2;
  }
  const { values, positionals } = parsed;

  if (values.help) {
    io.stdout(HELP);
    return 0;
  }
  if (values.version) {
    io.stdout(`${packageVersion() ?? "unknown"}\n`);
    return 0;
  }

  if (positionals[0] === "explain") {
    const { explain } = await import("./explain.js");
    return explain(positionals.slice(1), io, values["no-color"] ? false : values.color ? true : io.colorDefault);
  }

  let maxWarnings: number | undefined;
  if (values["max-warnings"] !== undefined) {
    maxWarnings = Number(values["max-warnings"]);
    if (!Number.isInteger(maxWarnings) || maxWarnings < -1) {
      say(`--max-warnings must be a whole number, got "${values["max-warnings"]}".`);
      return 2;
    }
  }
  const color = values["no-color"] ? false : values.color ? true : io.colorDefault;
  let cwd: string;
  try {
    cwd = path.resolve(values.cwd ?? process.cwd());
  } catch (err) {
    // a working directory longer than PATH_MAX (ERANGE / ENAMETOOLONG), or one deleted under the shell
    const { describeFsError } = await import("../write-file.js");
    io.stderr(`migration-lint: cannot read the working directory (${describeFsError(err)}); run from a shorter path or pass --cwd with an absolute path.\n`);
    return 2;
  }

  if (record) {
    // from here on the run looks at paths: what it looks at is recorded from now
    const { RunRecording } = await import("./record-run.js");
    record.recording = new RunRecording(argv, rawIO.colorDefault, values, positionals);
  }
  try {
    if (values["list-rules"]) {
      const { listRules } = await import("./list-rules.js");
      io.stdout(listRules(color));
      return 0;
    }
    // Same default and limit as the run's; user code (a config, plugins, --rulesdir rules, a formatter module) may take at most this long to answer
    const budgetOption = Number(values["rule-time-budget"]);
    const formatterLimit = Number.isInteger(budgetOption) && budgetOption > 0 ? budgetOption : DEFAULT_RULE_TIME_BUDGET_MS;
    const canSupervise = import.meta.url.endsWith(".js") && process.env.MIGRATION_LINT_NO_WORKER !== "1";
    if (values["print-config"]) {
      // the config, plugins and rules folders it imports are user code: supervised as a lint run's are
      const printConfig = canSupervise ? (await import("./supervise.js")).printConfigSupervisedWith(formatterLimit) : (await import("./print-config.js")).printConfig;
      const printed: { text: string; note?: string; strays?: string[] } = await printConfig({
        cwd,
        paths: positionals,
        ...(values.config ? { configFile: values.config } : {}),
        ...(values.rulesdir?.length ? { rulesDirs: values.rulesdir } : {}),
        ...(values.rule?.length ? { ruleOverrides: (await import("./rule-option.js")).parseRuleOptions(values.rule) } : {}),
        ...(values.schema ? { schema: values.schema } : {}),
        ...(values.migrations ? { migrations: values.migrations } : {}),
      });
      io.stdout(printed.text);
      if (printed.note) say(`note: ${printed.note}`);
      for (const stray of printed.strays ?? []) say(stray);
      return printed.strays?.length ? 2 : 0;
    }

    const { loadFormatter } = await import("../formatters/index.js");
    const { reportSpecs, writeReports } = await import("./reports.js");
    const { adoptionHint, HUMAN_FORMATS } = await import("./adoption.js");
    const reports = [];
    // a formatter module is user code: it runs in a worker that may take at most the time budget per answer
    const importer =
      canSupervise
        ? async (name: string, file: string) => (await import("./formatter-host.js")).supervisedFormatterLoader(formatterLimit)(name, file)
        : undefined;
    // what the run writes for the caller is relative to the shell's directory, not --cwd (src/cli/paths.ts)
    const { fromShell, shellDirectory } = await import("./paths.js");
    const shell = shellDirectory(cwd);
    for (const spec of reportSpecs(values.format ?? [], values["output-file"], shell)) reports.push({ ...spec, formatter: await loadFormatter(spec.format, cwd, importer) });
    if (values.base !== undefined && values.staged) {
      io.stderr("migration-lint: --base and --staged cannot be used together.\n");
      return 2;
    }
    let budget: number | undefined;
    if (values["rule-time-budget"] !== undefined) {
      budget = Number(values["rule-time-budget"]);
      if (!Number.isInteger(budget) || budget <= 0) {
        say(`--rule-time-budget must be a positive number of milliseconds, got "${values["rule-time-budget"]}".`);
        return 2;
      }
    }
    const fixProblem = fixUsageProblem(values);
    if (fixProblem) {
      say(fixProblem);
      return 2;
    }
    const buffer = await (await import("./stdin.js")).editorBuffer(values, positionals);
    const lintOptions: LintOptions = {
      cwd,
      paths: positionals,
      ...(buffer ? { buffer } : {}),
      ...(values["ignore-pattern"]?.length ? { ignorePatterns: values["ignore-pattern"] } : {}),
      ...(values.base !== undefined ? { base: values.base } : {}),
      ...(values.staged ? { staged: true } : {}),
      // on by default, as the daily paths (pre-commit, CI on a pull request) lint one new migration on a long history;
      // replay's PGlite snapshots only when asked (its first run with them is slower: docs/replay.md), and an editor's
      // unsaved text (--stdin) neither fills nor prunes it
      ...(values["no-cache"] || (!values.cache && (values.replay || values["lock-trace"] || values["drift-only"] || values.stdin)) ? {} : { cache: true }),
      ...(resident ? { history: resident.history } : {}),
      ...(values.replay || values["lock-trace"] ? { replay: true } : {}),
      ...(values["database-url"] ?? process.env.MIGRATION_LINT_DATABASE_URL ? { databaseUrl: values["database-url"] ?? process.env.MIGRATION_LINT_DATABASE_URL } : {}),
      ...(values["drift-only"] ? { driftOnly: true } : {}),
      ...(values.seed ? { seed: path.resolve(cwd, values.seed) } : {}),
      ...(values.rulesdir?.length ? { rulesDirs: values.rulesdir } : {}),
      ...(values.rule?.length ? { ruleOverrides: (await import("./rule-option.js")).parseRuleOptions(values.rule) } : {}),
      ...(values["cache-location"] ? { cacheLocation: fromShell(values["cache-location"], shell) } : {}),
      ...(values["report-unused-disable-directives"] ? { reportUnusedDisableDirectives: true } : {}),
      ...(values["no-baseline"] ? { baseline: false as const } : values.baseline ? { baseline: path.resolve(cwd, values.baseline) } : {}),
      ...(values.config ? { configFile: values.config } : {}),
      ...(values.schema ? { schema: values.schema } : {}),
      ...(values.migrations ? { migrations: values.migrations } : {}),
      ...(budget ? { ruleTimeBudgetMs: budget } : {}),
      ...(values["no-error-on-unmatched-pattern"] ? { errorOnUnmatchedPattern: false } : {}),
      ...(reports.some((r) => r.format === "html") ? { statementLocks: true } : {}),
    };
    // A config file, plugins and --rulesdir rules are other people's code: lint in a supervised worker then, so
    // that one stuck in an endless loop (at import, or in a rule) is stopped and reported. Built-in rules (fuzzed,
    // and under the cumulative time budget) run on this thread, which saves the worker's start-up. Replay runs
    // there too: this thread forwards signals, so that its scratch database is still dropped on Ctrl-C.
    // The config file and plugins are user code: each is imported once, by the thread that lints.
    const api = await import("../api/lint.js");
    const { configMayRunCode, findConfig, locateConfigFile } = await import("../config/load.js");
    const located = locateConfigFile({ cwd, ...(lintOptions.configFile ? { configFile: lintOptions.configFile } : {}) });
    // a config whose reading may run code (JavaScript, TypeScript, $import, a meta or global config) is read by the
    // worker (undefined); plain data is read here to see whether it lists plugins
    const found = canSupervise && configMayRunCode({ cwd, ...(lintOptions.configFile ? { configFile: lintOptions.configFile } : {}) }) ? undefined : await findConfig({ cwd, ...(lintOptions.configFile ? { configFile: lintOptions.configFile } : {}) });
    const untrusted = found === undefined || (found?.config.plugins?.length ?? 0) > 0 || (lintOptions.rulesDirs?.length ?? 0) > 0 || process.env.MIGRATION_LINT_SUPERVISE === "1";
    const supervised = untrusted && canSupervise;
    if (untrusted) record?.recording?.refuse("user code");
    if (found === undefined && located) lintOptions.configFile = located;
    let underSupervision = supervised;
    const runSupervised = async (options: LintOptions) => (await import("./supervise.js")).runLintSupervised(options, budget ?? DEFAULT_RULE_TIME_BUDGET_MS, found);
    // a monorepo project's own config file may be code: then the run starts again under supervision
    const { NeedsSupervision } = await import("../api/projects.js");
    const resolvedConfig = supervised ? undefined : await api.resolveFoundConfig(found ?? null, { cwd, ...(lintOptions.rulesDirs ? { rulesDirs: lintOptions.rulesDirs } : {}), ...(lintOptions.ruleOverrides ? { ruleOverrides: lintOptions.ruleOverrides } : {}) });
    /** One lint run (the first, and --fix's runs of a migration with its fixes in place), supervised where user code runs. */
    const lintOnce = async (options: LintOptions) =>
      underSupervision
        ? runSupervised(options)
        : api.runLint({ ...options, superviseCode: canSupervise, resolvedConfig: resolvedConfig! }).catch((err: unknown) => {
            if (!(err instanceof NeedsSupervision)) throw err;
            underSupervision = true;
            record?.recording?.refuse("user code");
            return runSupervised(options);
          });
    const run = await lintOnce(lintOptions);
    if (record) record.cacheFiles = run.projects.flatMap((p) => (p.cacheFile ? [p.cacheFile] : []));

    /** Says on stderr why the run is no lint result whatever its findings, and whether so (then it exits 2). */
    const notALintResult = (): boolean => {
      // what plugin code threw from a timer or promise in the supervised worker (the CLI's own process reports its own)
      const strays = "strays" in run ? run.strays ?? [] : [];
      for (const stray of strays) io.stderr(`migration-lint: ${stray}\n`);
      if (strays.length) return true;
      // however parse-error and file-error are configured, a run that could check no migration is not a lint result
      const withMigrations = run.projects.filter((p) => p.lintedCount > 0);
      if (withMigrations.length && withMigrations.every((p) => p.uncheckedCount === p.lintedCount)) {
        const count = withMigrations.reduce((n, p) => n + p.lintedCount, 0);
        io.stderr(`migration-lint: nothing was checked: not one statement of the ${count} migration${count === 1 ? "" : "s"} in scope could be read or parsed (see the parse-error and file-error findings).\n`);
        return true;
      }
      return false;
    };

    if (values["write-baseline"]) {
      // a baseline of a history nothing checked, or of a run user code meant to end, accepts what nobody saw
      if (notALintResult()) return 2;
      const { writeBaseline } = await import("../engine/baseline.js");
      for (const project of run.projects) {
        const inProject = run.results.filter((r) => r.filePath.startsWith(project.root + path.sep));
        const count = await writeBaseline(project.baselinePath, inProject, project.baseline);
        say(`wrote ${count} finding${count === 1 ? "" : "s"} to ${path.relative(cwd, project.baselinePath) || project.baselinePath}`);
      }
      return 0;
    }

    let results = run.results;
    if (values.fix || values["fix-dry-run"] || values["apply-suggestion"] !== undefined) {
      if (notALintResult()) return 2;
      const { fixCommand } = await import("./fix.js");
      const fixed = await fixCommand(values, {
        cwd,
        results,
        projects: run.projects,
        ruleTypes: "config" in run ? Object.fromEntries(run.config.rules.map((r) => [r.id, r.rule.meta.type])) : run.ruleTypes ?? {},
        lint: async (options) => (await lintOnce({ ...lintOptions, ...options })).results,
        ...(lintOptions.base !== undefined ? { base: lintOptions.base } : {}),
        ...(lintOptions.databaseUrl !== undefined ? { databaseUrl: lintOptions.databaseUrl } : {}),
      });
      results = fixed.results;
      // the diff beside a machine-readable report goes to stderr, so stdout stays parseable (as --lock-trace)
      if (fixed.diff) (reports.some((r) => r.file === undefined && !HUMAN_FORMATS.has(r.format)) ? io.stderr : io.stdout)(fixed.diff);
      for (const note of fixed.notes) say(note);
      for (const source of fixed.sources) run.sources.set(source[0], source[1]);
    }
    if (values.quiet) {
      results = results.map((r) => {
        const messages = r.messages.filter((m) => m.severity === 2);
        return { ...r, messages, warningCount: 0 };
      });
    }
    const { findRepositoryRoot } = await import("../git/root.js");
    const repositoryRoot = findRepositoryRoot(cwd);
    const { statementLocksOf } = await import("./reports.js");
    const context = { cwd, ...(repositoryRoot ? { repositoryRoot } : {}), color, sourceOf: (file: string) => run.sources.get(file), statementLocks: statementLocksOf(run.projects) };
    // no report may overwrite a file this run read
    const inputs = new Set([...run.sources.keys(), ...run.projects.flatMap((p) => [...p.schemaFiles, p.baselinePath]), ...(found?.filepath ? [found.filepath] : located ? [located] : [])]);
    const reportStarted = performance.now();
    // writeReports redacts every piece (`shown`) for a file and for stdout alike: stdout takes them as they are
    await writeReports(reports, results, context, rawIO.stdout, inputs, shown);
    if (values.debug) {
      const debug = await import("./debug.js");
      io.stderr(debug.formatCacheUse(run.projects, cwd, path.relative));
      io.stderr(debug.formatTimings({ ...run.timings, report: performance.now() - reportStarted }, performance.now() - started));
    }
    if (reports.some((r) => HUMAN_FORMATS.has(r.format) && r.file === undefined)) {
      // a run that left migrations out (paths, --base, --staged, startAfter or ignore in whatever config it read) was already narrowed
      const narrowed = values.base !== undefined || !!values.staged || positionals.length > 0 || run.projects.some((p) => p.lintedCount < p.migrationCount);
      const hint = adoptionHint(results, run.projects, { narrowed, inGit: !!repositoryRoot });
      if (hint) io.stdout(`${showControls(hint)}\n`);
    }
    for (const project of run.projects) for (const note of project.notes) say(`note: ${note}`);
    for (const skipped of run.skipped ?? []) say(`not linted: ${path.relative(cwd, skipped.path) || "."}: ${skipped.message}`);
    if (values["lock-trace"]) {
      const { formatLockTrace } = await import("./lock-trace.js");
      const trace = formatLockTrace(run.projects, cwd);
      // beside a machine-readable report the trace goes to stderr, so stdout stays parseable
      if (reports.some((r) => r.format === "stylish" && r.file === undefined)) io.stdout(trace);
      else io.stderr(trace);
    }

    if (notALintResult()) return 2;
    const errorCount = results.reduce((n, r) => n + r.errorCount, 0);
    const warningCount = results.reduce((n, r) => n + r.warningCount, 0);
    if (errorCount > 0) return 1;
    if (maxWarnings !== undefined && maxWarnings >= 0 && warningCount > maxWarnings) {
      io.stderr(`migration-lint found too many warnings (maximum: ${maxWarnings}).\n`);
      return 1;
    }
    return 0;
  } catch (err) {
    const { MigrationLintError } = await import("../errors.js");
    if (err instanceof MigrationLintError) {
      say(err.format());
      return 2;
    }
    const { thrownValue } = await import("../errors.js");
    say(`internal error: ${err instanceof Error ? err.message : thrownValue(err)}`);
    if ((process.env.MIGRATION_LINT_DEBUG || values.debug) && err instanceof Error && err.stack) io.stderr(`${err.stack.split("\n").map((line) => showControls(line)).join("\n")}\n`);
    io.stderr(`This is a bug in migration-lint; please report it with the command you ran. Set MIGRATION_LINT_DEBUG=1 for a stack trace.\n`);
    return 2;
  }
}

/** The value of the last `--database-url` in `argv` (read before parsing, so that even a parse error is redacted). */
function databaseUrlArgument(argv: string[]): string | undefined {
  let value: string | undefined;
  for (const [i, arg] of argv.entries()) {
    if (arg === "--database-url") value = argv[i + 1];
    else if (arg.startsWith("--database-url=")) value = arg.slice("--database-url=".length);
  }
  return value;
}

/** What is wrong with the --fix flags together (as ESLint says it), or null. */
function fixUsageProblem(values: { fix?: boolean; "fix-dry-run"?: boolean; "fix-type"?: string[]; "apply-suggestion"?: string; stdin?: boolean; "write-baseline"?: boolean }): string | null {
  const fixing = values.fix || values["fix-dry-run"];
  if (values.fix && values["fix-dry-run"]) return "--fix and --fix-dry-run cannot be used together.";
  if (values["fix-type"] && !fixing) return "--fix-type requires --fix or --fix-dry-run.";
  if (values["apply-suggestion"] !== undefined && fixing) return "--apply-suggestion applies one suggestion on its own; leave out --fix and --fix-dry-run.";
  if ((fixing || values["apply-suggestion"] !== undefined) && values.stdin) return "--fix, --fix-dry-run and --apply-suggestion edit migration files on disk; they do not work with --stdin.";
  if ((fixing || values["apply-suggestion"] !== undefined) && values["write-baseline"]) return "--write-baseline records findings as they are; run it without --fix, --fix-dry-run or --apply-suggestion.";
  for (const type of (values["fix-type"] ?? []).flatMap((t) => t.split(",")).map((t) => t.trim())) {
    if (!["problem", "suggestion", "layout"].includes(type)) return `--fix-type takes problem, suggestion and layout (comma-separated), got "${type}".`;
  }
  return null;
}
