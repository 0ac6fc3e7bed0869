import { RuleTester } from "../../src/testing/rule-tester.js";
import rule from "../../rules/transaction-balance.js";

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
