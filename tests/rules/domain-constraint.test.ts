import { RuleTester } from "../../src/testing/rule-tester.js";
import rule from "../../rules/domain-constraint.js";

new RuleTester().run(rule, {
  valid: [
    { name: "a domain without constraints", sql: `CREATE DOMAIN "email" AS TEXT;` },
    { name: "a CHECK on the table column", sql: `CREATE TABLE "User" ("email" TEXT NOT NULL, CONSTRAINT "User_email_check" CHECK ("email" LIKE '%@%'));` },
    { name: "ALTER DOMAIN ADD CONSTRAINT ... NOT VALID", sql: `ALTER DOMAIN "email" ADD CONSTRAINT "email_at" CHECK (VALUE LIKE '%@%') NOT VALID;` },
    { name: "ALTER DOMAIN DROP CONSTRAINT", sql: `ALTER DOMAIN "email" DROP CONSTRAINT "email_at";` },
  ],
  invalid: [
    { name: "CREATE DOMAIN ... CHECK", sql: `CREATE DOMAIN "positive_int" AS INTEGER CHECK (VALUE > 0);`, errors: [{ messageId: "create", line: 1, column: 1, message: 'Domain "positive_int" carries a CHECK constraint' }] },
    { name: "ALTER DOMAIN ADD CONSTRAINT", sql: `ALTER DOMAIN public.email ADD CONSTRAINT email_at CHECK (VALUE LIKE '%@%');`, errors: [{ messageId: "alter", message: 'ALTER DOMAIN "public.email" ADD CONSTRAINT ... CHECK checks every row' }] },
    { name: "ALTER DOMAIN SET NOT NULL", sql: `ALTER DOMAIN "email" SET NOT NULL;`, errors: [{ messageId: "alter", message: "SET NOT NULL" }] },
  ],
});
