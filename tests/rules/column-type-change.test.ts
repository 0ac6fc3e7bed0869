import { RuleTester } from "../../src/testing/rule-tester.js";
import rule from "../../rules/column-type-change.js";
import { SQLITE } from "./sqlite-fixtures.js";
import { onMysql } from "./mysql-fixtures.js";
import { enumRecreation } from "./prisma-sql.js";
import { TASKS, SWAP } from "./data-moves.js";

const USERS = `-- CreateTable
CREATE TABLE "User" (
    "id" SERIAL NOT NULL,
    "name" VARCHAR(255),
    "bio" TEXT,
    "age" INTEGER,
    "balance" DECIMAL(10,2) NOT NULL DEFAULT 0,
    "loggedIn" TIMESTAMP(3),
    "views" BIGINT NOT NULL DEFAULT 0,
    CONSTRAINT "User_pkey" PRIMARY KEY ("id")
);`;
const ROLE = `-- CreateEnum
CREATE TYPE "Role" AS ENUM ('USER', 'ADMIN', 'GUEST');
ALTER TABLE "User" ADD COLUMN "role" "Role" NOT NULL DEFAULT 'USER';`;

const RECREATION = (schema: string, values: string) => enumRecreation({ schema, values, defaultValue: "'USER'" });

new RuleTester().run(rule, {
  valid: [
    {
      name: "text to citext on a column without an index: binary-coercible, a catalog change only",
      history: [`CREATE EXTENSION IF NOT EXISTS "citext";`, USERS],
      sql: `ALTER TABLE "User" ALTER COLUMN "bio" SET DATA TYPE CITEXT;`,
    },
    {
      name: "Prisma 6/7: a narrowing change on a table TRUNCATEd earlier in the file: no rows, no rewrite",
      history: [USERS],
      sql: `TRUNCATE TABLE "public"."User";\n\n-- AlterTable\nALTER TABLE "public"."User" ALTER COLUMN "name" SET DATA TYPE VARCHAR(50);`,
    },
    { name: "widening varchar(255) to varchar(500): no rewrite", history: [USERS], sql: `-- AlterTable\nALTER TABLE "User" ALTER COLUMN "name" SET DATA TYPE VARCHAR(500);` },
    { name: "varchar to text: binary-coercible", history: [USERS], sql: `ALTER TABLE "User" ALTER COLUMN "name" TYPE TEXT;` },
    { name: "numeric precision up, same scale", history: [USERS], sql: `ALTER TABLE "User" ALTER COLUMN "balance" SET DATA TYPE DECIMAL(12,2);` },
    { name: "a table created in the same migration", sql: `${USERS}\nALTER TABLE "User" ALTER COLUMN "age" SET DATA TYPE BIGINT;` },
    {
      name: "an enum recreation that reorders values, on a table created in the same migration",
      history: [`CREATE TYPE "Role" AS ENUM ('USER', 'ADMIN', 'GUEST');`],
      sql: `CREATE TABLE "Member" ("id" SERIAL NOT NULL, "role" "Role" NOT NULL DEFAULT 'USER', CONSTRAINT "Member_pkey" PRIMARY KEY ("id"));

-- AlterEnum
BEGIN;
CREATE TYPE "Role_new" AS ENUM ('ADMIN', 'USER', 'GUEST');
ALTER TABLE "Member" ALTER COLUMN "role" DROP DEFAULT;
ALTER TABLE "Member" ALTER COLUMN "role" TYPE "Role_new" USING ("role"::text::"Role_new");
ALTER TYPE "Role" RENAME TO "Role_old";
ALTER TYPE "Role_new" RENAME TO "Role";
DROP TYPE "Role_old";
ALTER TABLE "Member" ALTER COLUMN "role" SET DEFAULT 'USER';
COMMIT;`,
    },
  ],
  invalid: [
    {
      name: "Prisma's enum conversion of a text column: the USING cast fails on the first value the enum lacks",
      history: [`CREATE TABLE "memberships" ("id" TEXT NOT NULL, "role" TEXT NOT NULL, CONSTRAINT "memberships_pkey" PRIMARY KEY ("id"));`],
      sql: `-- CreateEnum\nCREATE TYPE "ProjectRole" AS ENUM ('OWNER', 'MEMBER');\n\n-- AlterTable\nALTER TABLE "memberships" ALTER COLUMN "role" TYPE "ProjectRole" USING ("role"::text::"ProjectRole");`,
      errors: [{ messageId: "narrowing", line: 5, message: 'The cast to "ProjectRole" converts every row\'s value: the first value that does not convert (a malformed date or number, a label the enum lacks) fails the statement, and the migration with it.' }],
    },
    {
      name: "hand-written text to timestamp USING a cast",
      history: [`CREATE TABLE tasks (id int PRIMARY KEY, due text);`],
      sql: `ALTER TABLE tasks ALTER COLUMN due TYPE timestamp(3) USING due::timestamp(3);`,
      errors: [{ messageId: "narrowing", message: "The cast to timestamp converts every row's value" }],
    },
    {
      name: "int4 to int8 USING a cast cannot fail on a value: no cast sentence",
      history: [USERS],
      sql: `ALTER TABLE "User" ALTER COLUMN "age" TYPE BIGINT USING "age"::bigint;`,
      errors: [{ messageId: "rewrite", message: /^(?![\s\S]*The cast)/ }],
    },
    {
      name: "Prisma 6/7: a schema-qualified table is printed and suggested as \"public\".\"User\", not \"public.User\"",
      history: [USERS],
      sql: `-- AlterTable\nALTER TABLE "public"."User" ALTER COLUMN "name" SET DATA TYPE VARCHAR(50);`,
      errors: [{ messageId: "narrowing", line: 2, message: 'Changes "public"."User"."name" from varchar(255) to varchar(50)' }],
    },
    {
      name: "a serial column is int4: its type is never printed as serial",
      history: [USERS],
      sql: `-- AlterTable\nALTER TABLE "User" ALTER COLUMN "id" SET DATA TYPE BIGINT;`,
      errors: [{ messageId: "rewrite", message: /from int4 to int8/ }],
    },
    {
      name: "Prisma 6/7: text to citext rewrites nothing but rebuilds the unique index, which fails on case-only duplicates",
      history: [`CREATE EXTENSION IF NOT EXISTS "citext";`, `CREATE TABLE "public"."Account" ("id" SERIAL NOT NULL, "email" TEXT NOT NULL, CONSTRAINT "Account_pkey" PRIMARY KEY ("id"));\nCREATE UNIQUE INDEX "Account_email_key" ON "public"."Account"("email");`],
      sql: `-- AlterTable\nALTER TABLE "public"."Account" ALTER COLUMN "email" SET DATA TYPE CITEXT;`,
      errors: [
        {
          messageId: "indexRebuild",
          line: 2,
          message: 'Changes "public"."Account"."email" from text to citext: the table is not rewritten (citext and text are binary-coercible), but the comparison rules change, so Postgres rebuilds its index "Account_email_key" under an ACCESS EXCLUSIVE lock on "public"."Account", which blocks reads and writes until every index is built, and "Account_email_key" fails to build (and the migration with it) if two rows hold values that differ only in case.',
        },
      ],
    },
    {
      name: "hand-written varchar to citext with a plain index",
      history: [`CREATE EXTENSION citext;\nCREATE TABLE tags (id int PRIMARY KEY, label varchar(50));\nCREATE INDEX tags_label_idx ON tags (label);`],
      sql: `ALTER TABLE tags ALTER COLUMN label TYPE citext;`,
      errors: [{ messageId: "indexRebuild", message: /rebuilds its index "tags_label_idx" under an ACCESS EXCLUSIVE lock on "tags", which blocks reads and writes until every index is built\.$/ }],
    },
    {
      name: "a narrowing change after DELETE without WHERE: no value left to cut, but the rewrite still reads the dead rows",
      history: [USERS],
      sql: `DELETE FROM "User";\n\n-- AlterTable\nALTER TABLE "User" ALTER COLUMN "name" SET DATA TYPE VARCHAR(50);`,
      errors: [{ messageId: "rewrite", line: 4, message: "from varchar(255) to varchar(50)" }],
    },
    ...[
      { prisma: "Prisma 5", q: "" },
      { prisma: "Prisma 6/7", q: '"public".' },
    ].map(({ prisma, q }) => ({
      name: `a second ${prisma} enum recreation names the enum as the first one left it ("Role", not "Role_new") and knows the values it removes`,
      history: [USERS, ROLE, RECREATION(q, "'USER', 'ADMIN', 'GUEST', 'OWNER'")],
      sql: RECREATION(q, "'USER', 'OWNER'"),
      errors: [{ messageId: "enumRecreation", line: 5, message: `from ${q}"Role" to ${q}"Role_new" USING ("role"::text::${q}"Role_new"), an enum recreated in this migration, removing 'ADMIN', 'GUEST'` }],
    })),
    {
      name: "a hand-written column swap is a type change that keeps the data, reported once on its DROP",
      history: [TASKS],
      sql: SWAP,
      errors: [{ messageId: "swap", line: 7, message: 'Changes the type of "Task"."status" from text to "Status" by swapping columns (ADD COLUMN "status_enum", UPDATE on line 6, DROP COLUMN, RENAME): the data is kept, but the UPDATE fails' }],
    },
    {
      name: "Prisma's enum recreation that removes a value: the rewrite here (destructive-change reports the lost value on DROP TYPE)",
      history: [USERS, ROLE],
      sql: `-- AlterEnum
BEGIN;
CREATE TYPE "Role_new" AS ENUM ('USER', 'ADMIN');
ALTER TABLE "User" ALTER COLUMN "role" DROP DEFAULT;
ALTER TABLE "User" ALTER COLUMN "role" TYPE "Role_new" USING ("role"::text::"Role_new");
ALTER TYPE "Role" RENAME TO "Role_old";
ALTER TYPE "Role_new" RENAME TO "Role";
DROP TYPE "Role_old";
ALTER TABLE "User" ALTER COLUMN "role" SET DEFAULT 'USER';
COMMIT;`,
      errors: [{ messageId: "enumRecreation", line: 5, message: "removing 'GUEST'" }],
    },
    {
      name: "Prisma's enum recreation that only reorders values (langfuse monitor_severity_status_reorder)",
      history: [
        `CREATE TYPE "MonitorSeverity" AS ENUM ('OK', 'WARNING', 'ALERT', 'NO_DATA', 'UNKNOWN');
CREATE TYPE "MonitorStatus" AS ENUM ('ACTIVE', 'PAUSED', 'ERROR_BAD_QUERY');
CREATE TABLE "monitors" ("id" TEXT NOT NULL, "severity" "MonitorSeverity" NOT NULL DEFAULT 'UNKNOWN', "status" "MonitorStatus" NOT NULL DEFAULT 'ACTIVE', CONSTRAINT "monitors_pkey" PRIMARY KEY ("id"));`,
      ],
      sql: `-- AlterEnum: reorder MonitorSeverity so DESC sorts most-critical first
BEGIN;
CREATE TYPE "MonitorSeverity_new" AS ENUM ('UNKNOWN', 'NO_DATA', 'OK', 'WARNING', 'ALERT');
ALTER TABLE "monitors" ALTER COLUMN "severity" DROP DEFAULT;
ALTER TABLE "monitors" ALTER COLUMN "severity" TYPE "MonitorSeverity_new" USING ("severity"::text::"MonitorSeverity_new");
ALTER TYPE "MonitorSeverity" RENAME TO "MonitorSeverity_old";
ALTER TYPE "MonitorSeverity_new" RENAME TO "MonitorSeverity";
DROP TYPE "MonitorSeverity_old";
ALTER TABLE "monitors" ALTER COLUMN "severity" SET DEFAULT 'UNKNOWN';
COMMIT;

-- AlterEnum: reorder MonitorStatus
BEGIN;
CREATE TYPE "MonitorStatus_new" AS ENUM ('PAUSED', 'ACTIVE', 'ERROR_BAD_QUERY');
ALTER TABLE "monitors" ALTER COLUMN "status" DROP DEFAULT;
ALTER TABLE "monitors" ALTER COLUMN "status" TYPE "MonitorStatus_new" USING ("status"::text::"MonitorStatus_new");
ALTER TYPE "MonitorStatus" RENAME TO "MonitorStatus_old";
ALTER TYPE "MonitorStatus_new" RENAME TO "MonitorStatus";
DROP TYPE "MonitorStatus_old";
ALTER TABLE "monitors" ALTER COLUMN "status" SET DEFAULT 'ACTIVE';
COMMIT;`,
      errors: [
        { messageId: "enumRecreation", line: 5, message: `an enum recreated in this migration, keeping every old value: Postgres rewrites the whole table and rebuilds its indexes under an ACCESS EXCLUSIVE lock on "monitors"` },
        { messageId: "enumRecreation", line: 16 },
      ],
    },
    {
      name: "an enum recreated under its own name after renaming the old one away (langfuse add_paused_monitor_severity)",
      history: [
        `CREATE TYPE "MonitorSeverity" AS ENUM ('UNKNOWN', 'NO_DATA', 'OK', 'WARNING', 'ALERT');
CREATE TABLE "monitors" ("id" TEXT NOT NULL, "severity" "MonitorSeverity" NOT NULL DEFAULT 'UNKNOWN', CONSTRAINT "monitors_pkey" PRIMARY KEY ("id"));`,
      ],
      sql: `ALTER TYPE "MonitorSeverity" RENAME TO "MonitorSeverity_old";

CREATE TYPE "MonitorSeverity" AS ENUM (
  'PAUSED',
  'UNKNOWN',
  'NO_DATA',
  'OK',
  'WARNING',
  'ALERT'
);

ALTER TABLE monitors
  ALTER COLUMN severity DROP DEFAULT,
  ALTER COLUMN severity TYPE "MonitorSeverity"
    USING severity::text::"MonitorSeverity",
  ALTER COLUMN severity SET DEFAULT 'UNKNOWN'::"MonitorSeverity";

DROP TYPE "MonitorSeverity_old";`,
      errors: [{ messageId: "enumRecreation", line: 14, message: "keeping every old value" }],
    },
    {
      name: "a text column converted to an enum created in the same migration (langfuse rename_enum_membership_role_to_project_role)",
      history: [`CREATE TABLE "memberships" ("id" TEXT NOT NULL, "role" TEXT NOT NULL, CONSTRAINT "memberships_pkey" PRIMARY KEY ("id"));`],
      sql: `-- CreateEnum
CREATE TYPE "ProjectRole" AS ENUM ('OWNER', 'ADMIN', 'MEMBER', 'VIEWER');

-- AlterTable
ALTER TABLE "memberships" ALTER COLUMN "role" TYPE "ProjectRole" USING ("role"::text::"ProjectRole");`,
      errors: [{ messageId: "narrowing", line: 5, message: `Changes "memberships"."role" from text to "ProjectRole" USING ("role"::text::"ProjectRole"): rows whose values do not fit the new type make the migration fail` }],
    },
    {
      name: "a long hand-written USING is quoted on one line, cut short",
      history: [USERS],
      sql: `ALTER TABLE "User" ALTER COLUMN "age" TYPE TEXT
  USING CASE
    WHEN "age" IS NULL THEN 'unknown'
    WHEN "age" < 18 THEN 'minor'
    WHEN "age" < 65 THEN 'adult'
    ELSE 'senior'
  END;`,
      errors: [
        {
          messageId: "narrowing",
          line: 1,
          // the whole CASE ... END (NULL inside it does not end it), on one line, cut at 80 characters
          message: `to text USING CASE WHEN "age" IS NULL THEN 'unknown' WHEN "age" < 18 THEN 'minor' WHEN "age"…: rows whose values`,
        },
      ],
    },
    {
      name: "Prisma's narrowing change under its Warnings block",
      history: [USERS],
      sql: `/*
  Warnings:

  - You are about to alter the column \`name\` on the \`User\` table. The data in that column could be lost. The data in that column will be cast from \`VarChar(255)\` to \`VarChar(100)\`.

*/
-- AlterTable
ALTER TABLE "User" ALTER COLUMN "name" SET DATA TYPE VARCHAR(100);`,
      errors: [
        {
          messageId: "narrowing",
          line: 8,
          column: 20,
          message: 'Changes "User"."name" from varchar(255) to varchar(100): rows whose values do not fit the new type make the migration fail',
        },
      ],
    },
    {
      name: "int to bigint: no loss, but a rewrite under ACCESS EXCLUSIVE",
      history: [USERS],
      sql: `-- AlterTable\nALTER TABLE "User" ALTER COLUMN "age" SET DATA TYPE BIGINT;`,
      errors: [{ messageId: "rewrite", line: 2, message: 'from int4 to int8: Postgres rewrites the whole table and rebuilds its indexes under an ACCESS EXCLUSIVE lock on "User", which blocks reads and writes' }],
    },
    {
      name: "bigint to int narrows",
      history: [USERS],
      sql: `ALTER TABLE "User" ALTER COLUMN "views" SET DATA TYPE INTEGER;`,
      errors: [{ messageId: "narrowing", message: "from int8 to int4" }],
    },
    {
      name: "numeric scale down rounds",
      history: [USERS],
      sql: `ALTER TABLE "User" ALTER COLUMN "balance" SET DATA TYPE DECIMAL(10,1);`,
      errors: [{ messageId: "narrowing", message: "from numeric(10,2) to numeric(10,1)" }],
    },
    {
      name: "text to int with a USING cast can fail on any row",
      history: [USERS],
      sql: `ALTER TABLE "User" ALTER COLUMN "bio" SET DATA TYPE INTEGER USING ("bio"::integer);`,
      errors: [{ messageId: "narrowing", message: 'from text to int4 USING ("bio"::integer)' }],
    },
    {
      name: "an arbitrary USING expression",
      history: [USERS],
      sql: `ALTER TABLE "User" ALTER COLUMN "balance" TYPE INTEGER USING ("balance" * 100)::integer;`,
      errors: [{ messageId: "narrowing" }],
    },
    {
      name: "timestamp to timestamptz AT TIME ZONE (as hoppscotch does): lossless, still a rewrite",
      history: [USERS],
      sql: `-- AlterTable\nALTER TABLE "User" ALTER COLUMN "loggedIn" SET DATA TYPE TIMESTAMPTZ(3) USING "loggedIn" AT TIME ZONE 'UTC';`,
      errors: [{ messageId: "rewrite", message: "from timestamp(3) to timestamptz(3) USING \"loggedIn\" AT TIME ZONE 'UTC'" }],
    },
    {
      name: "two clauses, two findings",
      history: [USERS],
      sql: `ALTER TABLE "User" ALTER COLUMN "age" SET DATA TYPE BIGINT,\nALTER COLUMN "name" SET DATA TYPE VARCHAR(50);`,
      errors: [
        { messageId: "rewrite", line: 1 },
        { messageId: "narrowing", line: 2 },
      ],
    },
    {
      name: "a column of a table the history does not know",
      sql: `ALTER TABLE "legacy" ALTER COLUMN "code" TYPE VARCHAR(10);`,
      errors: [{ messageId: "narrowing", message: "from its previous type (unknown to the history) to varchar(10)" }],
    },
  ],
});

// MySQL: MODIFY restates the whole column; only a change some values may not fit is reported (the table copy is mysql-table-copy's)
new RuleTester().run(rule, {
  valid: [
    onMysql({ name: "MySQL: Prisma restating a TIMESTAMP(0) column as TIMESTAMP (the same type; evolution-api does it 495 times)", sql: "-- AlterTable\nALTER TABLE `User` MODIFY `createdAt` TIMESTAMP NULL DEFAULT CURRENT_TIMESTAMP;" }),
    onMysql({ name: "MySQL: INTEGER to VARCHAR(30), wide enough for every int (evolution-api's Message.status)", sql: "ALTER TABLE `Post` MODIFY `authorId` VARCHAR(30) NOT NULL;" }),
    onMysql({ name: "MySQL: an enum value appended", sql: "ALTER TABLE `User` MODIFY `role` ENUM('USER', 'ADMIN', 'OWNER') NOT NULL DEFAULT 'USER';" }),
  ],
  invalid: [
    onMysql({
      name: "MySQL: Prisma's VARCHAR(191) to VARCHAR(50)",
      sql: "/*\n  Warnings:\n\n  - You are about to alter the column `name` on the `User` table. The data in that column could be lost. The data in that column will be cast from `VarChar(191)` to `VarChar(50)`.\n\n*/\n-- AlterTable\nALTER TABLE `User` MODIFY `name` VARCHAR(50) NULL;",
      errors: [{ messageId: "lossy", line: 8, message: "Changes `User`.`name` from varchar(191) to varchar(50), and values longer than 50 characters do not fit: under a strict sql_mode" }],
    }),
    onMysql({
      name: "MySQL: Prisma's enum with a value removed",
      sql: "-- AlterTable\nALTER TABLE `User` MODIFY `role` ENUM('USER', 'OWNER') NOT NULL DEFAULT 'USER';",
      errors: [{ messageId: "lossy", line: 2, message: "rows holding 'ADMIN' (a value the new list drops) do not fit" }],
    }),
  ],
});

// SQLite: a type change is a rebuild whose copy stores each value under the new type's affinity, converting it only
// where that is lossless (measured on sql.js: '123' into INTEGER becomes 123, 'abc' and 1.5 stay as they are), and an
// INTEGER PRIMARY KEY (the rowid) refuses anything but integers ("datatype mismatch", measured)
const EVENTS = `CREATE TABLE "Event" ("id" BLOB NOT NULL PRIMARY KEY, "model" TEXT NOT NULL, "count" INTEGER NOT NULL);\n`;
const rebuildEvent = (columns: string) => `-- RedefineTables
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_Event" (${columns});
INSERT INTO "new_Event" ("count", "id", "model") SELECT "count", "id", "model" FROM "Event";
DROP TABLE "Event";
ALTER TABLE "new_Event" RENAME TO "Event";
PRAGMA foreign_keys=ON;
`;
new RuleTester().run(rule, {
  valid: [
    { ...SQLITE, name: "SQLite: Int to BigInt, and Int to String (every number has a text form)", history: [EVENTS], sql: rebuildEvent('"id" BLOB NOT NULL PRIMARY KEY, "model" TEXT NOT NULL, "count" BIGINT NOT NULL') },
    { ...SQLITE, name: "SQLite: a rebuild that keeps every type", history: [EVENTS], sql: rebuildEvent('"id" BLOB NOT NULL PRIMARY KEY, "model" TEXT NOT NULL, "count" INTEGER NOT NULL, "note" TEXT') },
    { ...SQLITE, name: "SQLite: a rebuild of a table new in the migration", sql: `${EVENTS}${rebuildEvent('"id" BLOB NOT NULL PRIMARY KEY, "model" INTEGER NOT NULL, "count" INTEGER NOT NULL')}` },
  ],
  invalid: [
    {
      ...SQLITE,
      name: "SQLite: String to Int (spacedrive's 20240408081222_numeric_sync_model_id): text that is not a number is kept, and Prisma Client cannot read it",
      history: [EVENTS],
      sql: `/*\n  Warnings:\n\n  - You are about to alter the column \`model\` on the \`Event\` table. The data in that column could be lost. The data in that column will be cast from \`String\` to \`Int\`.\n\n*/\n${rebuildEvent('"id" BLOB NOT NULL PRIMARY KEY, "model" INTEGER NOT NULL, "count" INTEGER NOT NULL')}`,
      errors: [{ messageId: "kept", line: 10, message: 'Changes "Event"."model" from text to integer in a table rebuild: its copy converts a value only where the new type can hold it without loss, and text that is not a whole number and numbers with a fraction stay stored as they are. No data is lost and the migration does not fail' }],
    },
    {
      ...SQLITE,
      name: "SQLite: a BLOB key made the INTEGER PRIMARY KEY (spacedrive's 20240319065147_remove_remoteidentity): the copy fails",
      history: [EVENTS],
      sql: rebuildEvent('"id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT, "model" TEXT NOT NULL, "count" INTEGER NOT NULL'),
      errors: [{ messageId: "copyFails", line: 4, message: `which takes integers only (any other value: datatype mismatch): the copy (this INSERT) fails on the first row whose value does not fit; the statements before it have already run one by one, so "new_Event" stays behind` }],
    },
  ],
});
