/**
 * Hostile projects through the real CLI: the exit code (0 clean, 1 lint
 * errors, 2 usage/config/project failure), a message naming the file, never a
 * stack trace, and every other migration still linted and reported.
 */
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { DROP_SQL, cleanupTemp, cli, expectFailure, expectInside, expectNoCrash, json, messagesOf, migrationFile, project, ruleIds, tempDir, write, SCHEMA } from "./helpers.js";

afterAll(cleanupTemp);

const DROP = "20240301000000_drop_email";
const isRoot = process.getuid?.() === 0;

/** Lints a project with `--format json`; the run must not crash. */
function lintJson(dir: string, ...args: string[]) {
  const run = cli(["--cwd", dir, "--format", "json", ...args]);
  expectNoCrash(run);
  return { run, results: run.stdout ? json(run) : [] };
}

/** The DROP migration was linted: its destructive-change finding is there. */
function expectDropLinted(results: ReturnType<typeof json>, dir: string): void {
  expect(ruleIds(messagesOf(results, migrationFile(dir, DROP)))).toEqual(["destructive-change"]);
}

describe("the migrations folder", () => {
  // nothing to lint is exit 2 (like ESLint's "No files matching"), never a clean run; --no-error-on-unmatched-pattern
  // turns it back into a note and exit 0 for a project that has no migrations yet
  it("missing: exit 2 naming the folder", () => {
    const dir = project({}, { lock: null, init: false });
    expectFailure(cli(["--cwd", dir]), null, /No migrations folder at prisma\/migrations: .*Nothing was checked; pass --no-error-on-unmatched-pattern/);
  });

  it("missing, with --no-error-on-unmatched-pattern: exit 0 with a note", () => {
    const dir = project({}, { lock: null, init: false });
    const run = cli(["--cwd", dir, "--no-error-on-unmatched-pattern"]);
    expect(run.status).toBe(0);
    expectNoCrash(run);
    expect(run.stderr).toBe("migration-lint: note: No migrations folder at prisma/migrations: there are no migrations to lint.\n");
  });

  it("a mistyped --migrations folder: exit 2", () => {
    const dir = project({ [DROP]: DROP_SQL });
    expectFailure(cli(["--cwd", dir, "--migrations", "prisma/migratoins"]), null, /No migrations folder at prisma\/migratoins/);
  });

  it("--migrations naming a file: exit 2", () => {
    const dir = project({ [DROP]: DROP_SQL });
    expectFailure(cli(["--cwd", dir, "--migrations", `prisma/migrations/${DROP}/migration.sql`]), null, /No migrations folder at .*migration\.sql \(a file is there, not a folder\)/);
  });

  it("a file where the folder should be: exit 2", () => {
    const dir = project({}, { lock: null, init: false });
    write(dir, { "prisma/migrations": "not a folder" });
    expectFailure(cli(["--cwd", dir]), null, /No migrations folder at prisma\/migrations \(a file is there, not a folder\)/);
  });

  it("a folder that is a symbolic link loop: exit 2", () => {
    const dir = project({}, { lock: null, init: false });
    fs.symlinkSync("migrations", path.join(dir, "prisma", "migrations"));
    expectFailure(cli(["--cwd", dir]), null, /No migrations folder at prisma\/migrations \(a symbolic link that leads nowhere or loops\)/);
  });

  it("empty: exit 2, or exit 0 and a note with --no-error-on-unmatched-pattern", () => {
    const dir = project({}, { init: false });
    expectFailure(cli(["--cwd", dir]), null, /No migrations in prisma\/migrations: it holds no migration folders/);
    const { run, results } = lintJson(dir, "--no-error-on-unmatched-pattern");
    expect(run.status).toBe(0);
    expect(results).toEqual([]);
    expect(run.stderr).toContain("note: No migrations in prisma/migrations");
  });

  it("stray files beside the migrations are ignored, as Prisma ignores them", () => {
    const dir = project({ [DROP]: DROP_SQL });
    write(dir, {
      "prisma/migrations/notes.txt": "hello",
      "prisma/migrations/stray.sql": 'DROP TABLE "User";\n',
      "prisma/migrations/.DS_Store": new Uint8Array([0, 1, 2, 255]),
      [`prisma/migrations/${DROP}/README.md`]: "# Drop the email\n",
      [`prisma/migrations/${DROP}/backup.sql.gz`]: new Uint8Array([0x1f, 0x8b, 0, 0]),
    });
    const { run, results } = lintJson(dir);
    expect(run.status).toBe(1);
    expect(results.map((r) => path.relative(dir, r.filePath)).sort()).toEqual([
      path.join("prisma", "migrations", "20240101000000_init", "migration.sql"),
      path.join("prisma", "migrations", DROP, "migration.sql"),
    ]);
    expectDropLinted(results, dir);
  });
});

describe("a migration folder without a readable migration.sql", () => {
  it("no migration.sql: a file-error on the folder, the others linted (exit 1)", () => {
    const dir = project({ [DROP]: DROP_SQL });
    fs.mkdirSync(path.join(dir, "prisma/migrations/20240201000000_half_written"));
    const { run, results } = lintJson(dir);
    expect(run.status).toBe(1);
    const folder = messagesOf(results, path.join(dir, "prisma/migrations/20240201000000_half_written"));
    expect(folder).toMatchObject([{ ruleId: "file-error", severity: 2, line: 1, column: 1, fatal: true }]);
    expect(folder[0]!.message).toMatch(/"20240201000000_half_written" has no migration\.sql/);
    expectDropLinted(results, dir);
  });

  it("a data migration in code (migration.ts, *.js) and no migration.sql: a custom runner's migration, noted and not an error", () => {
    const dir = project({ [DROP]: DROP_SQL });
    write(dir, {
      "prisma/migrations/20240201000000_backfill_names/migration.ts": "export async function up(prisma) { await prisma.user.updateMany({ data: {} }); }\n",
      "prisma/migrations/20240202000000_backfill_emails/index.js": "module.exports = async () => {};\n",
    });
    const { run, results } = lintJson(dir);
    expect(run.status).toBe(1);
    expect(results.flatMap((r) => r.messages).filter((m) => m.ruleId === "file-error")).toEqual([]);
    expect(run.stderr).toContain("20240201000000_backfill_names, 20240202000000_backfill_emails: data migration in code and no migration.sql, left to the project's own migration runner (not linted).");
    expectDropLinted(results, dir);
  });

  it("migration.sql is a folder: said so, the others linted", () => {
    const dir = project({ [DROP]: DROP_SQL });
    fs.mkdirSync(path.join(dir, "prisma/migrations/20240201000000_odd/migration.sql"), { recursive: true });
    const { run, results } = lintJson(dir);
    expect(run.status).toBe(1);
    const folder = messagesOf(results, path.join(dir, "prisma/migrations/20240201000000_odd"));
    expect(folder.map((m) => m.ruleId)).toEqual(["file-error"]);
    expect(folder[0]!.message).toMatch(/"migration\.sql" in migration folder "20240201000000_odd" is a folder, not a file/);
    expectDropLinted(results, dir);
  });

  /** Locks `target(dir)` (chmod 000) in a project whose other migration drops a table: one file-error on it, matching `message`, and the drop still linted. */
  function expectLockedReported(target: (dir: string) => string, restoreMode: number, message: RegExp): void {
    const dir = project({ [DROP]: DROP_SQL, "20240201000000_locked": "SELECT 1;\n" });
    const locked = target(dir);
    fs.chmodSync(locked, 0o000);
    try {
      const { run, results } = lintJson(dir);
      expect(run.status).toBe(1);
      const messages = messagesOf(results, locked);
      expect(messages.map((m) => m.ruleId)).toEqual(["file-error"]);
      expect(messages[0]!.message).toMatch(message);
      expectDropLinted(results, dir);
    } finally {
      fs.chmodSync(locked, restoreMode);
    }
  }

  it.skipIf(isRoot)("migration.sql cannot be read (chmod 000): a file-error, the others linted", () => {
    // root reads everything, so this case only runs as a normal user; the folder case above covers the path as root
    expectLockedReported((dir) => migrationFile(dir, "20240201000000_locked"), 0o644, /Cannot read .*permission denied/i);
  });

  it.skipIf(isRoot)("a migration folder cannot be listed (chmod 000): a file-error naming it, the others linted", () => {
    expectLockedReported((dir) => path.join(dir, "prisma/migrations/20240201000000_locked"), 0o755, /Cannot read the migration folder .*20240201000000_locked.*permission denied/i);
  });

  it.skipIf(spawnSync("mkfifo", ["--version"]).error !== undefined)("migration.sql is a named pipe: reported without blocking on it", () => {
    const dir = project({ [DROP]: DROP_SQL });
    fs.mkdirSync(path.join(dir, "prisma/migrations/20240201000000_pipe"));
    expect(spawnSync("mkfifo", [path.join(dir, "prisma/migrations/20240201000000_pipe/migration.sql")]).status).toBe(0);
    const { run, results } = lintJson(dir);
    expect(run.status).toBe(1);
    const folder = messagesOf(results, path.join(dir, "prisma/migrations/20240201000000_pipe"));
    expect(folder[0]!.message).toMatch(/"migration\.sql" in migration folder "20240201000000_pipe" is not a regular file/);
    expectDropLinted(results, dir);
  });

  it("symlink loops: no hang, a looping migration.sql and looping folders are reported, the others linted", () => {
    const dir = project({ [DROP]: DROP_SQL });
    const migrations = path.join(dir, "prisma/migrations");
    fs.symlinkSync("loop_b", path.join(migrations, "loop_a"));
    fs.symlinkSync("loop_a", path.join(migrations, "loop_b"));
    fs.symlinkSync(".", path.join(migrations, "20240101000000_init", "self"));
    fs.mkdirSync(path.join(migrations, "20240201000000_looping"));
    fs.symlinkSync("migration.sql", path.join(migrations, "20240201000000_looping", "migration.sql"));
    const { run, results } = lintJson(dir);
    expect(run.status).toBe(1);
    const looping = messagesOf(results, path.join(migrations, "20240201000000_looping"));
    expect(looping.map((m) => m.ruleId)).toEqual(["file-error"]);
    expect(looping[0]!.message).toMatch(/symbolic link that loops/);
    expectDropLinted(results, dir);
    for (const name of ["loop_a", "loop_b"]) expect(messagesOf(results, path.join(migrations, name))[0]!.message).toMatch(/is a symbolic link that loops/);
  });
});

describe("encodings", () => {
  const utf16 = (text: string, endian: "le" | "be") => {
    const le = Buffer.from(text, "utf16le");
    if (endian === "be") le.swap16();
    return Buffer.concat([Buffer.from(endian === "le" ? [0xff, 0xfe] : [0xfe, 0xff]), le]);
  };

  it.each(["le", "be"] as const)("UTF-16 %s with a BOM: linted at the right lines, and flagged because Prisma reads UTF-8", (endian) => {
    const sql = "-- DropColumn\r\nALTER TABLE \"User\" DROP COLUMN \"email\";\r\n";
    const dir = project({ "20240201000000_utf16_file": utf16(sql, endian) });
    const { run, results } = lintJson(dir);
    expect(run.status).toBe(1);
    const messages = messagesOf(results, migrationFile(dir, "20240201000000_utf16_file"));
    expectInside(messages, sql);
    expect(messages.map((m) => [m.ruleId, m.line, m.column])).toEqual([
      ["parse-error", 1, 1],
      ["destructive-change", 2, 20],
    ]);
    expect(messages[0]!.message).toContain(`UTF-16 (${endian === "le" ? "little" : "big"}-endian, with a byte order mark)`);
  });

  it("invalid UTF-8: reported at the bad byte, the rest linted", () => {
    const bytes = Buffer.concat([Buffer.from("-- caf\u00e9\nINSERT INTO \"User\" VALUES (1, '"), Buffer.from([0xff, 0xc3]), Buffer.from("');\n" + DROP_SQL)]);
    const dir = project({ "20240201000000_bad_bytes": bytes });
    const { run, results } = lintJson(dir);
    expect(run.status).toBe(1);
    const messages = messagesOf(results, migrationFile(dir, "20240201000000_bad_bytes"));
    expect(messages.map((m) => [m.ruleId, m.line, m.column])).toEqual([
      ["parse-error", 2, 32],
      ["destructive-change", 4, 20],
    ]);
    expect(messages[0]!.message).toMatch(/not valid UTF-8 \(byte 0xFF here/);
  });

  it("a binary file (gzip bytes, NULs, invalid UTF-8): parse errors on it, the others linted", () => {
    const binary = Buffer.from([0x1f, 0x8b, 0x08, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x03, 0xcb, 0x48, 0xcd, 0xc9, 0xc9, 0x57, 0x28, 0xcf, 0x2f, 0xca, 0x49, 0x01, 0x00, 0x0a, 0x3b, 0x27, 0x22]);
    const dir = project({ [DROP]: DROP_SQL, "20240201000000_archive": binary });
    const { run, results } = lintJson(dir);
    expect(run.status).toBe(1);
    const messages = messagesOf(results, migrationFile(dir, "20240201000000_archive"));
    expect(messages.length).toBeGreaterThan(0);
    expect(new Set(messages.map((m) => m.ruleId))).toEqual(new Set(["parse-error"]));
    expect(messages.filter((m) => /not valid UTF-8 \(byte 0x8B here/.test(m.message)).map((m) => [m.line, m.column])).toEqual([[1, 2]]);
    expect(messages.some((m) => /NUL bytes/.test(m.message))).toBe(true);
    expectDropLinted(results, dir);
  });

  it("a UTF-8 BOM is fine and does not shift columns", () => {
    const dir = project({ [DROP]: `\uFEFF${DROP_SQL}` });
    const { run, results } = lintJson(dir);
    expect(run.status).toBe(1);
    expect(messagesOf(results, migrationFile(dir, DROP)).map((m) => [m.ruleId, m.line, m.column])).toEqual([["destructive-change", 2, 20]]);
  });

  it("a NUL byte in a migration: exit 1, reported at its line, the statements after it linted", () => {
    const dir = project({ [DROP]: `SELECT 1;\n\0\n${DROP_SQL}` });
    const { run, results } = lintJson(dir);
    expect(run.status).toBe(1);
    expect(messagesOf(results, migrationFile(dir, DROP)).map((m) => [m.ruleId, m.line])).toEqual([
      ["parse-error", 2],
      ["destructive-change", 4],
    ]);
  });
});

describe("the schema and migration_lock.toml", () => {
  it("a schema that does not parse: a parse-error at its line, the migrations still linted (exit 1)", () => {
    const dir = project({ [DROP]: DROP_SQL }, { schema: SCHEMA.replace("email String", "email String @@@ broken") });
    const { run, results } = lintJson(dir);
    expect(run.status).toBe(1);
    const schema = messagesOf(results, path.join(dir, "prisma/schema.prisma"));
    expect(schema).toMatchObject([{ ruleId: "parse-error", line: 8, fatal: true }]);
    expect(schema[0]!.message).toMatch(/Cannot parse the Prisma schema/);
    expectDropLinted(results, dir);
  });

  it("no migration_lock.toml: the provider comes from the schema, nothing else changes", () => {
    const dir = project({ [DROP]: DROP_SQL }, { lock: null });
    const { run, results } = lintJson(dir);
    expect(run.status).toBe(1);
    expect(results.flatMap((r) => r.messages).map((m) => m.ruleId)).toEqual(["destructive-change"]);
  });

  it.each([
    ["malformed TOML", '# Please do not edit this file manually\n# It should be added in your version-control system\nprovider = "postgresql\n', 3, /Cannot parse migration_lock\.toml/],
    ["no provider", "# empty\nfoo = 1\n", 1, /"provider" is missing/],
    ["binary garbage", "\u0000\u00ff\u00fe[[[\n", 1, /Cannot parse migration_lock\.toml/],
  ])("a lock file with %s: a parse-error finding on it, the migrations still linted", (_label, lock, line, message) => {
    const dir = project({ [DROP]: DROP_SQL }, { lock });
    const { run, results } = lintJson(dir);
    expect(run.status).toBe(1);
    const lockMessages = messagesOf(results, path.join(dir, "prisma/migrations/migration_lock.toml"));
    expect(lockMessages).toMatchObject([{ ruleId: "parse-error", line }]);
    expect(lockMessages[0]!.message).toMatch(message);
    expectDropLinted(results, dir);
  });

  it("a provider migration-lint does not support yet (sqlserver lock file): exit 2 naming the lock file", () => {
    const dir = project({ [DROP]: "ALTER TABLE [User] DROP COLUMN [email];\n" }, { lock: 'provider = "sqlserver"\n' });
    expectFailure(cli(["--cwd", dir]), path.join(dir, "prisma/migrations/migration_lock.toml"), /Provider "sqlserver" is not supported yet/);
  });

  it('provider = "PostgreSQL" in migration_lock.toml: says what Prisma says (P3019), not "PostgreSQL is not supported"', () => {
    const dir = project({ [DROP]: DROP_SQL }, { lock: 'provider = "PostgreSQL"\n' });
    const run = cli(["--cwd", dir]);
    expectFailure(run, path.join(dir, "prisma/migrations/migration_lock.toml"), /Provider "PostgreSQL" is not a provider name Prisma knows: Prisma writes it "postgresql", in lower case, and prisma migrate refuses this project until it says provider = "postgresql" \(P3019/);
    expect(run.stderr).not.toMatch(/not supported/);
  });

  it('a provider Prisma does not know at all, and mongodb, which Prisma Migrate does not support', () => {
    expectFailure(cli(["--cwd", project({ [DROP]: DROP_SQL }, { lock: 'provider = "oracle"\n' })]), null, /Provider "oracle" is not a provider name Prisma knows \(postgresql, postgres, mysql, sqlite, sqlserver, cockroachdb, mongodb\)/);
    expectFailure(cli(["--cwd", project({ [DROP]: DROP_SQL }, { lock: 'provider = "mongodb"\n' })]), null, /Provider "mongodb" has no migrations: Prisma Migrate does not support MongoDB/);
  });

  it("a sqlserver datasource without a lock file: exit 2 naming the schema", () => {
    const dir = project({}, { lock: null, schema: SCHEMA.replace("postgresql", "sqlserver") });
    expectFailure(cli(["--cwd", dir]), path.join(dir, "prisma/schema.prisma"), /Provider "sqlserver" is not supported yet/);
  });

  it("a mysql lock file: the migrations are linted as MySQL", () => {
    const dir = project({ [DROP]: "ALTER TABLE `User` DROP COLUMN `email`;\n" }, { lock: 'provider = "mysql"\n', schema: SCHEMA.replace("postgresql", "mysql") });
    const { run, results } = lintJson(dir);
    expect(run.status).toBe(1);
    expect(results.flatMap((r) => r.messages).filter((m) => m.ruleId === "destructive-change")).toMatchObject([{ message: expect.stringContaining("Drops column `email` of `User`") }]);
  });

  it("no schema anywhere: exit 2", () => {
    const dir = tempDir();
    expectFailure(cli(["--cwd", dir]), null, /Could not find a Prisma schema in .*--schema/);
  });

  it("a path that does not exist: exit 2", () => {
    const dir = project({ [DROP]: DROP_SQL });
    expectFailure(cli(["--cwd", dir, "prisma/migrations/20991231000000_nope"]), null, /No such file or directory: prisma\/migrations\/20991231000000_nope/);
  });
});

describe("a schema.prisma Prisma rejects though it parses here", () => {
  const ORIGINAL = SCHEMA;
  it.each([
    ["a NUL byte", Buffer.from(ORIGINAL.replace("email String", "email String @default(\"a\0b\")")), /NUL byte/, 8],
    ["invalid UTF-8", Buffer.concat([Buffer.from(ORIGINAL), Buffer.from([0x2f, 0x2f, 0x20, 0xff, 0x0a])]), /not valid UTF-8 \(byte 0xFF/, 10],
    ["a UTF-16 byte order mark", Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(ORIGINAL, "utf16le")]), /UTF-16 \(little-endian/, 1],
    ["an unterminated string", Buffer.from(ORIGINAL.replace('env("DATABASE_URL")', 'env("DATABASE_URL)')), /string is not closed on its line/, 3],
    ["no datasource", Buffer.from(ORIGINAL.replace(/datasource db \{[^}]*\}\n/, "")), /no datasource block/, 1],
  ])("%s: a parse-error at its line, the migrations still linted", (_what, bytes, message, line) => {
    const dir = project({ [DROP]: DROP_SQL });
    write(dir, { "prisma/schema.prisma": bytes });
    const { run, results } = lintJson(dir);
    expect(run.status).toBe(1);
    const schemaFindings = messagesOf(results, path.join(dir, "prisma", "schema.prisma"));
    expect(schemaFindings.map((m) => [m.ruleId, m.line])).toEqual([["parse-error", line]]);
    expect(schemaFindings[0]!.message).toMatch(/^Prisma rejects this schema: /);
    expect(schemaFindings[0]!.message).toMatch(message);
    expectDropLinted(results, dir);
  });

  it("a valid schema has no such finding", () => {
    const dir = project({ [DROP]: DROP_SQL });
    const { results } = lintJson(dir);
    expect(results.some((r) => r.filePath.endsWith("schema.prisma"))).toBe(false);
  });
});

describe("migration folders that are symbolic links that cannot be followed", () => {
  it.each([
    ["dangling", (dir: string, link: string) => fs.symlinkSync(path.join(dir, "nowhere"), link), /is a broken symbolic link/],
    ["looping", (_dir: string, link: string) => fs.symlinkSync(link, link), /is a symbolic link that loops/],
  ])("%s: a file-error naming the folder, the others linted", (_what, makeLink, message) => {
    const dir = project({ [DROP]: DROP_SQL });
    const link = path.join(dir, "prisma", "migrations", "20240401000000_linked");
    makeLink(dir, link);
    fs.symlinkSync(path.join(dir, "nowhere.md"), path.join(dir, "prisma", "migrations", "NOTES.md")); // a file link: not a migration
    const { run, results } = lintJson(dir);
    expect(run.status).toBe(1);
    const findings = messagesOf(results, link);
    expect(findings.map((m) => m.ruleId)).toEqual(["file-error"]);
    expect(findings[0]!.message).toMatch(message);
    expect(results.some((r) => r.filePath.includes("NOTES.md"))).toBe(false);
    expectDropLinted(results, dir);
  });
});
