import { describe, expect, it } from "vitest";
import { RuleTester, runRuleCase } from "../../src/testing/rule-tester.js";
import rule from "../../rules/add-required-column.js";
import { onMysql } from "./mysql-fixtures.js";
import { rebuildUser, SQLITE, tagsAndRebuild, usersPostsSessions } from "./sqlite-fixtures.js";

const USERS = `-- CreateTable
CREATE TABLE "User" (
    "id" SERIAL NOT NULL,
    "email" TEXT NOT NULL,
    CONSTRAINT "User_pkey" PRIMARY KEY ("id")
);`;
const SCHEMA = `datasource db {
  provider = "postgresql"
  url      = env("DATABASE_URL")
}

model User {
  id    Int    @id @default(autoincrement())
  email String
  x     String
}
`;

new RuleTester().run(rule, {
  valid: [
    { name: "nullable column", history: [USERS], sql: `-- AlterTable\nALTER TABLE "User" ADD COLUMN     "nickname" TEXT;` },
    { name: "NOT NULL with a constant default (Postgres 11+: no rewrite)", history: [USERS], sql: `-- AlterTable\nALTER TABLE "User" ADD COLUMN     "active" BOOLEAN NOT NULL DEFAULT true;` },
    { name: "NOT NULL DEFAULT CURRENT_TIMESTAMP (now() is stable)", history: [USERS], sql: `ALTER TABLE "User" ADD COLUMN     "updatedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP;` },
    { name: "required column on a table created in the same migration", sql: `${USERS}\nALTER TABLE "User" ADD COLUMN     "x" TEXT NOT NULL;` },
    { name: "a serial primary key column is unique-constraint's finding", history: [`CREATE TABLE "Tag" ("name" TEXT NOT NULL);`], sql: `-- AlterTable\nALTER TABLE "Tag" ADD COLUMN     "id" SERIAL NOT NULL,\nADD CONSTRAINT "Tag_pkey" PRIMARY KEY ("id");` },
    { name: "a volatile default on a new table", sql: `CREATE TABLE "Token" ("id" UUID NOT NULL DEFAULT gen_random_uuid());` },
    {
      name: "a volatile default on a table TRUNCATEd earlier in the file: nothing to rewrite, the lock is held already (Prisma 6/7 names)",
      history: [USERS],
      sql: `TRUNCATE TABLE "public"."User";\n\n-- AlterTable\nALTER TABLE "public"."User" ADD COLUMN     "token" UUID NOT NULL DEFAULT gen_random_uuid();`,
    },
  ],
  invalid: [
    {
      name: "Prisma 6/7: SERIAL NOT NULL on an existing table is not suggested again as serial (the same volatile default)",
      history: [USERS.replaceAll('"User"', '"public"."User"')],
      sql: `-- AlterTable\nALTER TABLE "public"."User" ADD COLUMN     "number" SERIAL NOT NULL;`,
      errors: [
        {
          messageId: "rewrite",
          line: 2,
          message: 'Adds "number" to "public"."User" with an identity/serial sequence',
        },
      ],
    },
    {
      name: "a required enum column gets a DEFAULT example from the enum's values",
      history: [USERS, `CREATE TYPE "Role" AS ENUM ('USER', 'ADMIN');`],
      sql: `ALTER TABLE "User" ADD COLUMN "role" "Role" NOT NULL;`,
      errors: [{ messageId: "required", message: 'Adds required column "role" ("Role") to "User"' }],
    },
    ...[
      { how: "DELETE without WHERE", empty: 'DELETE FROM "User";', q: "" },
      { how: "TRUNCATE (Prisma 6/7 names)", empty: 'TRUNCATE "public"."User";', q: '"public".' },
    ].map(({ how, empty, q }) => ({
      name: `a required column on a table emptied earlier in the file by ${how}: cannot fail on rows, old instances' INSERTs still fail`,
      history: [USERS],
      sql: `${empty}\n\n-- AlterTable\nALTER TABLE ${q}"User" ADD COLUMN     "x" TEXT NOT NULL;`,
      errors: [{ messageId: "requiredEmptied", line: 4, message: 'Line 1 emptied "' }],
    })),
    {
      name: "a table emptied, then filled again by an INSERT: the required column fails on the new rows",
      history: [USERS],
      sql: `DELETE FROM "User";\nINSERT INTO "User" ("email") VALUES ('admin@example.com');\nALTER TABLE "User" ADD COLUMN "x" TEXT NOT NULL;`,
      errors: [{ messageId: "required", line: 3 }],
    },
    {
      name: "emptied in an earlier migration: the app has written rows since",
      history: [USERS, 'TRUNCATE "User";'],
      sql: `ALTER TABLE "User" ADD COLUMN "x" TEXT NOT NULL;`,
      errors: [{ messageId: "required", line: 1 }],
    },
    {
      name: "emptied before a COMMIT in the same file: another transaction, other writers may have inserted since",
      history: [USERS],
      sql: `BEGIN;\nTRUNCATE "User";\nCOMMIT;\nALTER TABLE "User" ADD COLUMN "x" TEXT NOT NULL;`,
      errors: [{ messageId: "required", line: 4 }],
    },
    {
      name: "Prisma 7.4+ runs each statement in its own transaction: other writers may insert between the TRUNCATE and the ADD COLUMN",
      history: [USERS],
      prismaVersion: "7.4.0",
      sql: `TRUNCATE "User";\nALTER TABLE "User" ADD COLUMN "x" TEXT NOT NULL;`,
      errors: [{ messageId: "required", line: 2 }],
    },
    {
      name: "a DO block after the emptying may insert: the rows are unknown again",
      history: [USERS],
      sql: `TRUNCATE "User";\nDO $$ BEGIN PERFORM 1; END $$;\nALTER TABLE "User" ADD COLUMN "x" TEXT NOT NULL;`,
      errors: [{ messageId: "required", line: 3 }],
    },
    {
      name: "a volatile default after DELETE still rewrites: the deleted rows stay on disk until VACUUM",
      history: [USERS],
      sql: `DELETE FROM "User";\nALTER TABLE "User" ADD COLUMN "token" UUID NOT NULL DEFAULT gen_random_uuid();`,
      errors: [{ messageId: "rewrite", line: 2 }],
    },
    {
      name: "Prisma's required column under its Warnings block",
      history: [USERS],
      schema: SCHEMA,
      sql: `/*
  Warnings:

  - Added the required column \`x\` to the \`User\` table without a default value. This is not possible if the table is not empty.

*/
-- AlterTable
ALTER TABLE "User" ADD COLUMN     "x" TEXT NOT NULL;`,
      errors: [
        {
          messageId: "required",
          line: 8,
          column: 20,
          message: 'Adds required column "x" (text) to "User" without a default: the migration fails if "User" has any row',
        },
      ],
    },
    {
      name: "hand-written, with a foreign key type",
      history: [USERS],
      sql: `ALTER TABLE "User" ADD COLUMN "teamId" INTEGER NOT NULL REFERENCES "Team"("id");`,
      errors: [{ messageId: "required", message: "INSERTs from app instances still running the previous release" }],
    },
    {
      name: "a volatile default rewrites the table on any version",
      history: [USERS],
      sql: `-- AlterTable\nALTER TABLE "User" ADD COLUMN     "token" UUID NOT NULL DEFAULT gen_random_uuid();`,
      errors: [{ messageId: "rewrite", line: 2, message: 'Adds "token" to "User" with the volatile default gen_random_uuid(), evaluated and stored for every existing row: Postgres rewrites every row of "User" under an ACCESS EXCLUSIVE lock' }],
    },
    {
      name: "a hand-written multi-line volatile default is quoted on one line",
      history: [USERS],
      sql: `ALTER TABLE "User" ADD COLUMN "code" TEXT NOT NULL DEFAULT CASE
    WHEN random() < 0.5 THEN 'a'
    ELSE 'b'
  END;`,
      errors: [{ messageId: "rewrite", line: 1, message: "with the volatile default CASE WHEN random() < 0.5 THEN 'a' ELSE 'b' END, evaluated" }],
    },
    {
      name: "any default before Postgres 11",
      history: [USERS],
      config: { postgresVersion: 10 },
      sql: `ALTER TABLE "User" ADD COLUMN     "active" BOOLEAN NOT NULL DEFAULT true;`,
      errors: [{ messageId: "rewrite", message: "before Postgres 11 (production is 10)" }],
    },
    {
      name: "a stored generated column",
      history: [USERS],
      sql: `ALTER TABLE "User" ADD COLUMN "domain" TEXT GENERATED ALWAYS AS (split_part("email", '@', 2)) STORED;`,
      errors: [{ messageId: "rewrite", message: "a stored generated value" }],
    },
    {
      name: "a serial column that is not a key",
      history: [USERS],
      sql: `ALTER TABLE "User" ADD COLUMN "seq" BIGSERIAL;`,
      errors: [{ messageId: "rewrite", message: "an identity/serial sequence" }],
    },
    {
      name: "a table the history does not know is assumed to hold rows",
      sql: `ALTER TABLE "legacy_orders" ADD COLUMN "status" TEXT NOT NULL;`,
      errors: [{ messageId: "required" }],
    },
  ],
});

describe("add-required-column help", () => {
  it("suggests the plain integer type and a sequence default for a SERIAL column, never serial again", async () => {
    const [finding] = await runRuleCase("add-required-column", { history: [USERS], sql: `ALTER TABLE "User" ADD COLUMN "number" SERIAL NOT NULL;` });
    expect(finding?.help).toContain('`ALTER TABLE "User" ADD COLUMN "number" int4;`');
    expect(finding?.help).toContain(`\`ALTER TABLE "User" ALTER COLUMN "number" SET DEFAULT nextval('"User_number_seq"');\``);
    expect(finding?.help).not.toMatch(/serial/i);
  });
});

// MySQL fills the old rows with the type's zero value instead of failing (mysql-zero-fill, measured on MariaDB 10.11:
// '' in every row); what this rule reports there is the previous release's INSERTs, which fail under a strict sql_mode
// (error 1364, measured) or store '' under a lax one
new RuleTester().run(rule, {
  valid: [
    onMysql({ name: "MySQL: a default", sql: "-- AlterTable\nALTER TABLE `User` ADD COLUMN `age` INTEGER NOT NULL DEFAULT 0;" }),
    onMysql({ name: "MySQL: an AUTO_INCREMENT column numbers the rows itself", sql: "ALTER TABLE `Post` ADD COLUMN `seq` INTEGER NOT NULL AUTO_INCREMENT, ADD UNIQUE INDEX `Post_seq_key`(`seq`);" }),
    onMysql({ name: "MySQL: optional", sql: "-- AlterTable\nALTER TABLE `User` ADD COLUMN `age` INTEGER NULL;" }),
    onMysql({ name: "MySQL: a table created in the migration", sql: "CREATE TABLE `Tag` (`id` INTEGER NOT NULL);\nALTER TABLE `Tag` ADD COLUMN `slug` VARCHAR(191) NOT NULL;" }),
  ],
  invalid: [
    onMysql({
      name: "MySQL: Prisma's required column without a default: the previous release's INSERTs, not the rows (mysql-zero-fill's)",
      sql: "-- AlterTable\nALTER TABLE `User` ADD COLUMN `age` INTEGER NOT NULL;",
      errors: [{ messageId: "requiredInserts", line: 2, message: "Adds required column `age` (int) to `User` without a default: once it is applied, INSERTs from app instances still running the previous release (which do not set `age`) fail under a strict sql_mode (error 1364, Field 'age' doesn't have a default value)" }],
    }),
    {
      name: "the same column on PostgreSQL: the migration fails on the rows",
      history: [`CREATE TABLE "User" ("id" SERIAL PRIMARY KEY, "name" VARCHAR(191));`],
      sql: `ALTER TABLE "User" ADD COLUMN "age" INTEGER NOT NULL;`,
      errors: [{ messageId: "required" }],
    },
  ],
});

// SQLite: Prisma writes a required column added to an existing table as a rebuild whose copy does not fill it
// (measured on sql.js, tests/dialects/sqlite-replay.test.ts: "NOT NULL constraint failed: new_Tag.slug"); a
// hand-written ADD COLUMN ... NOT NULL without a default is refused on any table (measured: "Cannot add a NOT NULL
// column with default value NULL")
const tagRebuildLine = tagsAndRebuild.sql.split("\n").findIndex((l) => l.startsWith('INSERT INTO "new_Tag"')) + 1;
new RuleTester().run(rule, {
  valid: [
    { ...SQLITE, name: "SQLite: a rebuild whose new required column has a default (Prisma's @default)", history: [tagsAndRebuild.history], sql: tagsAndRebuild.sql.replace('"slug" TEXT NOT NULL', "\"slug\" TEXT NOT NULL DEFAULT ''") },
    { ...SQLITE, name: "SQLite: Prisma's rebuild of a table that is new in the migration", sql: `${tagsAndRebuild.history}\n${tagsAndRebuild.sql}` },
    { ...SQLITE, name: "SQLite: ADD COLUMN with a constant default", history: [usersPostsSessions], sql: `-- AlterTable\nALTER TABLE "User" ADD COLUMN "age" INTEGER NOT NULL DEFAULT 0;` },
    { ...SQLITE, name: "SQLite: Prisma's rebuild making a column required with a default (coalesce in the copy)", history: [usersPostsSessions], sql: rebuildUser },
  ],
  invalid: [
    {
      ...SQLITE,
      name: "SQLite: Prisma's rebuild adding a required column: the copy fails on the first row and new_Tag stays behind",
      history: [tagsAndRebuild.history],
      sql: tagsAndRebuild.sql,
      errors: [{
        messageId: "requiredCopy",
        line: tagRebuildLine,
        message: 'Adds required column "slug" (text) to "Tag" without a default, in a table rebuild whose copy (this INSERT) does not fill it: the INSERT fails on the first row if "Tag" has any (NOT NULL constraint failed: new_Tag.slug); the statements before it have already run one by one, so "new_Tag" stays behind',
      }],
    },
    {
      ...SQLITE,
      name: "SQLite with runner d1: the file is one transaction, nothing stays behind",
      config: { runner: "d1" },
      history: [tagsAndRebuild.history],
      sql: tagsAndRebuild.sql,
      errors: [{ messageId: "requiredCopy", line: tagRebuildLine, message: /\(NOT NULL constraint failed: new_Tag\.slug\)\. Once it is applied/ }],
    },
    {
      ...SQLITE,
      name: "SQLite: a hand-written ADD COLUMN ... NOT NULL without a default is refused, even on an empty table",
      history: [usersPostsSessions],
      sql: `ALTER TABLE "User" ADD COLUMN "age" INTEGER NOT NULL;`,
      errors: [{ messageId: "refused", line: 1, message: "SQLite refuses that on every table, even an empty one (Cannot add a NOT NULL column with default value NULL)" }],
    },
  ],
});
