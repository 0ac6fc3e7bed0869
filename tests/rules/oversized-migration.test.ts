import { RuleTester } from "../../src/testing/rule-tester.js";
import rule from "../../rules/oversized-migration.js";

const tables = (n: number) => Array.from({ length: n }, (_, i) => `CREATE TABLE "T${i}" ("id" SERIAL NOT NULL, CONSTRAINT "T${i}_pkey" PRIMARY KEY ("id"));`).join("\n");
const addColumns = (n: number) => Array.from({ length: n }, (_, i) => `-- AlterTable\nALTER TABLE "T${i}" ADD COLUMN     "note" TEXT;`).join("\n\n");

new RuleTester().run(rule, {
  valid: [
    { name: "a small Prisma migration", history: [tables(2)], sql: addColumns(2) },
    { name: "the baseline (first migration) is exempt", sql: tables(60) },
    { name: "many new tables change no existing table", history: [tables(1)], sql: tables(12).replace(/"T(\d+)/g, '"N$1') },
    { name: "transaction and SET statements are not counted", history: [tables(3)], options: { maxStatements: 3 }, sql: `BEGIN;\nSET LOCAL lock_timeout = '5s';\n${addColumns(3)}\nCOMMIT;` },
  ],
  invalid: [
    { name: "more than 50 statements", history: [tables(1)], sql: Array.from({ length: 51 }, (_, i) => `INSERT INTO "T0" ("id") VALUES (${i});`).join("\n"), errors: [{ messageId: "oversized", line: 1, column: 1, message: "51 statements (limit 50)" }] },
    { name: "more than 10 existing tables changed", history: [tables(11)], sql: addColumns(11), errors: [{ messageId: "oversized", message: "11 existing tables changed (limit 10: T0, T1, T2, T3, T4, ...)" }] },
    { name: "more than 64 KiB", history: [tables(1)], sql: `-- ${"x".repeat(70_000)}\nSELECT 1;`, errors: [{ messageId: "oversized", message: "69 KiB (limit 64 KiB)" }] },
    { name: "the first migration with exemptFirst: false", options: { exemptFirst: false, maxStatements: 5 }, sql: tables(6), errors: [{ messageId: "oversized", message: "6 statements (limit 5)" }] },
    { name: "every exceeded limit in one finding", history: [tables(3)], options: { maxStatements: 2, maxTables: 2 }, sql: addColumns(3), errors: [{ messageId: "oversized", message: "3 statements (limit 2), 3 existing tables changed (limit 2" }] },
  ],
});
