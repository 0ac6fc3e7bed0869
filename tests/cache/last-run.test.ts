/**
 * The last run kept at the end of the cache file (src/cache/last-run.ts, src/cli/record-run.ts), through the built
 * command line as a user runs it. A run is replayed only while every input is as it was: each change a report can
 * depend on makes the next run lint again and print what a run without the cache prints.
 *
 * Whether a run was replayed: with MIGRATION_LINT_DEBUG set, a replay says so on stderr, after the report.
 */
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { keyEnvironment, readLastRun } from "../../src/cache/last-run.js";
import { RACY_MS } from "../../src/model/load.js";
import { asFolderSchema } from "./folder-schema.js";

const ROOT = path.resolve(__dirname, "../..");
const BIN = path.join(ROOT, "bin", "migration-lint.js");
const EXAMPLE = path.join(ROOT, "fixtures", "example");
const made: string[] = [];
afterAll(() => {
  for (const dir of made) fs.rmSync(dir, { recursive: true, force: true });
});

interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
}

function env(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, MIGRATION_LINT_NO_DAEMON: "1", ...extra };
  for (const name of ["FORCE_COLOR", "NO_COLOR", "MIGRATION_LINT_DEBUG"]) if (!(name in extra)) delete env[name];
  return env;
}

function cli(dir: string, args: string[] = [], extra: Record<string, string> = {}): Run {
  const result = spawnSync(process.execPath, [BIN, ...args], { cwd: dir, encoding: "utf8", env: env(extra) });
  if (result.error) throw result.error;
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** A copy of the example project, in a folder of its own (its cache: `.migration-lint-cache` in it). */
function copy(): string {
  const parent = fs.mkdtempSync(path.join(os.tmpdir(), "ml-last-run-"));
  made.push(parent);
  const dir = path.join(parent, "project");
  fs.cpSync(EXAMPLE, dir, { recursive: true });
  return dir;
}

const cacheOf = (dir: string) => path.join(dir, ".migration-lint-cache");
const REPLAYED = "migration-lint: debug: replayed the last run of this command (nothing it read has changed; --no-cache lints)\n";

/** Runs the command; says whether it was replayed, and checks its output against a run without the cache. */
function runChecked(dir: string, args: string[] = [], extra: Record<string, string> = {}): Run & { replayed: boolean } {
  const run = cli(dir, args, { MIGRATION_LINT_DEBUG: "1", ...extra });
  const replayed = run.stderr.endsWith(REPLAYED);
  if (replayed) run.stderr = run.stderr.slice(0, -REPLAYED.length);
  const fresh = cli(dir, [...args, "--no-cache"], { MIGRATION_LINT_DEBUG: "1", ...extra });
  expect({ status: run.status, stdout: run.stdout, stderr: run.stderr }).toEqual(fresh);
  return { ...run, replayed };
}

/** The command run twice on a project as it was: the first lints (exit 1) and is kept with `kept` among its paths, the second is replayed. */
function replaysUnchanged(dir: string, kept: string[]): void {
  const first = runChecked(dir);
  expect(first).toMatchObject({ status: 1, replayed: false });
  const run = readLastRun(cacheOf(dir));
  expect(run?.run.code).toBe(1);
  expect(run?.files()).toEqual(expect.arrayContaining(kept));
  expect(runChecked(dir)).toMatchObject({ replayed: true, status: first.status, stdout: first.stdout, stderr: first.stderr });
}

/** The migration 20240701000000_drop_bio, added to `migrations`. */
function addMigration(migrations: string): void {
  fs.mkdirSync(path.join(migrations, "20240701000000_drop_bio"));
  fs.writeFileSync(path.join(migrations, "20240701000000_drop_bio", "migration.sql"), 'ALTER TABLE "Profile" DROP COLUMN "bio";\n');
}

/** For each change, a test: a project of `projects` is replayed, then changed, and the same command lints again. */
function lintsAgainAfter(changes: Array<[string, (dir: string) => void]>, projects: string[]): void {
  for (const [what, change] of changes) {
    it(`lints again after ${what}, and reports what a run without the cache reports`, () => {
      const dir = projects.pop()!;
      runChecked(dir, ["-f", "json"]);
      expect(runChecked(dir, ["-f", "json"]).replayed).toBe(true);
      change(dir);
      expect(runChecked(dir, ["-f", "json"]).replayed).toBe(false);
    });
  }
}

/** Projects whose files were copied long enough ago to be kept (RACY_MS): made before the tests, with one wait. */
const settled: string[] = [];
const settledFolderSchemas: string[] = [];
beforeAll(async () => {
  for (let i = 0; i < 20; i++) settled.push(copy());
  for (let i = 0; i < 5; i++) settledFolderSchemas.push(asFolderSchema(copy()));
  await new Promise((resolve) => setTimeout(resolve, RACY_MS + 200));
}, RACY_MS + 10_000);

describe("the last run, replayed", () => {
  it("the same command with nothing changed prints the same report and exits with the same code, without linting", () => {
    const dir = settled.pop()!;
    replaysUnchanged(dir, [path.join(dir, "prisma", "schema.prisma"), path.join(dir, "prisma", "migrations", "20240105093000_init", "migration.sql")]);
    // JSON to a pipe too, and a second format's run is its own (the file keeps the last command's run)
    expect(runChecked(dir, ["-f", "json"]).replayed).toBe(false);
    expect(runChecked(dir, ["-f", "json"]).replayed).toBe(true);
    expect(runChecked(dir).replayed).toBe(false);
  });

  const changes: Array<[string, (dir: string) => void]> = [
    ["a migration edited to the same size", (dir) => {
      const file = path.join(dir, "prisma/migrations/20240601090000_drop_coupons/migration.sql");
      fs.writeFileSync(file, fs.readFileSync(file, "utf8").replace("Coupon", "Cuopon"));
    }],
    ["a migration added", (dir) => addMigration(path.join(dir, "prisma/migrations"))],
    ["a file added beside a migration", (dir) => fs.writeFileSync(path.join(dir, "prisma/migrations/20240601090000_drop_coupons/README.md"), "Coupons are gone.\n")],
    ["a migration folder removed", (dir) => fs.rmSync(path.join(dir, "prisma/migrations/20240620100000_index_orders_created"), { recursive: true })],
    ["schema.prisma edited", (dir) => fs.appendFileSync(path.join(dir, "prisma/schema.prisma"), "\n// a comment\n")],
    ["a config file added to the project", (dir) => fs.writeFileSync(path.join(dir, ".migration-lintrc.json"), JSON.stringify({ extends: "recommended", rules: { "destructive-change": "warn" } }))],
    ["a config file added in the folder above", (dir) => fs.writeFileSync(path.join(dir, "..", ".migration-lintrc.json"), JSON.stringify({ extends: "recommended", rules: { "destructive-change": "off" } }))],
    ["a baseline written", (dir) => expect(cli(dir, ["--write-baseline", "--no-cache"]).status).toBe(0)],
    ["the project made a git repository", (dir) => fs.mkdirSync(path.join(dir, ".git"))],
    ["the Prisma version installed", (dir) => {
      fs.mkdirSync(path.join(dir, "node_modules/prisma"), { recursive: true });
      fs.writeFileSync(path.join(dir, "node_modules/prisma/package.json"), JSON.stringify({ name: "prisma", version: "4.16.0" }));
    }],
    ["a file touched, its content the same", (dir) => {
      const file = path.join(dir, "prisma/migrations/20240105093000_init/migration.sql");
      fs.utimesSync(file, new Date(), new Date());
    }],
  ];
  lintsAgainAfter(changes, settled);

  it("lints again in another environment, with other arguments, or from another directory", () => {
    const dir = settled.pop()!;
    runChecked(dir);
    expect(runChecked(dir, [], { NO_COLOR: "1" }).replayed).toBe(false);
    expect(runChecked(dir, [], { NO_COLOR: "1" }).replayed).toBe(true);
    expect(runChecked(dir, [], { TZ: "Pacific/Chatham" }).replayed).toBe(false);
    expect(runChecked(dir, [], { TZ: "Pacific/Chatham", SOME_TOKEN: "not read by any run" }).replayed).toBe(true);
    // a password in MIGRATION_LINT_DATABASE_URL is redacted from reports: no run is kept or replayed while it is set
    expect(runChecked(dir, [], { MIGRATION_LINT_DATABASE_URL: "postgres://u:secret@localhost/db" }).replayed).toBe(false);
    expect(runChecked(dir, [], { MIGRATION_LINT_DATABASE_URL: "postgres://u:secret@localhost/db" }).replayed).toBe(false);
    expect(runChecked(dir, ["--quiet"]).replayed).toBe(false);
    expect(runChecked(path.dirname(dir), ["--cwd", "project"]).replayed).toBe(false);
    expect(runChecked(path.dirname(dir), ["--cwd", "project"]).replayed).toBe(true);
    expect(runChecked(dir).replayed).toBe(false); // the file holds the last command's run only
  });

  it("a torn block is a miss, and the cache still works", () => {
    const dir = settled.pop()!;
    runChecked(dir);
    const size = fs.statSync(cacheOf(dir)).size;
    fs.truncateSync(cacheOf(dir), size - 3);
    const torn = runChecked(dir);
    expect(torn.replayed).toBe(false);
    expect(runChecked(dir).replayed).toBe(true);
  });

  it("keeps the cache's journal working: a new migration appends in place of the block, then the block comes back", async () => {
    const dir = settled.pop()!;
    runChecked(dir, ["-f", "json"]);
    addMigration(path.join(dir, "prisma/migrations"));
    expect(runChecked(dir, ["-f", "json"]).replayed).toBe(false);
    expect(readLastRun(cacheOf(dir))).toBeNull(); // the journal line took the block's place; the new folder is too recent to keep
    expect(cli(dir, ["-f", "json", "--debug"]).stderr).toMatch(/read 1, parsed 0 of 8 migrations/); // the journal read back
    await new Promise((resolve) => setTimeout(resolve, RACY_MS + 200));
    expect(runChecked(dir, ["-f", "json"]).replayed).toBe(false);
    expect(runChecked(dir, ["-f", "json"]).replayed).toBe(true);
    expect(cli(dir, ["-f", "json", "--debug"]).stderr).toMatch(/read 0, parsed 0 of 8 migrations/);
  }, RACY_MS + 30_000);
});

describe("the last run of a folder schema, replayed", () => {
  it("the same command with nothing changed is replayed: the folders of the schema are recorded as listed", () => {
    const dir = settledFolderSchemas.pop()!;
    const schema = path.join(dir, "prisma", "schema");
    replaysUnchanged(dir, [schema, path.join(schema, "models"), path.join(schema, "schema.prisma"), path.join(schema, "models", "shop.prisma"), path.join(schema, "migrations", "20240105093000_init", "migration.sql")]);
  });

  const changes: Array<[string, (dir: string) => void]> = [
    ["a .prisma file added in a subfolder", (dir) => fs.writeFileSync(path.join(dir, "prisma/schema/models/audit.prisma"), "model Audit {\n  id Int @id\n}\n")],
    ["a subfolder with a .prisma file added", (dir) => {
      fs.mkdirSync(path.join(dir, "prisma/schema/billing"));
      fs.writeFileSync(path.join(dir, "prisma/schema/billing/invoice.prisma"), "model Invoice {\n  id Int @id\n}\n");
    }],
    ["a .prisma file edited to the same size", (dir) => {
      const file = path.join(dir, "prisma/schema/models/shop.prisma");
      fs.writeFileSync(file, fs.readFileSync(file, "utf8").replace("model User {", "model Uesr {"));
    }],
    ["a migration added in the schema folder", (dir) => addMigration(path.join(dir, "prisma/schema/migrations"))],
  ];
  lintsAgainAfter(changes, settledFolderSchemas);
});

describe("runs that are not kept", () => {
  it("a JavaScript config (code can read anything)", () => {
    const dir = settled.pop()!;
    fs.writeFileSync(path.join(dir, "migration-lint.config.mjs"), 'export default { extends: "recommended" };\n');
    runChecked(dir);
    runChecked(dir);
    expect(readLastRun(cacheOf(dir))).toBeNull();
  });

  it("options that write files, ask git or time the run", () => {
    const dir = settled.pop()!;
    for (const args of [["-o", "report.txt"], ["-f", "json:report.json"], ["--staged"], ["--max-warnings", "0", "--rulesdir", "rules"]]) {
      runChecked(dir, args);
      expect(runChecked(dir, args).replayed, args.join(" ")).toBe(false);
    }
    for (let i = 0; i < 2; i++) expect(cli(dir, ["--debug"]).stderr).toMatch(/read 0, parsed 0 of 7 migrations/);
    expect(readLastRun(cacheOf(dir))).toBeNull();
  });

  it("files changed less than RACY_MS before the run", () => {
    const dir = copy();
    runChecked(dir);
    expect(readLastRun(cacheOf(dir))).toBeNull();
  });

  it("--no-cache writes no file and replays nothing", () => {
    const dir = settled.pop()!;
    cli(dir, ["--no-cache"]);
    expect(fs.existsSync(cacheOf(dir))).toBe(false);
  });
});

describe("the key's environment", () => {
  it("has every variable the code reads (a new process.env read must be keyed, or be one only unkept runs use)", () => {
    const read = new Set<string>();
    const walk = (dir: string) => {
      for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
        const file = path.join(dir, entry.name);
        if (entry.isDirectory()) walk(file);
        else if (file.endsWith(".ts")) for (const [, name] of fs.readFileSync(file, "utf8").matchAll(/process\.env\.([A-Z_][A-Z0-9_]*)/g)) read.add(name!);
      }
    };
    walk(path.join(ROOT, "src"));
    // PATH: where replay finds mysqld and git is found; git and replay runs are never kept
    const unkept = new Set(["PATH", "MIGRATION_LINT_DATABASE_URL", "MIGRATION_LINT_ADMIN_URL"]);
    const keyed = new Set(keyEnvironment(Object.fromEntries([...read].filter((name) => !unkept.has(name)).map((name) => [name, "x"])))!.map(([name]) => name));
    expect([...read].filter((name) => !unkept.has(name) && !keyed.has(name))).toEqual([]);
    expect(read.has("XDG_CONFIG_HOME") && keyed.has("XDG_CONFIG_HOME")).toBe(true);
  });

  it("leaves out git's variables, PATH and everything else, and is none while a database URL is set", () => {
    expect(keyEnvironment({ GIT_INDEX_FILE: "x", PATH: "/bin", GITHUB_TOKEN: "t", NO_COLOR: "1", NODE_OPTIONS: "--no-warnings", MIGRATION_LINT_SUPERVISE: "1" })).toEqual([
      ["MIGRATION_LINT_SUPERVISE", "1"],
      ["NODE_OPTIONS", "--no-warnings"],
      ["NO_COLOR", "1"],
    ]);
    expect(keyEnvironment({ MIGRATION_LINT_DATABASE_URL: "postgres://u:p@h/db" })).toBeNull();
  });
});
