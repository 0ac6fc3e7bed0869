import { RuleTester } from "../../src/testing/rule-tester.js";
import rule from "../../rules/transaction-balance.js";
import { onMysql } from "./mysql-fixtures.js";
import { SQLITE } from "./sqlite-fixtures.js";

const ROLE = `CREATE TYPE "Role" AS ENUM ('USER', 'ADMIN', 'GUEST');
CREATE TABLE "User" ("id" SERIAL NOT NULL, "role" "Role" NOT NULL DEFAULT 'USER', CONSTRAINT "User_pkey" PRIMARY KEY ("id"));`;

new RuleTester().run(rule, {
  valid: [
    { name: "no explicit transaction", history: [ROLE], sql: `-- AlterTable\nALTER TABLE "User" ADD COLUMN "name" TEXT;` },
    {
      name: "Prisma's AlterEnum block is balanced",
      history: [ROLE],
      sql: `/*
  Warnings:

  - The values [GUEST] on the enum \`Role\` will be removed. If these variants are still used in the database, this will fail.

*/
-- AlterEnum
BEGIN;
CREATE TYPE "Role_new" AS ENUM ('USER', 'ADMIN');
ALTER TABLE "User" ALTER COLUMN "role" DROP DEFAULT;
ALTER TABLE "User" ALTER COLUMN "role" TYPE "Role_new" USING ("role"::text::"Role_new");
ALTER TYPE "Role" RENAME TO "Role_old";
ALTER TYPE "Role_new" RENAME TO "Role";
DROP TYPE "Role_old";
ALTER TABLE "User" ALTER COLUMN "role" SET DEFAULT 'USER';
COMMIT;`,
    },
    { name: "two blocks one after the other, START TRANSACTION and END", history: [ROLE], sql: `BEGIN;\nALTER TABLE "User" ADD COLUMN "a" TEXT;\nCOMMIT;\nSTART TRANSACTION;\nALTER TABLE "User" ADD COLUMN "b" TEXT;\nEND;` },
    { name: "a block that ends in ROLLBACK", history: [ROLE], sql: `BEGIN;\nSELECT 1;\nROLLBACK;` },
  ],
  invalid: [
    { name: "BEGIN without COMMIT", history: [ROLE], sql: `BEGIN;\nALTER TABLE "User" ADD COLUMN "name" TEXT;`, errors: [{ messageId: "unclosed", line: 1, column: 1 }] },
    {
      name: "BEGIN inside a block",
      history: [ROLE],
      sql: `BEGIN;\nALTER TABLE "User" ADD COLUMN "a" TEXT;\nBEGIN;\nALTER TABLE "User" ADD COLUMN "b" TEXT;\nCOMMIT;\nCOMMIT;`,
      errors: [{ messageId: "nested", line: 3, message: "opened on line 1" }, { messageId: "stray", line: 6, message: "COMMIT without a BEGIN" }],
    },
    {
      name: "COMMIT without BEGIN, whole-file script (Prisma up to 7.3)",
      history: [ROLE],
      sql: `ALTER TABLE "User" ADD COLUMN "name" TEXT;\nCOMMIT;`,
      errors: [{ messageId: "stray", line: 2, message: "ends the transaction the whole file runs in" }],
    },
    {
      name: "ROLLBACK without BEGIN, statements sent one by one (Prisma 7.4+)",
      history: [ROLE],
      prismaVersion: "7.4.0",
      sql: `ALTER TABLE "User" ADD COLUMN "name" TEXT;\nROLLBACK;`,
      errors: [{ messageId: "stray", line: 2, message: "ROLLBACK without a BEGIN before it: it does not close a block of its own but is a no-op" }],
    },
  ],
});

// measured: SQLite (sql.js 3.54) refuses a stray COMMIT / ROLLBACK and a BEGIN inside a transaction; MySQL (MariaDB 10.11)
// passes a stray COMMIT in silence and commits the open transaction at a second BEGIN
new RuleTester().run(rule, {
  valid: [onMysql({ name: "MySQL: a balanced block", sql: "BEGIN;\nUPDATE `User` SET `name` = 'x' WHERE `id` = 1;\nCOMMIT;" })],
  invalid: [
    { ...SQLITE, name: "SQLite: a stray COMMIT fails the migration", sql: 'CREATE TABLE "A" ("id" INTEGER);\nCOMMIT;', errors: [{ messageId: "stray", line: 2, message: 'COMMIT without a BEGIN before it: it does not close a block of its own but fails: SQLite refuses it ("cannot commit - no transaction is active"' }] },
    { ...SQLITE, name: "SQLite: BEGIN inside a block fails the migration", sql: 'BEGIN;\nCREATE TABLE "A" ("id" INTEGER);\nBEGIN;\nCOMMIT;', errors: [{ messageId: "nested", line: 3, message: 'BEGIN inside an open transaction block (opened on line 1) fails: SQLite refuses it ("cannot start a transaction within a transaction")' }] },
    onMysql({ name: "MySQL: a stray COMMIT is a silent no-op", sql: "ALTER TABLE `User` ADD COLUMN `nick` VARCHAR(191) NULL;\nCOMMIT;", errors: [{ messageId: "stray", line: 2, message: "is a silent no-op (every statement before it was committed on its own)" }] }),
    onMysql({ name: "MySQL: a second BEGIN commits the first block", sql: "BEGIN;\nUPDATE `User` SET `name` = 'x' WHERE `id` = 1;\nBEGIN;\nCOMMIT;", errors: [{ messageId: "nested", line: 3, message: "commits that transaction first (MySQL ends an open transaction at BEGIN)" }] }),
  ],
});
