/**
 * Command-line options as a user runs them: the built bin as a subprocess, on temporary Prisma projects.
 */
import fs from "node:fs";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { DROP_SQL, ROOT, cleanupTemp, cli, json, project, tempDir, write } from "../hostile/helpers.js";

afterAll(cleanupTemp);

const DROP = "20240301000000_drop_email";

describe("paths: what the run writes is relative to the shell's directory, what it reads to --cwd", () => {
  it("-o, -f <name>:<file> and --cache-location go where the shell is, not into the --cwd project", () => {
    const dir = project({ [DROP]: DROP_SQL });
    const shell = tempDir("shell");
    const run = cli(["--cwd", dir, "-f", "json", "-o", "out/report.json", "-f", "sarif:r.sarif", "--cache", "--cache-location", "cache/"], { cwd: shell });
    expect(run.status, run.stderr).toBe(1);
    expect(run.stdout).toBe("");
    expect(JSON.parse(fs.readFileSync(path.join(shell, "out/report.json"), "utf8"))).toHaveLength(2);
    expect(JSON.parse(fs.readFileSync(path.join(shell, "r.sarif"), "utf8")).version).toBe("2.1.0");
    expect(fs.existsSync(path.join(shell, "cache", ".migration-lint-cache"))).toBe(true);
    for (const written of ["out", "r.sarif", "cache", ".migration-lint-cache"]) expect(fs.existsSync(path.join(dir, written)), written).toBe(false);
  });

  it("--config, --baseline, --rulesdir and --schema stay relative to --cwd: they describe the project", () => {
    const dir = project({ [DROP]: DROP_SQL });
    write(dir, {
      "lint/ml.json": JSON.stringify({ extends: "recommended", rules: { "destructive-change": "warn", "local/none": "warn" } }),
      "lint/rules/none.mjs": 'export default { meta: { id: "local/none", type: "suggestion", docs: { description: "Nothing." }, defaultSeverity: "warn", messages: {} }, create() { return {}; } };\n',
    });
    const shell = tempDir("shell");
    const run = cli(["--cwd", dir, "-c", "lint/ml.json", "--rulesdir", "lint/rules", "--schema", "prisma/schema.prisma", "--baseline", "none.json", "-f", "json"], { cwd: shell });
    expect(run.status, run.stderr).toBe(0);
    expect(json(run).flatMap((r) => r.messages.map((m) => `${m.ruleId}:${m.severity}`))).toEqual(["destructive-change:1"]);
  });
});

describe("--print-config shows what discovery found", () => {
  it("schema files, migrations folder, provider, Prisma version and its source, runner model, postgresVersion", () => {
    const dir = project({ [DROP]: DROP_SQL });
    write(dir, { "package.json": JSON.stringify({ devDependencies: { prisma: "^7.4.1" } }), ".migration-lintrc.json": JSON.stringify({ extends: "recommended", postgresVersion: 16 }) });
    const run = cli(["--cwd", dir, "--print-config"]);
    expect(run.status, run.stderr).toBe(0);
    expect(run.stderr).toBe("");
    const printed = JSON.parse(run.stdout) as { configFile: string; postgresVersion: number; projects: unknown[] };
    expect(printed.configFile).toBe(path.join(dir, ".migration-lintrc.json"));
    expect(printed.projects).toEqual([
      {
        root: dir,
        schemaFiles: [path.join(dir, "prisma/schema.prisma")],
        schemaSource: "default",
        prismaConfigFile: null,
        migrationsDir: path.join(dir, "prisma/migrations"),
        migrationsDirExists: true,
        provider: "postgresql",
        providerSource: "migration_lock.toml",
        prismaVersion: "7.4.1",
        prismaVersionSource: "package.json",
        runnerModel: "per-statement",
        postgresVersion: 16,
        notes: [],
      },
    ]);
  });

  it("without migration_lock.toml the provider comes from the datasource; --schema and prismaVersion in the config are followed", () => {
    const dir = project({}, { lock: null });
    write(dir, { "db/main.prisma": 'datasource db {\n  provider = "postgresql"\n  url = env("DATABASE_URL")\n}\n', "ml.json": JSON.stringify({ extends: "recommended", prismaVersion: "6.19.0" }) });
    const run = cli(["--cwd", dir, "--print-config", "--schema", "db/main.prisma", "-c", "ml.json"]);
    expect(run.status, run.stderr).toBe(0);
    const [found] = (JSON.parse(run.stdout) as { projects: Array<Record<string, unknown>> }).projects;
    expect(found).toMatchObject({ schemaFiles: [path.join(dir, "db/main.prisma")], schemaSource: "flag", migrationsDir: path.join(dir, "db/migrations"), migrationsDirExists: false, provider: "postgresql", providerSource: "datasource", prismaVersion: "6.19.0", prismaVersionSource: "config", runnerModel: "script-transaction" });
  });

  it("at a monorepo's root, lists every project below it, as a lint run from there finds them", () => {
    const root = tempDir();
    for (const name of ["api", "billing"]) fs.cpSync(project({ [DROP]: DROP_SQL }), path.join(root, "packages", name), { recursive: true });
    const run = cli(["--cwd", root, "--print-config"]);
    expect(run.status, run.stderr).toBe(0);
    expect((JSON.parse(run.stdout) as { projects: Array<{ root: string }> }).projects.map((p) => p.root)).toEqual([path.join(root, "packages/api"), path.join(root, "packages/billing")]);
  });

  it("a SQLite project: its dialect's runner model, and the runner config key (D1 applies each file in one transaction)", () => {
    const dir = tempDir();
    write(dir, {
      "prisma/schema.prisma": 'datasource db {\n  provider = "sqlite"\n  url = "file:dev.db"\n}\n',
      "prisma/migrations/migration_lock.toml": 'provider = "sqlite"\n',
      ".migration-lintrc.json": JSON.stringify({ extends: "recommended", runner: "d1" }),
    });
    const run = cli(["--cwd", dir, "--print-config"]);
    expect(run.status, run.stderr).toBe(0);
    const printed = JSON.parse(run.stdout) as { runner: string; projects: Array<Record<string, unknown>> };
    expect(printed.runner).toBe("d1");
    expect(printed.projects[0]).toMatchObject({ provider: "sqlite", runnerModel: "script-transaction", prismaVersionSource: "runner: d1" });
  });

  it("where no project is found, the configuration still prints, with a note on stderr (exit 0)", () => {
    const dir = tempDir();
    const run = cli(["--cwd", dir, "--print-config"]);
    expect(run.status).toBe(0);
    expect((JSON.parse(run.stdout) as { projects: unknown[] }).projects).toEqual([]);
    expect(run.stderr).toMatch(/^migration-lint: note: no project discovered: Could not find a Prisma schema in .*\n$/);
  });

  it("is redacted like every output: the --database-url password never shows, even inside a discovered path", () => {
    const secret = "hunter2secret";
    const parent = tempDir();
    const dir = path.join(parent, `db-${secret}`);
    fs.cpSync(project({ [DROP]: DROP_SQL }), dir, { recursive: true });
    const run = cli(["--cwd", dir, "--print-config", "--database-url", `postgres://me:${secret}@localhost/db`]);
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout).toContain("db-");
    expect(run.stdout).not.toContain(secret);
  });
});

describe("--debug", () => {
  const timings = (stderr: string) => {
    const rows = Object.fromEntries([...stderr.matchAll(/^ {2}(\w+) +(\d+\.\d)$/gm)].map((m) => [m[1]!, Number(m[2])]));
    expect(Object.keys(rows)).toEqual(["discovery", "parse", "history", "rules", "replay", "report", "total"]);
    return rows;
  };

  it("prints the time of each phase on stderr; stdout carries the same report as without it", () => {
    const dir = project({ [DROP]: DROP_SQL });
    // without the cache: the second run would be answered by the first's, and parse nothing
    const plain = cli(["--cwd", dir, "-f", "json", "--no-cache"]);
    const run = cli(["--cwd", dir, "-f", "json", "--debug", "--no-cache"]);
    expect(run.status).toBe(1);
    expect(run.stdout).toBe(plain.stdout);
    expect(run.stderr).toMatch(/^migration-lint: debug: \.: read 2, parsed 2 of 2 migrations; cache off\nmigration-lint: debug: timings in ms/);
    const rows = timings(run.stderr);
    for (const phase of ["discovery", "parse", "rules", "report"]) expect(rows[phase], phase).toBeGreaterThan(0);
    expect(rows.replay).toBe(0);
    expect(rows.total!).toBeGreaterThanOrEqual(rows.discovery! + rows.parse! + rows.rules! + rows.report!);
  });

  it("has the phases of a supervised run too (rules from --rulesdir lint in a worker)", () => {
    const dir = project({ [DROP]: DROP_SQL });
    write(dir, { "rules/.keep": "" });
    const rows = timings(cli(["--cwd", dir, "--rulesdir", "rules", "--debug"]).stderr);
    expect(rows.parse).toBeGreaterThan(0);
    expect(rows.rules).toBeGreaterThan(0);
  });
});

describe("--debug with --replay", () => {
  it("counts the replay's time", () => {
    const dir = project({ [DROP]: DROP_SQL });
    const run = cli(["--cwd", dir, "--replay", "--debug"], { timeout: 120_000 });
    expect(Number(/^ {2}replay +(\d+\.\d)$/m.exec(run.stderr)?.[1])).toBeGreaterThan(0);
  });
});

describe("--rule 'id: severity' overrides the config, as ESLint's", () => {
  const ruleIds = (run: ReturnType<typeof cli>) => json(run).flatMap((r) => r.messages.map((m) => `${m.ruleId}:${m.severity}`));

  it("switches a rule off, or changes its severity, over the config file; repeatable, the last setting wins", () => {
    const dir = project({ [DROP]: DROP_SQL });
    write(dir, { ".migration-lintrc.json": JSON.stringify({ extends: "recommended", rules: { "destructive-change": "warn" } }) });
    expect(ruleIds(cli(["--cwd", dir, "-f", "json"]))).toEqual(["destructive-change:1"]);
    const off = cli(["--cwd", dir, "-f", "json", "--rule", "destructive-change: off"]);
    expect(off.status, off.stderr).toBe(0);
    expect(ruleIds(off)).toEqual([]);
    const error = cli(["--cwd", dir, "-f", "json", "--rule", "destructive-change: off", "--rule", '{"destructive-change": "error"}']);
    expect(error.status).toBe(1);
    expect(ruleIds(error)).toEqual(["destructive-change:2"]);
  });

  it("takes options as ESLint does (id: [severity, {option: value}]), checked against the rule's schema", () => {
    const dir = project({ [DROP]: DROP_SQL });
    const printed = JSON.parse(cli(["--cwd", dir, "--print-config", "--rule", "destructive-change: [warn, {allowPreserved: true}]"]).stdout) as { rules: Record<string, unknown> };
    expect(printed.rules["destructive-change"]).toEqual(["warn", { allowPreserved: true }]);
    const bad = cli(["--cwd", dir, "--rule", "destructive-change: [warn, {allowPreserve: true}]"]);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toBe('migration-lint: Rule "destructive-change": options has unknown property "allowPreserve".\n');
  });

  it("enables a --rulesdir rule in the supervised worker", () => {
    const dir = project({ [DROP]: DROP_SQL });
    write(dir, {
      "rules/every-migration.mjs": 'export default { meta: { id: "every-migration", type: "suggestion", docs: { description: "Reports every migration." }, defaultSeverity: "warn", messages: { seen: "Seen." } }, create(context) { return { Migration() { context.report({ messageId: "seen" }); } }; } };\n',
    });
    const run = cli(["--cwd", dir, "-f", "json", "--rulesdir", "rules", "--rule", "every-migration: warn", "--rule", "destructive-change: off"]);
    expect(run.status, run.stderr).toBe(0);
    expect(ruleIds(run)).toEqual(["every-migration:1", "every-migration:1"]);
  });

  it("an unknown id gets the closest known one, a malformed value says how to write it (exit 2, one line)", () => {
    const dir = project({ [DROP]: DROP_SQL });
    const unknown = cli(["--cwd", dir, "--rule", "destructive-chang: off"]);
    expect(unknown.status).toBe(2);
    expect(unknown.stderr).toBe('migration-lint: Unknown rule "destructive-chang" in --rule. Did you mean "destructive-change"? Run `migration-lint --list-rules` to see the rules.\n');
    const malformed = cli(["--cwd", dir, "--rule", "destructive-change"]);
    expect(malformed.status).toBe(2);
    expect(malformed.stderr).toBe(`migration-lint: --rule 'destructive-change': expected ":" after "destructive-change". Write --rule 'rule-id: severity' or --rule 'rule-id: [severity, {option: value}]'.\n`);
  });
});

describe("--stdin / --stdin-filename: a migration from an editor buffer, with the project's history", () => {
  const ADD_REQUIRED = 'ALTER TABLE "User" ADD COLUMN "name" TEXT NOT NULL;\n';
  const ADD_OPTIONAL = 'ALTER TABLE "User" ADD COLUMN "nickname" TEXT;\n';

  it("a buffer for a new folder is linted after the history on disk, and only it is reported", () => {
    const dir = project({ [DROP]: DROP_SQL });
    const file = "prisma/migrations/20250101000000_add_name/migration.sql";
    // "User" comes from the init migration on disk, so it may hold rows: add-required-column applies
    const run = cli(["--cwd", dir, "-f", "json", "--stdin", "--stdin-filename", file], { input: ADD_REQUIRED });
    expect(run.status, run.stderr).toBe(1);
    const results = json(run);
    expect(results.map((r) => r.filePath)).toEqual([path.join(dir, file)]);
    expect(results[0]!.messages.map((m) => `${m.ruleId}:${m.line}`)).toEqual(["add-required-column:1"]);
    expect(fs.existsSync(path.dirname(path.join(dir, file)))).toBe(false);
  });

  it("a buffer replaces the migration's file on disk; the file's own findings are not reported", () => {
    const dir = project({ [DROP]: DROP_SQL });
    const file = `prisma/migrations/${DROP}/migration.sql`;
    expect(cli(["--cwd", dir, "-f", "json", file]).status).toBe(1);
    const safe = cli(["--cwd", dir, "-f", "json", "--stdin", "--stdin-filename", file], { input: ADD_OPTIONAL });
    expect(safe.status, safe.stderr).toBe(0);
    expect(json(safe).map((r) => [r.filePath, r.messages])).toEqual([[path.join(dir, file), []]]);
    // what the buffer says is reported at its own lines, with exit 1
    const dropped = cli(["--cwd", dir, "-f", "json", "--stdin", "--stdin-filename", file], { input: `-- edited\n\n${DROP_SQL}` });
    expect(dropped.status).toBe(1);
    expect(json(dropped)[0]!.messages.map((m) => `${m.ruleId}:${m.line}`)).toEqual(["destructive-change:4"]);
    expect(fs.readFileSync(path.join(dir, file), "utf8")).toBe(DROP_SQL);
  });

  it("needs --stdin-filename naming a migration.sql of the project, and no paths (exit 2, one line)", () => {
    const dir = project({ [DROP]: DROP_SQL });
    const missing = cli(["--cwd", dir, "--stdin"], { input: DROP_SQL });
    expect(missing.status).toBe(2);
    expect(missing.stderr).toMatch(/^migration-lint: --stdin needs --stdin-filename .*\n$/);
    const elsewhere = cli(["--cwd", dir, "--stdin", "--stdin-filename", "prisma/seed.sql"], { input: DROP_SQL });
    expect(elsewhere.status).toBe(2);
    expect(elsewhere.stderr).toBe(`migration-lint: ${path.join(dir, "prisma/seed.sql")}: --stdin-filename must name the migration.sql of a migration folder in ${path.join(dir, "prisma/migrations")} (it may not exist yet), e.g. ${path.join(dir, "prisma/migrations/20240101000000_add_user/migration.sql")}.\n`);
    const withPaths = cli(["--cwd", dir, "--stdin", "--stdin-filename", `prisma/migrations/${DROP}/migration.sql`, "prisma"], { input: DROP_SQL });
    expect(withPaths.status).toBe(2);
    expect(cli(["--cwd", dir, "--stdin-filename", "x.sql"]).stderr).toBe("migration-lint: --stdin-filename names the file of the text read with --stdin; add --stdin.\n");
  });
});

describe("--ignore-pattern (repeatable), with the config's ignore", () => {
  const DROP2 = "20240401000000_drop_id";
  const linted = (run: ReturnType<typeof cli>) => json(run).map((r) => path.basename(path.dirname(r.filePath)));

  it("leaves out the migrations a glob matches by folder name, or by path from --cwd, on top of the config's ignore", () => {
    const dir = project({ [DROP]: DROP_SQL, [DROP2]: 'ALTER TABLE "User" DROP COLUMN "id";\n' });
    expect(linted(cli(["--cwd", dir, "-f", "json"]))).toEqual(["20240101000000_init", DROP, DROP2]);
    const byName = cli(["--cwd", dir, "-f", "json", "--ignore-pattern", "202403*"]);
    expect(byName.status).toBe(1);
    expect(linted(byName)).toEqual(["20240101000000_init", DROP2]);
    write(dir, { ".migration-lintrc.json": JSON.stringify({ extends: "recommended", ignore: ["*_init"] }) });
    const shell = tempDir("shell");
    const byFolder = cli(["--cwd", dir, "-f", "json", "--ignore-pattern", "prisma/migrations/202403*"], { cwd: shell });
    expect(linted(byFolder)).toEqual([DROP2]);
    const byFile = cli(["--cwd", dir, "-f", "json", "--ignore-pattern", "**/20240401*/migration.sql", "--ignore-pattern", "nothing*"], { cwd: shell });
    expect(linted(byFile)).toEqual([DROP]);
  });

  it("one that leaves nothing to lint is exit 2 naming it, as the config's ignore is", () => {
    const dir = project({ [DROP]: DROP_SQL });
    const run = cli(["--cwd", dir, "--ignore-pattern", "2024*"]);
    expect(run.status).toBe(2);
    expect(run.stderr).toBe('migration-lint: --ignore-pattern "2024*" leaves none of the 2 migrations in prisma/migrations to lint (the newest is 20240301000000_drop_email). Nothing was checked; pass --no-error-on-unmatched-pattern if that is expected.\n');
  });
});

describe("--rulesdir loads TypeScript rules", () => {
  it("runs the README's own example rule (Writing a rule), copied into a rules folder, with migration-lint installed beside it", () => {
    const readme = fs.readFileSync(path.join(ROOT, "README.md"), "utf8");
    const example = /### Writing a rule\n+```ts\n([\s\S]*?)```/.exec(readme)?.[1];
    expect(example).toContain("defineRule");
    const dir = project({ "20240301000000_add_email_index": 'CREATE UNIQUE INDEX "User_email_key" ON "User"("email");\n', "20240302000000_drop_index": 'DROP INDEX "User_email_key";\n' });
    write(dir, { "lint-rules/no-drop-index.ts": example!, "lint-rules/types.d.ts": "export {};\n" });
    // as in a project that installed migration-lint: the rule's import resolves from node_modules
    fs.mkdirSync(path.join(dir, "node_modules"));
    fs.symlinkSync(ROOT, path.join(dir, "node_modules", "migration-lint"), "dir");
    const run = cli(["--cwd", dir, "-f", "json", "--rulesdir", "lint-rules", "--rule", "no-drop-index: warn"]);
    expect(run.status, run.stderr).toBe(0);
    const messages = json(run).flatMap((r) => r.messages.filter((m) => m.ruleId === "no-drop-index").map((m) => `${path.basename(path.dirname(r.filePath))}:${m.line}: ${m.message}`));
    expect(messages).toEqual(['20240302000000_drop_index:1: Drops index "User_email_key".']);
  });

  it("a TypeScript rule file that does not compile is one line naming the file (exit 2)", () => {
    const dir = project({ [DROP]: DROP_SQL });
    write(dir, { "lint-rules/broken.ts": "export default {\n  meta: {\n};\n" });
    const run = cli(["--cwd", dir, "--rulesdir", "lint-rules"]);
    expect(run.status).toBe(2);
    expect(run.stderr).toBe(`migration-lint: ${path.join(dir, "lint-rules/broken.ts")}:3: Rule file failed to load: ParseError: Unexpected token, expected ","\n`);
  });
});
