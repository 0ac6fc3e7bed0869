import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { runLint } from "../../src/api/lint.js";
import { MigrationLintError } from "../../src/errors.js";
import { tagsAndRebuild, usersPostsSessions } from "../rules/sqlite-fixtures.js";

/** A SQLite Prisma project on disk with these migrations. */
function project(migrations: string[]): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), "sqlite-replay-"));
  const prisma = path.join(root, "prisma");
  fs.mkdirSync(path.join(prisma, "migrations"), { recursive: true });
  fs.writeFileSync(path.join(prisma, "schema.prisma"), 'datasource db {\n  provider = "sqlite"\n  url      = "file:./dev.db"\n}\n');
  fs.writeFileSync(path.join(prisma, "migrations", "migration_lock.toml"), 'provider = "sqlite"\n');
  migrations.forEach((sql, i) => {
    const dir = path.join(prisma, "migrations", `${20240101000000 + i}_m${i}`);
    fs.mkdirSync(dir);
    fs.writeFileSync(path.join(dir, "migration.sql"), sql);
  });
  return root;
}

const replayFailures = async (cwd: string, extra: object = {}) => {
  const run = await runLint({ cwd, replay: true, baseline: false, config: { extends: ["recommended"] }, ...extra });
  return { run, failed: run.results.flatMap((r) => r.messages.map((m) => ({ ...m, file: r.filePath }))).filter((m) => m.ruleId === "replay-failed") };
};

describe("SQLite replay on sql.js", () => {
  it("applies Prisma's history, rebuilds included, with foreign keys on", async () => {
    const { run, failed } = await replayFailures(project([usersPostsSessions, tagsAndRebuild.history]));
    expect(failed).toEqual([]);
    expect(run.projects[0]!.replay).toMatchObject({ applied: 2, database: expect.stringContaining("sql.js") });
  });

  it("reports the statement SQLite rejects, at its line: a rebuild whose copy cannot fill a NOT NULL column, with a row to copy", async () => {
    const seed = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "seed-")), "seed.sql");
    fs.writeFileSync(seed, `INSERT INTO "Tag" ("label") VALUES ('a');`);
    // the seed runs just before the first migration in scope: lint only the rebuild
    const { run, failed } = await replayFailures(project([tagsAndRebuild.history, tagsAndRebuild.sql]), { seed, config: { extends: ["recommended"], startAfter: "20240101000000_m0" } });
    const insertLine = tagsAndRebuild.sql.split("\n").findIndex((l) => l.startsWith('INSERT INTO "new_Tag"')) + 1;
    expect(failed.map((m) => [m.line, m.severity])).toEqual([[insertLine, 2]]);
    expect(failed[0]!.message).toMatch(/^SQLite rejects this statement: NOT NULL constraint failed: new_Tag\.slug\. `prisma migrate deploy` stops here with the statements before it already committed/);
    expect(run.projects[0]!.replay!.applied).toBe(1);
  });

  it("runs the file as the configured runner does: one transaction under D1, rolled back on failure", async () => {
    const seed = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "seed-")), "seed.sql");
    fs.writeFileSync(seed, `INSERT INTO "Tag" ("label") VALUES ('a');`);
    const { run, failed } = await replayFailures(project([tagsAndRebuild.history, tagsAndRebuild.sql]), { seed, config: { extends: ["recommended"], runner: "d1", startAfter: "20240101000000_m0" } });
    expect(failed[0]!.message).toMatch(/The runner rolls the file back and stops\.$/);
    expect(run.projects[0]!.replay!.database).toContain("each file in one transaction");
  });

  it("--database-url is for PostgreSQL: a usage error, not a connection attempt", async () => {
    const error = await runLint({ cwd: project([usersPostsSessions]), replay: true, databaseUrl: "postgresql://localhost/x", baseline: false }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MigrationLintError);
    expect((error as MigrationLintError).kind).toBe("usage");
  });
});

describe("what sqlite-rebuild-cascade reports, measured on SQLite (sql.js)", () => {
  /** Post and Session rows left after Prisma's rebuild of "User", run statement by statement or in one transaction. */
  async function rowsAfterRebuild(inTransaction: boolean): Promise<{ posts: number; sessionsWithUser: number }> {
    const { default: initSqlJs } = await import("sql.js");
    const SQL = await initSqlJs();
    const db = new SQL.Database() as unknown as { exec(sql: string): Array<{ values: unknown[][] }>; close(): void };
    db.exec("PRAGMA foreign_keys=ON");
    db.exec(usersPostsSessions);
    db.exec(`INSERT INTO "User" ("email") VALUES ('a@x'); INSERT INTO "Post" ("title", "authorId") VALUES ('p', 1); INSERT INTO "Session" ("id", "userId") VALUES ('s', 1);`);
    const { rebuildUser } = await import("../rules/sqlite-fixtures.js");
    db.exec(inTransaction ? `BEGIN;\n${rebuildUser}\nCOMMIT;` : rebuildUser);
    const count = (sql: string) => Number(db.exec(sql)[0]!.values[0]![0]);
    const result = { posts: count('SELECT count(*) FROM "Post"'), sessionsWithUser: count('SELECT count(*) FROM "Session" WHERE "userId" IS NOT NULL') };
    db.close();
    return result;
  }

  it("statement by statement (prisma migrate deploy) every referencing row survives", async () => {
    expect(await rowsAfterRebuild(false)).toEqual({ posts: 1, sessionsWithUser: 1 });
  });

  it("in one transaction PRAGMA foreign_keys=OFF does nothing: DROP TABLE deletes the Post (CASCADE) and nulls the Session (SET NULL)", async () => {
    expect(await rowsAfterRebuild(true)).toEqual({ posts: 0, sessionsWithUser: 0 });
  });
});
