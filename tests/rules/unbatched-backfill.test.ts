import { describe, expect, it } from "vitest";
import { RuleTester, runRuleCase } from "../../src/testing/rule-tester.js";
import rule from "../../rules/unbatched-backfill.js";
import { onMysql } from "./mysql-fixtures.js";
import { SQLITE, usersPostsSessions } from "./sqlite-fixtures.js";

const USERS = `-- CreateTable
CREATE TABLE "User" (
    "id" SERIAL NOT NULL,
    "email" TEXT NOT NULL,
    "name" TEXT,
    CONSTRAINT "User_pkey" PRIMARY KEY ("id")
);`;

new RuleTester().run(rule, {
  valid: [
    { name: "Prisma 6/7: a fix of one row pinned by a @unique column", history: [`${USERS}\n-- CreateIndex\nCREATE UNIQUE INDEX "User_email_key" ON "User"("email");`], sql: `UPDATE "public"."User" SET "name" = 'Admin' WHERE "email" = 'admin@example.com';` },
    { name: "hand-written: a point UPDATE by a UNIQUE constraint column", history: [`CREATE TABLE settings (key text CONSTRAINT settings_key_key UNIQUE, value text);`], sql: `UPDATE settings SET value = 'on' WHERE key = 'feature_x';` },
    { name: "INSERT ... SELECT without FROM: constant seed rows", history: [USERS], sql: `INSERT INTO "User" ("email", "name") SELECT 'admin@example.com', 'Admin';` },
    { name: "an UPDATE of a table emptied earlier in the file changes no row", history: [USERS], sql: `DELETE FROM "User";\nUPDATE "User" SET "name" = 'x';` },
    { name: "INSERT ... VALUES (seed rows)", history: [USERS], sql: `INSERT INTO "User" ("email") VALUES ('admin@example.com');` },
    { name: "DELETE without WHERE is destructive-change's", history: [USERS], sql: `DELETE FROM "User";` },
    { name: "a backfill of a table created in the same migration", sql: `${USERS}\nUPDATE "User" SET "name" = "email";` },
    { name: "a fix of a few rows pinned by key", history: [USERS], sql: `UPDATE "User" SET "name" = 'Admin' WHERE "id" = 1;\nDELETE FROM "User" WHERE "id" IN (2, 3) AND "email" LIKE '%@test.invalid';` },
    { name: "a fix pinned by a cast key (langfuse's models updates)", history: [`CREATE TABLE models ("id" TEXT NOT NULL, "model_name" TEXT, CONSTRAINT "models_pkey" PRIMARY KEY ("id"));`], sql: `UPDATE models SET model_name = 'claude-3.5-sonnet-latest' WHERE id = 'cm2ks2vzn000308jjh4ze1w7q'::text;` },
    { name: "INSERT ... SELECT into a new table (a copy)", history: [USERS], sql: `CREATE TABLE "UserArchive" ("id" INTEGER, "email" TEXT);\nINSERT INTO "UserArchive" SELECT "id", "email" FROM "User";` },
  ],
  invalid: [
    {
      name: "Prisma 6/7: a backfill that casts text into the new column's type fails on the first bad row",
      history: [USERS],
      sql: `-- AlterTable\nALTER TABLE "public"."User" ADD COLUMN     "age" INTEGER;\nUPDATE "public"."User" SET "age" = "name"::INTEGER WHERE "name" ~ '^[0-9]+$' OR "name" IS NOT NULL;`,
      errors: [{ messageId: "backfill", line: 3, message: "The cast to int4 converts every row's value: the first value that does not convert" }],
    },
    {
      name: "hand-written: text to an enum in a backfill",
      history: [USERS, `CREATE TYPE "Role" AS ENUM ('USER', 'ADMIN');\nALTER TABLE "User" ADD COLUMN "role" "Role";`],
      sql: `UPDATE "User" SET "role" = "name"::"Role";`,
      errors: [{ messageId: "backfill", message: 'The cast to "Role" converts' }],
    },
    {
      name: "Prisma 6/7: add nullable, fill with a constant, SET NOT NULL in one file",
      history: [USERS],
      sql: `-- AlterTable\nALTER TABLE "public"."User" ADD COLUMN     "credits" INTEGER;\nUPDATE "public"."User" SET "credits" = 0;\nALTER TABLE "public"."User" ALTER COLUMN "credits" SET NOT NULL;`,
      errors: [{ messageId: "backfill", line: 3 }],
    },
    {
      name: "an UPDATE by a non-unique column is still a backfill",
      history: [`${USERS}\nCREATE UNIQUE INDEX "User_email_key" ON "User"("email");`],
      sql: `UPDATE "User" SET "name" = 'x' WHERE "name" = 'y';`,
      errors: [{ messageId: "backfill" }],
    },
    {
      name: "an UPDATE after the emptied table was filled again by INSERT ... SELECT",
      history: [USERS, `CREATE TABLE "Import" ("email" TEXT);`],
      sql: `TRUNCATE "User";\nINSERT INTO "User" ("email") SELECT "email" FROM "Import";\nUPDATE "User" SET "name" = 'x';`,
      errors: [{ messageId: "backfill", line: 2 }, { messageId: "backfill", line: 3 }],
    },
    {
      name: "a backfill after Prisma's ADD COLUMN, in the same file",
      history: [USERS],
      sql: `-- AlterTable
ALTER TABLE "User" ADD COLUMN     "displayName" TEXT;

-- Backfill
UPDATE "User" SET "displayName" = COALESCE("name", "email");`,
      errors: [
        {
          messageId: "backfill",
          line: 5,
          column: 1,
          message: `UPDATE on "User" runs inside the migration as one statement: every row it changes stays locked until the migration commits`,
        },
      ],
    },
    {
      name: "the DDL's ACCESS EXCLUSIVE lock is named when the file runs as one transaction",
      history: [USERS],
      sql: `ALTER TABLE "User" ADD COLUMN "displayName" TEXT;\nUPDATE "User" SET "displayName" = "email" WHERE "displayName" IS NULL;`,
      errors: [{ messageId: "backfill", line: 2, message: `the same transaction also holds the locks this file's DDL took on "User"` }],
    },
    {
      name: "Prisma 7.4+: no shared transaction with the DDL",
      history: [USERS],
      prismaVersion: "7.4.0",
      sql: `ALTER TABLE "User" ADD COLUMN "displayName" TEXT;\nUPDATE "User" SET "displayName" = "email";`,
      errors: [{ messageId: "backfill", line: 2, message: /cannot be resumed if it fails\.$/ }],
    },
    {
      name: "DELETE with WHERE",
      history: [USERS],
      sql: `DELETE FROM "User" WHERE "email" LIKE '%@test.invalid';`,
      errors: [{ messageId: "backfill", message: 'DELETE on "User"' }],
    },
    {
      name: "INSERT ... SELECT into an existing table",
      history: [USERS, `CREATE TABLE "Profile" ("userId" INTEGER NOT NULL, "bio" TEXT);`],
      sql: `INSERT INTO "Profile" ("userId") SELECT "id" FROM "User";`,
      errors: [{ messageId: "backfill", message: 'INSERT ... SELECT on "Profile"' }],
    },
  ],
});

describe("unbatched-backfill help", () => {
  it("gives the one-statement fix for add nullable, fill with a constant, SET NOT NULL", async () => {
    const sql = `ALTER TABLE "User" ADD COLUMN "credits" INTEGER;\nUPDATE "User" SET "credits" = 0 WHERE "credits" IS NULL;\nALTER TABLE "User" ALTER COLUMN "credits" SET NOT NULL;`;
    const [finding] = await runRuleCase("unbatched-backfill", { history: [USERS], sql });
    expect(finding?.help).toContain('`ALTER TABLE "User" ADD COLUMN "credits" int4 NOT NULL DEFAULT 0;` replaces the ADD COLUMN, the UPDATE on line 2 and the SET NOT NULL');
    const [setNotNull] = await runRuleCase("set-not-null", { history: [USERS], sql });
    expect(setNotNull?.help).toContain('`ALTER TABLE "User" ADD COLUMN "credits" int4 NOT NULL DEFAULT 0;`');
  });
  it("keeps the batched advice when the fill is not one constant", async () => {
    const sql = `ALTER TABLE "User" ADD COLUMN "credits" INTEGER;\nUPDATE "User" SET "credits" = length("email");\nALTER TABLE "User" ALTER COLUMN "credits" SET NOT NULL;`;
    const [finding] = await runRuleCase("unbatched-backfill", { history: [USERS], sql });
    expect(finding?.help).toContain("batched job");
  });
});

// MySQL: InnoDB locks the rows (and, under REPEATABLE READ, the index ranges) the statement changes until it commits;
// the batched form uses UPDATE / DELETE ... ORDER BY ... LIMIT (MySQL has no LIMIT in an IN subquery)
new RuleTester().run(rule, {
  valid: [
    onMysql({ name: "MySQL: one row named by its key", sql: "UPDATE `User` SET `name` = 'x' WHERE `id` = 5;" }),
    onMysql({ name: "MySQL: rows named by a unique key, in a list and OR-ed", sql: "UPDATE `User` SET `role` = 'ADMIN' WHERE `email` IN ('a@x', 'b@x');\nDELETE FROM `User` WHERE `email` = 'a@x' OR `email` = 'b@x';" }),
    onMysql({ name: "MySQL: seed rows", sql: "INSERT INTO `User` (`email`) VALUES ('a@x');" }),
    // SQLite: not run (one database-wide write lock, no row locks to wait on; a Prisma SQLite app migrates before it writes)
    { ...SQLITE, name: "SQLite: an UPDATE over a table", history: [usersPostsSessions], sql: `UPDATE "User" SET "name" = '' WHERE "name" IS NULL;` },
  ],
  invalid: [
    onMysql({
      name: "MySQL: a backfill UPDATE, with InnoDB's locks and MySQL's batched form",
      sql: "-- Backfill\nUPDATE `User` SET `name` = '' WHERE `name` IS NULL;",
      errors: [{ messageId: "backfill", line: 2, message: "UPDATE on `User` runs inside the migration as one statement: InnoDB locks every row it changes, and under REPEATABLE READ (the default) every index range it scans, until the statement commits, so app writes to them wait up to innodb_lock_wait_timeout (50 s) and then fail (error 1205" }],
    }),
    onMysql({
      name: "MySQL: DELETE ... WHERE over a range",
      sql: "DELETE FROM `Post` WHERE `authorId` > 100;",
      errors: [{ messageId: "backfill", line: 1 }],
    }),
  ],
});

describe("unbatched-backfill help on MySQL", () => {
  it("gives MySQL's batched form: ORDER BY ... LIMIT, backquoted names", async () => {
    const [finding] = await runRuleCase("unbatched-backfill", onMysql({ sql: "UPDATE `User` SET `name` = '' WHERE `name` IS NULL;" }));
    expect(finding?.help).toContain("UPDATE `User` SET <assignments> WHERE <rows not yet done> ORDER BY `id` LIMIT 1000");
  });
});
