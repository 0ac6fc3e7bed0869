import { RuleTester } from "../../src/testing/rule-tester.js";
import rule from "../../rules/blocking-maintenance.js";

const USERS = `-- CreateTable
CREATE TABLE "User" (
    "id" SERIAL NOT NULL,
    "email" TEXT NOT NULL,
    CONSTRAINT "User_pkey" PRIMARY KEY ("id")
);
-- CreateIndex
CREATE UNIQUE INDEX "User_email_key" ON "User"("email");`;

new RuleTester().run(rule, {
  valid: [
    { name: "a Prisma migration", history: [USERS], sql: `-- AlterTable\nALTER TABLE "User" ADD COLUMN     "name" TEXT;` },
    { name: "plain VACUUM and ANALYZE", history: [USERS], sql: `VACUUM "User";\nANALYZE "User";` },
    { name: "maintenance on a table created in the same migration", sql: `${USERS}\nVACUUM FULL "User";\nCLUSTER "User" USING "User_email_key";\nLOCK TABLE "User" IN ACCESS EXCLUSIVE MODE;` },
    { name: "weak explicit locks", history: [USERS], sql: `LOCK TABLE "User" IN ROW EXCLUSIVE MODE;` },
    { name: "REINDEX CONCURRENTLY", history: [USERS], sql: `REINDEX INDEX CONCURRENTLY "User_email_key";` },
    { name: "REFRESH ... CONCURRENTLY, and a view created in the same migration", history: [USERS], sql: `REFRESH MATERIALIZED VIEW CONCURRENTLY "user_stats";\nCREATE MATERIALIZED VIEW "mv" AS SELECT count(*) FROM "User";\nREFRESH MATERIALIZED VIEW "mv";` },
  ],
  invalid: [
    { name: "VACUUM FULL", history: [USERS], sql: `VACUUM FULL "User";`, errors: [{ messageId: "vacuumFull", line: 1, message: 'VACUUM FULL rewrites "User"' }] },
    { name: "VACUUM FULL of the whole database", history: [USERS], sql: `VACUUM (FULL, ANALYZE);`, errors: [{ messageId: "vacuumFull", message: "every table of the database" }] },
    { name: "CLUSTER", history: [USERS], sql: `CLUSTER "User" USING "User_email_key";`, errors: [{ messageId: "cluster" }] },
    { name: "LOCK TABLE (ACCESS EXCLUSIVE by default)", history: [USERS], sql: `BEGIN;\nLOCK TABLE "User";\nUPDATE "User" SET "email" = lower("email");\nCOMMIT;`, errors: [{ messageId: "lockTable", line: 2, message: "IN ACCESS EXCLUSIVE MODE blocks reads and writes" }] },
    { name: "LOCK TABLE IN SHARE MODE blocks writes", history: [USERS], sql: `LOCK TABLE "User" IN SHARE MODE;`, errors: [{ messageId: "lockTable", message: "blocks writes" }] },
    { name: "REINDEX without CONCURRENTLY", history: [USERS], sql: `REINDEX INDEX "User_email_key";\nREINDEX TABLE "User";`, errors: [{ messageId: "reindex", line: 1, message: 'of "User"' }, { messageId: "reindex", line: 2, message: 'every index of "User"' }] },
    { name: "REFRESH MATERIALIZED VIEW without CONCURRENTLY", history: [USERS], sql: `REFRESH MATERIALIZED VIEW "user_stats";`, errors: [{ messageId: "refresh" }] },
    { name: "SET TABLESPACE and SET UNLOGGED", history: [USERS], sql: `ALTER TABLE "User" SET TABLESPACE "fast_ssd";\nALTER TABLE "User" SET UNLOGGED;`, errors: [{ messageId: "rewrite", line: 1, message: "SET TABLESPACE" }, { messageId: "rewrite", line: 2, message: "SET UNLOGGED" }] },
  ],
});
