import { RuleTester } from "../../src/testing/rule-tester.js";
import rule from "../../rules/lock-timeout.js";

const USERS = `-- CreateTable
CREATE TABLE "User" (
    "id" SERIAL NOT NULL,
    "email" TEXT NOT NULL,
    "name" TEXT,
    CONSTRAINT "User_pkey" PRIMARY KEY ("id")
);
-- CreateIndex
CREATE INDEX "User_name_idx" ON "User"("name");`;

const POSTS = `-- CreateTable
CREATE TABLE "Post" (
    "id" SERIAL NOT NULL,
    "title" TEXT NOT NULL,
    "authorId" INTEGER NOT NULL,
    CONSTRAINT "Post_pkey" PRIMARY KEY ("id")
);`;

new RuleTester().run(rule, {
  valid: [
    { name: "what --fix writes lints clean: SET LOCAL under the whole-file runner", history: [USERS], sql: `SET LOCAL lock_timeout = '5s';\n\n-- AlterTable\nALTER TABLE "User" ADD COLUMN     "age" INTEGER;` },
    { name: "what --fix writes lints clean: SET and RESET under Prisma 7.4+", history: [USERS], prismaVersion: "7.4.0", sql: `SET lock_timeout = '5s';\r\n\r\n-- AlterTable\r\nALTER TABLE "User" ADD COLUMN "age" INTEGER;\r\n\r\nRESET lock_timeout;\r\n` },
    { name: "Prisma 6/7: a statement_timeout bounds the wait of a brief lock just as a lock_timeout does", history: [USERS], sql: `SET statement_timeout = '5s';\n\n-- AlterTable\nALTER TABLE "public"."User" ADD COLUMN     "age" INTEGER;` },
    { name: "hand-written: statement_timeout before LOCK TABLE (instant to take once granted)", history: [USERS], sql: `SET statement_timeout = '30s';\nLOCK TABLE "User" IN SHARE MODE;` },
    { name: "Prisma's first migration: only new tables", sql: `${USERS}\n${POSTS}\n-- AddForeignKey\nALTER TABLE "Post" ADD CONSTRAINT "Post_authorId_fkey" FOREIGN KEY ("authorId") REFERENCES "User"("id") ON DELETE RESTRICT ON UPDATE CASCADE;` },
    { name: "SET lock_timeout at the top", history: [USERS], sql: `SET lock_timeout = '5s';\n-- AlterTable\nALTER TABLE "User" ADD COLUMN "age" INTEGER;` },
    { name: "SET LOCAL inside the block", history: [USERS], sql: `BEGIN;\nSET LOCAL lock_timeout = '3s';\nSET LOCAL statement_timeout = '30s';\nALTER TABLE "User" DROP COLUMN "name";\nCOMMIT;` },
    { name: "SET LOCAL outside a block holds for the whole file when Prisma runs it as one script", history: [USERS], sql: `SET LOCAL lock_timeout = '5s';\nALTER TABLE "User" ADD COLUMN "age" INTEGER;` },
    { name: "locks that do not block writes: CREATE INDEX CONCURRENTLY, UPDATE", history: [USERS], sql: `CREATE INDEX CONCURRENTLY "User_email_idx" ON "User"("email");\nUPDATE "User" SET "name" = 'x' WHERE "name" IS NULL;` },
    { name: "a defensive DROP TABLE IF EXISTS of a table no migration created", sql: `DROP TABLE IF EXISTS "events"."run_executions";\nCREATE TABLE "events"."run_executions" ("id" TEXT);` },
    { name: "an enum value: no table lock", history: [`CREATE TYPE "Role" AS ENUM ('USER');`], sql: `-- AlterEnum\nALTER TYPE "Role" ADD VALUE 'ADMIN';` },
  ],
  invalid: [
    {
      name: "Prisma's ALTER TABLE on an existing table",
      history: [USERS],
      sql: `-- AlterTable\nALTER TABLE "User" ADD COLUMN     "age" INTEGER;`,
      errors: [{ messageId: "missing", line: 2, column: 20, message: 'Takes an ACCESS EXCLUSIVE lock on "User" with no lock_timeout set (1 unguarded statement' }],
      output: `SET LOCAL lock_timeout = '5s';\n\n-- AlterTable\nALTER TABLE "User" ADD COLUMN     "age" INTEGER;`,
    },
    {
      name: "reported once, at the first statement, with the count",
      history: [USERS, POSTS],
      sql: `-- DropIndex\nDROP INDEX "User_name_idx";\n\n-- AlterTable\nALTER TABLE "User" ALTER COLUMN "name" SET NOT NULL;\n\n-- AddForeignKey\nALTER TABLE "Post" ADD CONSTRAINT "Post_authorId_fkey" FOREIGN KEY ("authorId") REFERENCES "User"("id") ON DELETE RESTRICT ON UPDATE CASCADE;`,
      errors: [{ messageId: "missing", line: 2, message: "(3 unguarded statements in this migration" }],
      output: `SET LOCAL lock_timeout = '5s';\n\n-- DropIndex\nDROP INDEX "User_name_idx";\n\n-- AlterTable\nALTER TABLE "User" ALTER COLUMN "name" SET NOT NULL;\n\n-- AddForeignKey\nALTER TABLE "Post" ADD CONSTRAINT "Post_authorId_fkey" FOREIGN KEY ("authorId") REFERENCES "User"("id") ON DELETE RESTRICT ON UPDATE CASCADE;`,
    },
    {
      name: "a new table's foreign key locks the existing table it references",
      history: [USERS],
      sql: `${POSTS}\n-- AddForeignKey\nALTER TABLE "Post" ADD CONSTRAINT "Post_authorId_fkey" FOREIGN KEY ("authorId") REFERENCES "User"("id") ON DELETE RESTRICT ON UPDATE CASCADE;`,
      errors: [{ messageId: "missing", line: 9, message: 'a SHARE ROW EXCLUSIVE lock on "User"' }],
      output: `SET LOCAL lock_timeout = '5s';\n\n${POSTS}\n-- AddForeignKey\nALTER TABLE "Post" ADD CONSTRAINT "Post_authorId_fkey" FOREIGN KEY ("authorId") REFERENCES "User"("id") ON DELETE RESTRICT ON UPDATE CASCADE;`,
    },
    {
      name: "lock_timeout = 0 disables the timeout",
      history: [USERS],
      sql: `SET lock_timeout = 0;\nALTER TABLE "User" DROP COLUMN "name";`,
      errors: [{ messageId: "missing", line: 2 }],
    },
    {
      name: "lock_timeout = '0' disables it too",
      history: [USERS],
      sql: `SET lock_timeout TO '0';\nCREATE INDEX "User_email_idx" ON "User"("email");`,
      errors: [{ messageId: "missing", line: 2, message: "a SHARE lock" }],
    },
    {
      name: "a SET after the statement is too late",
      history: [USERS],
      sql: `ALTER TABLE "User" DROP COLUMN "name";\nSET lock_timeout = '5s';`,
      errors: [{ messageId: "missing", line: 1 }],
    },
    {
      name: "SET LOCAL ends with the block's COMMIT",
      history: [USERS],
      sql: `BEGIN;\nSET LOCAL lock_timeout = '5s';\nALTER TABLE "User" ADD COLUMN "age" INTEGER;\nCOMMIT;\nALTER TABLE "User" DROP COLUMN "name";`,
      errors: [{ messageId: "missing", line: 5 }],
    },
    {
      name: "RESET lock_timeout",
      history: [USERS],
      sql: `SET lock_timeout = '5s';\nRESET lock_timeout;\nALTER TABLE "User" DROP COLUMN "name";`,
      errors: [{ messageId: "missing", line: 3 }],
    },
    {
      name: "SET LOCAL outside a block does nothing when Prisma sends statements one by one (7.4+)",
      history: [USERS],
      prismaVersion: "7.4.0",
      sql: `SET LOCAL lock_timeout = '5s';\nALTER TABLE "User" ADD COLUMN "age" INTEGER;`,
      errors: [{ messageId: "missing", line: 2 }],
    },
    {
      name: "a statement_timeout bounds the wait, but only to what the statement's own work needs: a rewrite keeps the finding, with the bound",
      history: [USERS],
      sql: `SET statement_timeout = '10min';\nALTER TABLE "User" ALTER COLUMN "email" SET DATA TYPE VARCHAR(100);`,
      errors: [{ messageId: "missing", line: 2, message: "for as long as it waits (at most the statement_timeout of 10min set on line 1, which must also cover the statement's own work, so the queue can stay blocked that long)." }],
      output: `SET LOCAL lock_timeout = '5s';\n\nSET statement_timeout = '10min';\nALTER TABLE "User" ALTER COLUMN "email" SET DATA TYPE VARCHAR(100);`,
    },
    {
      name: "the fix under Prisma 7.4+ (statements sent one by one): SET, and RESET at the end so the session's setting does not outlive the file; a CRLF file stays CRLF",
      history: [USERS],
      prismaVersion: "7.4.0",
      sql: `-- AlterTable\r\nALTER TABLE "User" ADD COLUMN "age" INTEGER;\r\n`,
      errors: [{ messageId: "missing", line: 2 }],
      output: `SET lock_timeout = '5s';\r\n\r\n-- AlterTable\r\nALTER TABLE "User" ADD COLUMN "age" INTEGER;\r\n\r\nRESET lock_timeout;\r\n`,
    },
    {
      name: "the fix keeps the BOM and ends a last statement that has no semicolon before the RESET",
      history: [USERS],
      prismaVersion: "7.4.0",
      sql: `\uFEFFALTER TABLE "User" ADD COLUMN "age" INTEGER`,
      errors: [{ messageId: "missing", line: 1 }],
      output: `\uFEFFSET lock_timeout = '5s';\n\nALTER TABLE "User" ADD COLUMN "age" INTEGER;\n\nRESET lock_timeout;\n`,
    },
    {
      name: "no fix where the file has BEGIN / COMMIT under the whole-file runner: SET LOCAL would end at the first COMMIT",
      history: [USERS],
      sql: `BEGIN;\nALTER TABLE "User" ADD COLUMN "age" INTEGER;\nCOMMIT;`,
      errors: [{ messageId: "missing", line: 2 }],
      output: null,
    },
    {
      name: "no fix in a file with CONCURRENTLY (alone in its file under the whole-file runner; a lock timeout cancelling the build leaves an INVALID index)",
      history: [USERS],
      prismaVersion: "7.4.0",
      sql: `CREATE INDEX CONCURRENTLY "User_email_idx" ON "User"("email");\nALTER TABLE "User" ADD COLUMN "age" INTEGER;`,
      errors: [{ messageId: "missing", line: 2 }],
      output: null,
    },
  ],
});
