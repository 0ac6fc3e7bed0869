/**
 * The built CLI (bin/migration-lint.js -> dist/), run as a subprocess.
 * `npm test` compiles dist/ before vitest runs.
 */
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const BIN = path.join(ROOT, "bin", "migration-lint.js");
const TRACE_LOADER = fileURLToPath(new URL("./trace-loader.mjs", import.meta.url));
const EXAMPLE = path.join(ROOT, "fixtures", "example");
const MIGRATIONS = path.join(EXAMPLE, "prisma", "migrations");
const PACKAGE_VERSION = (JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8")) as { version: string }).version;
const ANSI = /\u001b\[/;

interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** The environment without colour overrides, so output does not depend on the caller's terminal. */
function cleanEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env = { ...process.env };
  delete env.FORCE_COLOR;
  delete env.NO_COLOR;
  delete env.MIGRATION_LINT_DEBUG;
  return { ...env, ...extra };
}

function cli(args: string[], options: { nodeArgs?: string[]; env?: Record<string, string>; cwd?: string } = {}): Run {
  const result = spawnSync(process.execPath, [...(options.nodeArgs ?? []), BIN, ...args], {
    cwd: options.cwd ?? ROOT,
    encoding: "utf8",
    env: cleanEnv(options.env),
  });
  if (result.error) throw result.error;
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** Lints the example project with the given extra arguments. */
function example(...args: string[]): Run {
  return cli(["--cwd", EXAMPLE, ...args]);
}

interface JsonMessage {
  ruleId: string | null;
  severity: number;
  message: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
}
interface JsonResult {
  filePath: string;
  messages: JsonMessage[];
  errorCount: number;
  warningCount: number;
  [key: string]: unknown;
}

function parseJson(run: Run): JsonResult[] {
  return JSON.parse(run.stdout) as JsonResult[];
}

const made: string[] = [];
function tempDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "migration-lint-cli-"));
  made.push(dir);
  fs.mkdirSync(path.join(dir, ".git"));
  return dir;
}
function write(dir: string, files: Record<string, string>): void {
  for (const [rel, content] of Object.entries(files)) {
    const file = path.join(dir, rel);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, content);
  }
}

/** A Prisma project with one migration that only creates a table: nothing to report. */
function cleanProject(): string {
  const dir = tempDir();
  write(dir, {
    "package.json": JSON.stringify({ name: "clean", private: true }),
    "prisma/schema.prisma": 'datasource db {\n  provider = "postgresql"\n  url      = env("DATABASE_URL")\n}\n\nmodel User {\n  id Int @id\n}\n',
    "prisma/migrations/migration_lock.toml": 'provider = "postgresql"\n',
    "prisma/migrations/20240101000000_init/migration.sql": 'CREATE TABLE "User" (\n    "id" INTEGER NOT NULL,\n\n    CONSTRAINT "User_pkey" PRIMARY KEY ("id")\n);\n',
  });
  return dir;
}

/** A config file (outside the example project) that sets destructive-change to warn. */
function warnConfig(): string {
  const file = path.join(tempDir(), "warn.json");
  fs.writeFileSync(file, JSON.stringify({ rules: { "destructive-change": "warn" } }));
  return file;
}

function expectNoStackTrace(text: string): void {
  expect(text).not.toMatch(/^\s+at /m);
}

afterAll(() => {
  for (const dir of made) fs.rmSync(dir, { recursive: true, force: true });
});

describe("help and version", () => {
  it("--help prints usage and exits 0", () => {
    const run = cli(["--help"]);
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/^migration-lint \[options\] \[paths\.\.\.\]/);
    expect(run.stdout).toContain("--max-warnings");
    expect(run.stderr).toBe("");
  });

  it("-h is --help", () => {
    expect(cli(["-h"]).stdout).toBe(cli(["--help"]).stdout);
  });

  it("--version prints package.json's version and exits 0", () => {
    const run = cli(["--version"]);
    expect(run.status).toBe(0);
    expect(run.stdout).toBe(`${PACKAGE_VERSION}\n`);
  });

  describe("loads nothing heavy", () => {
    // The CLI runs from its bundle (dist/cli, scripts/bundle.mjs): cosmiconfig and our SQL layer sit in chunks,
    // named in dist/cli/meta.json; the SQL parser (libpg-query) and prisma-ast (dist/vendor) load from their own files.
    const bundle = JSON.parse(fs.readFileSync(path.resolve(__dirname, "../../dist/cli/meta.json"), "utf8")) as { outputs: Record<string, string[]> };
    const chunksHolding = (source: string) => Object.entries(bundle.outputs).filter(([, inputs]) => inputs.some((i) => i.includes(source))).map(([file]) => file);
    const HEAVY: Record<string, string[]> = {
      "libpg-query": ["libpg-query"],
      "prisma-ast": ["prisma-ast"],
      cosmiconfig: chunksHolding("node_modules/cosmiconfig/"),
      "the SQL layer": chunksHolding("dist/src/dialects/postgres/parse.js"),
    };
    /** The npm packages other dialects parse and replay with: a PostgreSQL run must not load them. */
    const OTHER_DIALECT_PARSERS = ["node_modules/@guanmingchiu/sqlparser-ts/", "node_modules/sql.js/"];
    const loads = (modules: string[], name: string) => modules.some((m) => HEAVY[name]!.some((needle) => m.includes(needle)));

    /** Runs the CLI with the trace loader and returns every module it loaded. */
    function loadedModules(args: string[], env: Record<string, string> = {}): string[] {
      const trace = path.join(tempDir(), "trace.txt");
      fs.writeFileSync(trace, "");
      const run = cli(args, { nodeArgs: ["--import", TRACE_LOADER], env: { MIGRATION_LINT_TRACE_FILE: trace, ...env } });
      expect(run.stderr).toBe("");
      return fs.readFileSync(trace, "utf8").split("\n").filter(Boolean);
    }

    it("the trace loader sees the heavy modules of a real run", () => {
      for (const name of Object.keys(HEAVY)) expect(HEAVY[name]!.length, name).toBeGreaterThan(0);
      // on the main thread: the tracer does not follow the CLI's lint worker; with a config file, so that cosmiconfig
      // reads it (a project where no config file can exist skips cosmiconfig's search)
      const project = tempDir();
      fs.cpSync(EXAMPLE, project, { recursive: true });
      fs.writeFileSync(path.join(project, ".migration-lintrc.json"), JSON.stringify({ extends: ["recommended"] }));
      const modules = loadedModules(["--cwd", project, "-f", "json", "--no-cache"], { MIGRATION_LINT_NO_WORKER: "1" });
      for (const name of Object.keys(HEAVY)) expect(loads(modules, name), name).toBe(true);
    });

    it("a PostgreSQL run loads the PostgreSQL dialect and no other dialect's code or parser", () => {
      const dialectsDir = path.resolve(__dirname, "../../dist/src/dialects");
      const others = fs.readdirSync(dialectsDir, { withFileTypes: true }).filter((d) => d.isDirectory() && d.name !== "postgres").map((d) => d.name);
      const modules = loadedModules(["--cwd", EXAMPLE, "-f", "json", "--no-cache"], { MIGRATION_LINT_NO_WORKER: "1" });
      const postgres = chunksHolding("dist/src/dialects/postgres/");
      expect(postgres.length).toBeGreaterThan(0);
      expect(modules.some((m) => postgres.some((chunk) => m.includes(chunk)))).toBe(true);
      for (const other of others) {
        const chunks = chunksHolding(`dist/src/dialects/${other}/`);
        expect(chunks.length, other).toBeGreaterThan(0);
        expect(modules.filter((m) => chunks.some((chunk) => m.includes(chunk))), other).toEqual([]);
      }
      for (const parser of OTHER_DIALECT_PARSERS) expect(modules.filter((m) => m.includes(parser)), parser).toEqual([]);
    });

    it("a lint run and --help do not load the language server (migration-lint lsp loads it on its own)", () => {
      const server = [...chunksHolding("node_modules/vscode-languageserver"), ...chunksHolding("dist/src/lsp/")];
      expect(server).toContain("lsp.js");
      for (const args of [["--cwd", EXAMPLE, "-f", "json"], ["--help"]]) {
        const modules = loadedModules(args, { MIGRATION_LINT_NO_WORKER: "1" });
        expect(modules.filter((m) => server.some((chunk) => m.endsWith(`/dist/cli/${chunk}`)) || m.includes("vscode-languageserver")), args.join(" ")).toEqual([]);
      }
    });

    it.each([["--help"], ["--version"]])("%s does not load the SQL parser, the schema parser or cosmiconfig", (flag) => {
      const modules = loadedModules([flag]);
      expect(modules.some((m) => /dist[\\/]cli[\\/]main\.js$/.test(m))).toBe(true);
      for (const name of Object.keys(HEAVY)) expect(loads(modules, name), name).toBe(false);
    });
  });
});

describe("exit codes", () => {
  it("exits 1 with destructive-change findings on the example project", () => {
    const run = example("--no-color");
    expect(run.status).toBe(1);
    expect(run.stdout).toContain("destructive-change");
    expect(run.stdout).toContain("20240601090000_drop_coupons/migration.sql");
    // the summary counts what the JSON format reports
    const messages = parseJson(example("-f", "json")).flatMap((r) => r.messages);
    const errors = messages.filter((m) => m.severity === 2).length;
    const warnings = messages.length - errors;
    expect(errors).toBeGreaterThanOrEqual(3);
    expect(run.stdout).toContain(`✖ ${messages.length} problems (${errors} errors, ${warnings} warning${warnings === 1 ? "" : "s"})`);
  });

  it("exits 0 with empty stdout on a clean project", () => {
    const run = cli(["--cwd", cleanProject()]);
    expect(run.status).toBe(0);
    expect(run.stdout).toBe("");
    expect(run.stderr).toBe("");
  });

  it("exits 2 on an unknown flag with a one-line message and no stack trace", () => {
    const run = cli(["--no-such-flag"]);
    expect(run.status).toBe(2);
    expect(run.stdout).toBe("");
    expect(run.stderr.split("\n")[0]).toMatch(/^migration-lint: .*'--no-such-flag'/);
    expectNoStackTrace(run.stderr);
  });

  it("exits 2 on a bad configuration, naming the config file", () => {
    const dir = cleanProject();
    write(dir, { ".migration-lintrc.json": JSON.stringify({ rulez: {} }) });
    const run = cli(["--cwd", dir]);
    expect(run.status).toBe(2);
    expect(run.stdout).toBe("");
    expect(run.stderr).toContain(path.join(dir, ".migration-lintrc.json"));
    expect(run.stderr).toContain('"rulez"');
    expectNoStackTrace(run.stderr);
  });

  it("exits 2 on a --config file that does not exist", () => {
    const run = example("-c", "no-such-config.json");
    expect(run.status).toBe(2);
    expect(run.stderr).toContain("no-such-config.json");
  });

  it("exits 2 when there is no Prisma project", () => {
    const run = cli(["--cwd", tempDir()]);
    expect(run.status).toBe(2);
    expect(run.stdout).toBe("");
    expect(run.stderr).toMatch(/^migration-lint: .*schema/);
    expectNoStackTrace(run.stderr);
  });

  it("exits 2 on a path that does not exist", () => {
    const run = example("prisma/migrations/20991231000000_nope");
    expect(run.status).toBe(2);
    expect(run.stderr).toContain("20991231000000_nope");
  });

  it("exits 2 on an unknown format", () => {
    const run = example("-f", "no-such-format");
    expect(run.status).toBe(2);
    expect(run.stdout).toBe("");
    expect(run.stderr).toContain('"no-such-format"');
  });

  it("exits 2 on a --max-warnings that is not a number", () => {
    const run = example("--max-warnings", "many");
    expect(run.status).toBe(2);
    expect(run.stderr).toContain("--max-warnings");
  });
});

describe("warnings", () => {
  it("exits 0 when warnings are within --max-warnings", () => {
    const run = example("-c", warnConfig(), "--max-warnings", "5", "--no-color");
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/✖ 3 problems \(0 errors, 3 warnings\)/);
  });

  it("exits 1 when warnings exceed --max-warnings", () => {
    const run = example("-c", warnConfig(), "--max-warnings", "0");
    expect(run.status).toBe(1);
    expect(run.stderr).toContain("too many warnings (maximum: 0)");
  });

  it("exits 0 when warnings equal --max-warnings", () => {
    expect(example("-c", warnConfig(), "--max-warnings", "3").status).toBe(0);
  });

  it("exits 0 on warnings without --max-warnings", () => {
    expect(example("-c", warnConfig()).status).toBe(0);
  });

  it("--quiet hides warnings", () => {
    const run = example("-c", warnConfig(), "--quiet");
    expect(run.status).toBe(0);
    expect(run.stdout).toBe("");
  });

  it("--quiet drops warnings from the JSON results", () => {
    const results = parseJson(example("-c", warnConfig(), "--quiet", "-f", "json"));
    expect(results.flatMap((r) => r.messages)).toEqual([]);
    expect(results.every((r) => r.warningCount === 0)).toBe(true);
  });

  it("--quiet keeps errors", () => {
    const run = example("--quiet", "--no-color");
    expect(run.status).toBe(1);
    expect(run.stdout).toMatch(/\(\d+ errors, 0 warnings\)/);
    expect(run.stdout).not.toMatch(/^\s+\d+:\d+\s+warning/m);
  });
});

describe("--format json", () => {
  const RESULT_KEYS = [
    "errorCount",
    "filePath",
    "fatalErrorCount",
    "fixableErrorCount",
    "fixableWarningCount",
    "messages",
    "suppressedMessages",
    "usedDeprecatedRules",
    "warningCount",
  ].sort();

  it("prints ESLint-shaped results", () => {
    const run = example("-f", "json");
    expect(run.status).toBe(1);
    const results = parseJson(run);
    expect(Array.isArray(results)).toBe(true);
    expect(results.length).toBeGreaterThan(0);
    for (const result of results) {
      expect(Object.keys(result).sort()).toEqual(RESULT_KEYS);
      expect(path.isAbsolute(result.filePath)).toBe(true);
      expect(result.suppressedMessages).toEqual([]);
      expect(result.usedDeprecatedRules).toEqual([]);
      expect(result.fixableErrorCount).toBe(0);
      expect(result.fixableWarningCount).toBe(0);
      expect(result.errorCount).toBe(result.messages.filter((m) => m.severity === 2).length);
      expect(result.warningCount).toBe(result.messages.filter((m) => m.severity === 1).length);
      expect(result.fatalErrorCount).toBe(0);
      for (const m of result.messages) {
        expect(m).toMatchObject({
          ruleId: expect.any(String),
          message: expect.any(String),
          line: expect.any(Number),
          column: expect.any(Number),
          endLine: expect.any(Number),
          endColumn: expect.any(Number),
        });
        expect([1, 2]).toContain(m.severity);
        expect(m.line).toBeGreaterThanOrEqual(1);
        expect(m.column).toBeGreaterThanOrEqual(1);
      }
    }
  });

  it("reports each destructive migration with its position", () => {
    const results = parseJson(example("-f", "json"));
    const findings = results
      .map((r) => ({ file: path.relative(MIGRATIONS, r.filePath), at: r.messages.filter((m) => m.ruleId === "destructive-change").map((m) => [m.ruleId, m.severity, m.line, m.column]) }))
      .filter((r) => r.at.length);
    expect(findings).toEqual([
      { file: path.join("20240402101000_rename_name", "migration.sql"), at: [["destructive-change", 2, 8, 20]] },
      { file: path.join("20240515143000_remove_guest_role", "migration.sql"), at: [["destructive-change", 2, 14, 1]] },
      { file: path.join("20240601090000_drop_coupons", "migration.sql"), at: [["destructive-change", 2, 8, 1]] },
    ]);
  });

  it("has a result for every linted migration, even without findings", () => {
    const results = parseJson(example("-f", "json"));
    expect(results.map((r) => path.basename(path.dirname(r.filePath)))).toEqual(
      fs.readdirSync(MIGRATIONS).filter((name) => fs.statSync(path.join(MIGRATIONS, name)).isDirectory()).sort(),
    );
  });

  it("prints results without messages for a clean project", () => {
    const results = parseJson(cli(["--cwd", cleanProject(), "-f", "json"]));
    expect(results.flatMap((r) => r.messages)).toEqual([]);
  });
});

describe("--output-file", () => {
  it("writes the report to the file and prints nothing", () => {
    const out = path.join(tempDir(), "reports", "out.json");
    const run = example("-f", "json", "-o", out);
    expect(run.status).toBe(1);
    expect(run.stdout).toBe("");
    const written = fs.readFileSync(out, "utf8");
    // the same bytes as on stdout, which ends the report with a newline
    expect(`${written}\n`).toBe(example("-f", "json").stdout);
    expect((JSON.parse(written) as JsonResult[]).length).toBe(7);
  });

  it("writes stylish output without colours", () => {
    const out = path.join(tempDir(), "out.txt");
    example("--color", "-o", out);
    const text = fs.readFileSync(out, "utf8");
    expect(text).toContain("destructive-change");
    expect(text).not.toMatch(ANSI);
  });
});

describe("colour", () => {
  it("--no-color prints no ANSI escapes", () => {
    const run = example("--no-color");
    expect(run.stdout).toContain("destructive-change");
    expect(run.stdout).not.toMatch(ANSI);
  });

  it("--color prints ANSI escapes", () => {
    expect(example("--color").stdout).toMatch(ANSI);
  });

  it("prints no colours by default when stdout is not a terminal", () => {
    expect(example().stdout).not.toMatch(ANSI);
  });

  it("FORCE_COLOR turns colours on, --no-color wins over it", () => {
    expect(cli(["--cwd", EXAMPLE], { env: { FORCE_COLOR: "1" } }).stdout).toMatch(ANSI);
    expect(cli(["--cwd", EXAMPLE, "--no-color"], { env: { FORCE_COLOR: "1" } }).stdout).not.toMatch(ANSI);
  });
});

describe("informational commands", () => {
  it("--print-config prints the resolved configuration as JSON", () => {
    const run = example("--print-config");
    expect(run.status).toBe(0);
    const config = JSON.parse(run.stdout) as { configFile: unknown; extends: string[]; rules: Record<string, unknown>; postgresVersion: number };
    expect(config.configFile).toBeNull();
    expect(config.extends).toEqual(["recommended"]);
    expect(config.rules["destructive-change"]).toEqual(["error", { allowPreserved: false }]);
    expect(config.rules["provider-mismatch"]).toBe("error");
    expect(config.postgresVersion).toBe(14);
  });

  it("--print-config reflects --config", () => {
    const file = warnConfig();
    const config = JSON.parse(example("--print-config", "-c", file).stdout) as { configFile: string; rules: Record<string, unknown> };
    expect(config.configFile).toBe(file);
    expect(config.rules).toEqual({ "destructive-change": ["warn", { allowPreserved: false }] });
  });

  it("--list-rules lists destructive-change", () => {
    const run = cli(["--list-rules", "--no-color"]);
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/^destructive-change\s+error\s+recommended\s+\S/m);
  });

  it("--list-rules says which databases each rule runs on, from its meta.dialects and requires.capabilities", () => {
    const { stdout } = cli(["--list-rules", "--no-color"]);
    expect(stdout).toMatch(/^rule +sev\. +preset +databases +description$/m);
    expect(stdout).toMatch(/^destructive-change +error +recommended +all +Statements that destroy data/m);
    expect(stdout).toMatch(/^require-concurrently +warn +recommended +PostgreSQL +CREATE INDEX/m);
    expect(stdout).toMatch(/^sqlite-rebuild +warn +strict +SQLite +A SQLite table rebuild/m);
    expect(stdout).toMatch(/^mysql-table-copy +warn +recommended +MySQL +An ALTER TABLE/m);
  });
});

describe("positional paths", () => {
  const DROP_COUPONS = path.join(MIGRATIONS, "20240601090000_drop_coupons");
  const RENAME_NAME = path.join(MIGRATIONS, "20240402101000_rename_name");

  it("a migration.sql lints only that migration", () => {
    const run = example("-f", "json", path.relative(EXAMPLE, path.join(DROP_COUPONS, "migration.sql")));
    expect(run.status).toBe(1);
    const results = parseJson(run);
    expect(results.map((r) => r.filePath)).toEqual([path.join(DROP_COUPONS, "migration.sql")]);
    expect(results[0]!.messages.map((m) => m.ruleId)).toEqual(["destructive-change"]);
  });

  it("a migration folder lints only that migration, with the full history", () => {
    const run = example("-f", "json", path.relative(EXAMPLE, RENAME_NAME));
    expect(run.status).toBe(1);
    const results = parseJson(run);
    expect(results.map((r) => r.filePath)).toEqual([path.join(RENAME_NAME, "migration.sql")]);
    // the column was created by an earlier migration, which still built the history
    expect(results[0]!.messages[0]!.message).toContain("added in 20240105093000_init");
  });

  it("a migration without findings exits 0", () => {
    const run = example("-f", "json", "prisma/migrations/20240212120000_add_profile/migration.sql");
    expect(run.status).toBe(0);
    expect(parseJson(run).flatMap((r) => r.messages)).toEqual([]);
  });

  it("several paths lint the union of their migrations", () => {
    const results = parseJson(example("-f", "json", path.join(DROP_COUPONS, "migration.sql"), RENAME_NAME));
    expect(results.map((r) => r.filePath)).toEqual([path.join(RENAME_NAME, "migration.sql"), path.join(DROP_COUPONS, "migration.sql")]);
  });
});

describe("explain", () => {
  it("prints the rule's doc page", () => {
    const run = cli(["explain", "destructive-change"]);
    expect(run.status).toBe(0);
    // rendered for a terminal: no Markdown markup, no HTML comment (the page's history block)
    expect(run.stdout).toMatch(/^destructive-change\n==================\n/);
    expect(run.stdout).toContain("\nHow to fix\n----------\n");
    expect(run.stdout).toContain('\n    ALTER TABLE "User" RENAME COLUMN "name" TO "fullName";\n');
    expect(run.stdout).not.toMatch(/<!--|```|^#|\|---/m);
    // --color: headings in bold, code in colour
    expect(cli(["explain", "destructive-change", "--color"]).stdout).toMatch(/^\u001b\[1m\u001b\[4mdestructive-change/);
  });

  it("says which databases the rule runs on, and why not on the others", () => {
    expect(cli(["explain", "require-concurrently"]).stdout).toMatch(/\nDatabases\n-+\n\nRuns on PostgreSQL\. Not on SQLite: SQLite has no concurrent-index\. Not on MySQL: MySQL has no concurrent-index\.\n/);
    expect(cli(["explain", "sqlite-rebuild"]).stdout).toContain("Runs on SQLite. Not on PostgreSQL: the rule is about other databases' behaviour.");
    expect(cli(["explain", "destructive-change"]).stdout).toContain("Runs on PostgreSQL, SQLite, MySQL.\n");
  });

  it("exits 2 for an unknown rule, suggesting close ids", () => {
    const run = cli(["explain", "destructive"]);
    expect(run.status).toBe(2);
    expect(run.stderr).toContain('unknown rule "destructive". Did you mean "destructive-change"?');
  });
});

describe("did you mean", () => {
  it.each([
    ["a mistyped flag", ["--formt", "json"], 'Unknown option \'--formt\'. Did you mean "--format"?'],
    ["a mistyped --flag=value", ["--max-warning=3"], 'Did you mean "--max-warnings"?'],
    ["a mistyped format", ["-f", "jsno"], 'Unknown format "jsno": Did you mean "json"?'],
  ])("%s: exit 2 with the closest name", (_what, args, expected) => {
    const run = example(...args);
    expect(run.status).toBe(2);
    expect(run.stderr).toContain(expected);
  });

  it.each([
    ["a rule id", { extends: ["recommended"], rules: { "destructive-chang": "off" } }, 'Unknown rule "destructive-chang" in rules. Did you mean "destructive-change"?'],
    ["an engine id", { extends: ["recommended"], rules: { "parse-eror": "warn" } }, 'Did you mean "parse-error"?'],
    ["a config key", { extend: ["recommended"] }, 'Unknown configuration key "extend". Did you mean "extends"?'],
  ])("%s in the config: exit 2 with the closest name", (_what, config, expected) => {
    const dir = tempDir();
    const file = path.join(dir, "config.json");
    fs.writeFileSync(file, JSON.stringify(config));
    const run = example("-c", file);
    expect(run.status).toBe(2);
    expect(run.stderr).toContain(expected);
  });

  it("suggests nothing when no name is close", () => {
    const run = example("--zzz");
    expect(run.status).toBe(2);
    expect(run.stderr).not.toContain("Did you mean");
  });
});

describe("engine findings in `rules`", () => {
  /** A project whose second migration has a statement that does not parse, beside one that does. */
  function projectWithTypo(extra: Record<string, string> = {}): string {
    const dir = cleanProject();
    write(dir, {
      "prisma/migrations/20240201000000_add_name/migration.sql": 'ALTER TABLE "User" ADD COLUMN "name" TEXT;\nALTER TABLE "User" ADD COLUM "nickname" TEXT;\n',
      ...extra,
    });
    return dir;
  }

  it("reports a parse-error as an error by default (exit 1)", () => {
    const run = cli(["--cwd", projectWithTypo(), "-f", "json"]);
    expect(run.status).toBe(1);
    expect(parseJson(run).flatMap((r) => r.messages).map((m) => [m.ruleId, m.severity])).toEqual([["parse-error", 2]]);
  });

  it("parse-error set to warn is reported as a warning and the run exits 0", () => {
    const dir = projectWithTypo({ ".migration-lintrc.json": JSON.stringify({ extends: "recommended", rules: { "parse-error": "warn" } }) });
    const run = cli(["--cwd", dir, "-f", "json"]);
    expect(run.stderr).toBe("");
    expect(run.status).toBe(0);
    const messages = parseJson(run).flatMap((r) => r.messages);
    expect(messages.map((m) => [m.ruleId, m.severity, m.line])).toEqual([["parse-error", 1, 2]]);
    expect(cli(["--cwd", dir, "--print-config"]).stdout).toContain('"parse-error": "warn"');
  });

  it("a run that could check nothing exits 2 however parse-error is configured", () => {
    const dir = tempDir();
    write(dir, {
      "prisma/schema.prisma": 'datasource db {\n  provider = "postgresql"\n  url      = env("DATABASE_URL")\n}\n',
      "prisma/migrations/migration_lock.toml": 'provider = "postgresql"\n',
      "prisma/migrations/20240101000000_init/migration.sql": 'CREAT TABLE "User" ("id" INTEGER);\n',
      ".migration-lintrc.json": JSON.stringify({ extends: "recommended", rules: { "parse-error": "warn" } }),
    });
    const run = cli(["--cwd", dir]);
    expect(run.status).toBe(2);
    expect(run.stdout).toContain("parse-error");
    expect(run.stderr).toContain("migration-lint: nothing was checked: not one statement of the 1 migration in scope could be read or parsed");
  });

  it("parse-error cannot be switched off: exit 2 with a message that says why", () => {
    const dir = projectWithTypo({ ".migration-lintrc.json": JSON.stringify({ rules: { "parse-error": "off" } }) });
    const run = cli(["--cwd", dir]);
    expect(run.status).toBe(2);
    expect(run.stderr).toContain('"parse-error" in rules cannot be switched off: it is how migration-lint says that something was not checked');
    expectNoStackTrace(run.stderr);
  });

  it("an engine finding that may be switched off is dropped, and one that takes no options says so", () => {
    const dir = projectWithTypo({
      "prisma/migrations/20240201000000_add_name/migration.sql": '-- migration-lint-disable-next-line no-such-rule -- typo in the rule id\nALTER TABLE "User" ADD COLUMN "name" TEXT;\n',
    });
    expect(parseJson(cli(["--cwd", dir, "-f", "json"])).flatMap((r) => r.messages).map((m) => m.ruleId)).toEqual(["invalid-directive"]);
    fs.writeFileSync(path.join(dir, ".migration-lintrc.json"), JSON.stringify({ extends: "recommended", rules: { "invalid-directive": "off" } }));
    const off = cli(["--cwd", dir, "-f", "json"]);
    expect(off.status).toBe(0);
    expect(parseJson(off).flatMap((r) => r.messages)).toEqual([]);
    fs.writeFileSync(path.join(dir, ".migration-lintrc.json"), JSON.stringify({ rules: { "invalid-directive": ["warn", { x: 1 }] } }));
    expect(cli(["--cwd", dir]).stderr).toContain('"invalid-directive" in rules is a finding of the engine and takes no options');
  });

  it("explain prints an engine finding's page, and --list-rules lists it", () => {
    const run = cli(["explain", "parse-error"]);
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/^parse-error\n===========\n/);
    expect(run.stdout).toContain("\nHow to configure it\n---");
    expect(cli(["--list-rules", "--no-color"]).stdout).toMatch(/^file-error +error +no +A migration folder without a readable migration\.sql\./m);
  });
});

describe("adoption hint", () => {
  /** A project whose oldest migrations drop tables (findings) and whose newest five are clean. */
  function oldFindingsProject(): string {
    const dir = cleanProject();
    const files: Record<string, string> = {
      "prisma/migrations/20240102000000_legacy/migration.sql": 'CREATE TABLE "Legacy" ("id" INTEGER NOT NULL);\nCREATE TABLE "Old" ("id" INTEGER NOT NULL);\n',
      "prisma/migrations/20240103000000_drop_legacy/migration.sql": 'DROP TABLE "Legacy";\nDROP TABLE "Old";\n',
    };
    for (let i = 4; i <= 8; i++) files[`prisma/migrations/2024010${i}000000_add_t${i}/migration.sql`] = `CREATE TABLE "T${i}" ("id" INTEGER NOT NULL, CONSTRAINT "T${i}_pkey" PRIMARY KEY ("id"));\n`;
    write(dir, files);
    return dir;
  }

  it("ends the stylish report with one line on how to adopt when most findings are in old migrations", () => {
    const dir = oldFindingsProject();
    const run = cli(["--cwd", dir, "--no-color"]);
    expect(run.status).toBe(1);
    const lines = run.stdout.trimEnd().split("\n");
    expect(lines.at(-1)).toBe(
      'migration-lint: 2 of 2 findings are in migrations older than the newest 5, most likely applied long ago. To adopt without them: record them with `migration-lint --write-baseline` (later runs report only new findings), or set startAfter: "20240108000000_add_t8" in the config, and in CI lint only what a pull request adds with `migration-lint --base origin/main`.',
    );
    expect(lines.slice(-4, -1).join("\n")).toMatch(/^✖ 2 problems/m);
    expect(cli(["--cwd", dir, "-f", "compact"]).stdout.trimEnd().split("\n").at(-1)).toMatch(/^migration-lint: 2 of 2 findings are in migrations older/);
  });

  it("is never part of JSON or SARIF, nor printed once adopted (baseline, startAfter, --base) or for recent findings", () => {
    const dir = oldFindingsProject();
    expect(parseJson(cli(["--cwd", dir, "-f", "json"])).flatMap((r) => r.messages)).toHaveLength(2);
    expect(cli(["--cwd", dir, "-f", "sarif"]).stdout).not.toContain("To adopt");
    expect(cli(["--cwd", dir, "--base", "HEAD"]).stdout).not.toContain("To adopt");
    fs.writeFileSync(path.join(dir, ".migration-lintrc.json"), JSON.stringify({ extends: "recommended", startAfter: "20240101000000_init" }));
    expect(cli(["--cwd", dir]).stdout).not.toContain("To adopt");
    fs.rmSync(path.join(dir, ".migration-lintrc.json"));
    // the same startAfter in a JavaScript config, which the supervised worker reads
    fs.writeFileSync(path.join(dir, "migration-lint.config.mjs"), 'export default { extends: "recommended", startAfter: "20240101000000_init" };\n');
    expect(cli(["--cwd", dir]).stdout).not.toContain("To adopt");
    fs.rmSync(path.join(dir, "migration-lint.config.mjs"));
    expect(cli(["--cwd", dir, "--write-baseline"]).status).toBe(0);
    expect(cli(["--cwd", dir]).stdout).not.toContain("To adopt");
    expect(example("--no-color").stdout).not.toContain("To adopt");
  });
});
