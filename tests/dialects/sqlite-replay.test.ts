import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { runLint } from "../../src/api/lint.js";
import { MigrationLintError } from "../../src/errors.js";
import { tagsAndRebuild, usersPostsSessions } from "../rules/sqlite-fixtures.js";

const DATASOURCE = 'datasource db {\n  provider = "sqlite"\n  url      = "file:./dev.db"\n}\n';

/** A SQLite Prisma project on disk with these migrations (a string, or migration.sql with its down.sql). */
function project(migrations: Array<string | { up: string; down: string }>, models = ""): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), "sqlite-replay-"));
  const prisma = path.join(root, "prisma");
  fs.mkdirSync(path.join(prisma, "migrations"), { recursive: true });
  fs.writeFileSync(path.join(prisma, "schema.prisma"), DATASOURCE + models);
  fs.writeFileSync(path.join(prisma, "migrations", "migration_lock.toml"), 'provider = "sqlite"\n');
  migrations.forEach((sql, i) => {
    const dir = path.join(prisma, "migrations", `${20240101000000 + i}_m${i}`);
    fs.mkdirSync(dir);
    fs.writeFileSync(path.join(dir, "migration.sql"), typeof sql === "string" ? sql : sql.up);
    if (typeof sql !== "string") fs.writeFileSync(path.join(dir, "down.sql"), sql.down);
  });
  return root;
}

const replayed = async (cwd: string, extra: object = {}) => {
  const run = await runLint({ cwd, replay: true, baseline: false, config: { extends: ["recommended"] }, ...extra });
  const messages = run.results.flatMap((r) => r.messages.map((m) => ({ ...m, file: r.filePath })));
  return { run, messages, ofRule: (id: string) => messages.filter((m) => m.ruleId === id) };
};
const replayFailures = async (cwd: string, extra: object = {}) => {
  const { run, ofRule } = await replayed(cwd, extra);
  // a failure stops replay, which one info finding says ("Replay stopped: ..."); the failure is the error
  return { run, failed: ofRule("replay-failed").filter((m) => m.severity === 2) };
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

  it("says that replay stopped after a failure, and that drift was not checked", async () => {
    const { ofRule } = await replayed(project([usersPostsSessions, 'ALTER TABLE "Nope" ADD COLUMN "x" TEXT;']));
    expect(ofRule("replay-failed").map((m) => [m.severity, m.message.slice(0, 40)])).toEqual([
      [1, "Replay stopped: 20240101000001_m1 fails "],
      [2, "SQLite rejects this statement: no such t"],
    ]);
    expect(ofRule("replay-failed")[0]!.message).toMatch(/No later migration was left out\. Schema drift was not checked\.$/);
  });

  it("--database-url is for PostgreSQL: a usage error, not a connection attempt", async () => {
    const error = await runLint({ cwd: project([usersPostsSessions]), replay: true, databaseUrl: "postgresql://localhost/x", baseline: false }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MigrationLintError);
    expect((error as MigrationLintError).kind).toBe("usage");
  });
});

const INIT = `-- CreateTable
CREATE TABLE "User" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "email" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);

-- CreateIndex
CREATE UNIQUE INDEX "User_email_key" ON "User"("email");
`;
/** What \`prisma migrate dev\` writes for a new optional column with an index, and its \`migrate diff --script\` down.sql. */
const ADD_BIO = `-- AlterTable
ALTER TABLE "User" ADD COLUMN "bio" TEXT;

-- CreateIndex
CREATE INDEX "User_bio_idx" ON "User"("bio");
`;
const DROP_BIO = `-- DropIndex
DROP INDEX "User_bio_idx";

-- AlterTable
ALTER TABLE "User" DROP COLUMN "bio";
`;
const USER_MODEL = `
model User {
  id        Int      @id @default(autoincrement())
  email     String   @unique
  createdAt DateTime @default(now())
  bio       String?

  @@index([bio])
}
`;

describe("SQLite replay: down.sql round trips (rollback-mismatch)", () => {
  it("a down.sql that undoes the migration: no finding, and the history goes on from the migrated state", async () => {
    const { ofRule, run } = await replayed(project([INIT, { up: ADD_BIO, down: DROP_BIO }, 'CREATE INDEX "User_bio_createdAt_idx" ON "User"("bio", "createdAt");']));
    expect(ofRule("rollback-mismatch")).toEqual([]);
    expect(ofRule("replay-failed")).toEqual([]);
    expect(run.projects[0]!.replay!.applied).toBe(3);
  });

  it("a down.sql that forgets the column and drops an index it did not create: each difference named, on down.sql", async () => {
    const down = `-- DropIndex\nDROP INDEX "User_bio_idx";\n\n-- DropIndex\nDROP INDEX "User_email_key";\n`;
    const { ofRule } = await replayed(project([INIT, { up: ADD_BIO, down }]));
    expect(ofRule("rollback-mismatch").map((m) => [m.line, m.severity, m.message])).toEqual([
      [1, 2, `down.sql does not restore the schema from before this migration: column "User"."bio" still exists: the migration added it and down.sql does not drop it.`],
      [1, 2, `down.sql does not restore the schema from before this migration: index "User_email_key" on "User" is missing (before the migration: CREATE UNIQUE INDEX "User_email_key" ON "User"("email")).`],
    ]);
    expect(ofRule("rollback-mismatch")[0]!.file).toMatch(/20240101000001_m1\/down\.sql$/);
  });

  it("a down.sql that changes a column back differently: the column named with what differs", async () => {
    const up = `-- RedefineTables\nPRAGMA foreign_keys=OFF;\nCREATE TABLE "new_User" (\n    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,\n    "email" TEXT,\n    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP\n);\nINSERT INTO "new_User" ("createdAt", "email", "id") SELECT "createdAt", "email", "id" FROM "User";\nDROP TABLE "User";\nALTER TABLE "new_User" RENAME TO "User";\nCREATE UNIQUE INDEX "User_email_key" ON "User"("email");\nPRAGMA foreign_keys=ON;\n`;
    // the down.sql keeps email nullable: it was NOT NULL before the migration
    const down = up.replace('"email" TEXT,', '"email" TEXT DEFAULT \'\',');
    const { ofRule } = await replayed(project([INIT, { up, down }]));
    expect(ofRule("rollback-mismatch").map((m) => [m.line, m.message])).toEqual([
      // at the first statement about "User": the copy out of it
      [9, `down.sql does not restore the schema from before this migration: column "User"."email" differs from before the migration: nullable, was NOT NULL; default '', was none.`],
    ]);
  });

  it("a down.sql SQLite rejects is reported at its statement, and the history goes on", async () => {
    const down = `-- DropIndex\nDROP INDEX "User_bio_idx";\n\n-- AlterTable\nALTER TABLE "User" DROP COLUMN "nope";\n`;
    const { ofRule, run } = await replayed(project([INIT, { up: ADD_BIO, down }, 'CREATE INDEX "User_bio_createdAt_idx" ON "User"("bio", "createdAt");']));
    expect(ofRule("rollback-mismatch").map((m) => [m.line, m.message.slice(0, 95)])).toEqual([[5, "down.sql fails on the schema this migration leaves: SQLite rejects this statement: no such colu"]]);
    // restored to the migrated state: the last migration's index on "bio" applies
    expect(ofRule("replay-failed")).toEqual([]);
    expect(run.projects[0]!.replay!.applied).toBe(3);
  });
});

describe("SQLite replay: schema drift against schema.prisma", () => {
  it("a schema that matches the history: no finding", async () => {
    const { ofRule } = await replayed(project([INIT, ADD_BIO], USER_MODEL));
    expect(ofRule("schema-drift")).toEqual([]);
  });

  it("each difference at the field or model, naming the table and column", async () => {
    const models = USER_MODEL.replace("bio       String?", "bio       String?\n  age       Int      @default(3)")
      .replace("createdAt DateTime @default(now())", "createdAt DateTime?")
      .replace("email     String   @unique", "email     Int      @unique")
      .replace("  @@index([bio])\n", "");
    const { ofRule } = await replayed(project([INIT, ADD_BIO], models));
    expect(ofRule("schema-drift").map((m) => [m.line, m.message])).toEqual([
      [6, `Index "User_bio_idx" on "User" exists in the migrated database, but schema.prisma does not declare it: CREATE INDEX "User_bio_idx" ON "User"("bio").`],
      [8, `Field "User.email" is Int (INTEGER in SQLite), but column "User"."email" is TEXT, which Prisma reads as String in the migrated database.`],
      [9, `Field "User.createdAt" has no @default, but column "User"."createdAt" has the default CURRENT_TIMESTAMP in the migrated database.`],
      [9, `Field "User.createdAt" is optional, but column "User"."createdAt" is NOT NULL in the migrated database.`],
      [11, `Field "User.age" maps to column "User"."age", but no migration creates it.`],
    ]);
  });

  it("--drift-only replays the history and compares, without rollback checks", async () => {
    const { ofRule } = await replayed(project([INIT, { up: ADD_BIO, down: "SELECT 1;" }], USER_MODEL.replace("  bio       String?\n", "")), { replay: false, driftOnly: true });
    expect(ofRule("rollback-mismatch")).toEqual([]);
    expect(ofRule("schema-drift").map((m) => m.message)).toEqual([`Column "User"."bio" (TEXT) exists in the migrated database, but model "User" has no field mapped to it.`]);
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
