import { RuleTester } from "../../src/testing/rule-tester.js";
import rule from "../../rules/ban-char.js";

new RuleTester().run(rule, {
  valid: [
    { name: "text and varchar", sql: `CREATE TABLE "t" ("a" TEXT, "b" VARCHAR(2));` },
    { name: "the internal one-byte \"char\" type is not bpchar", sql: `CREATE TABLE "t" ("flag" "char");` },
  ],
  invalid: [
    {
      name: "Prisma's @db.Char(2)",
      sql: `-- CreateTable\nCREATE TABLE "session" (\n    "id" UUID NOT NULL,\n    "country" CHAR(2),\n    CONSTRAINT "session_pkey" PRIMARY KEY ("id")\n);`,
      errors: [{ messageId: "char", line: 4, column: 5, message: 'Column "country" of "session" is char(2): shorter values are padded with spaces to 2 characters' }],
    },
    { name: "character(n), bare char and ADD COLUMN", history: [`CREATE TABLE "t" ("id" INT);`], sql: `ALTER TABLE "t" ADD COLUMN "code" character(10), ADD COLUMN "flag" CHAR;`, errors: [{ messageId: "char", message: "char(10)" }, { messageId: "char", message: "char(1)" }] },
    { name: "ALTER COLUMN TYPE char(n)", history: [`CREATE TABLE "t" ("code" TEXT);`], sql: `ALTER TABLE "t" ALTER COLUMN "code" TYPE char(3);`, errors: [{ messageId: "char" }] },
  ],
});
