import { RuleTester } from "../../src/testing/rule-tester.js";
import rule from "../../rules/provider-mismatch.js";

const schema = (provider: string) => `datasource db {\n  provider = "${provider}"\n  url      = env("DATABASE_URL")\n}\n\nmodel User {\n  id Int @id\n}\n`;
const sql = `-- CreateTable\nCREATE TABLE "User" ("id" INTEGER NOT NULL, CONSTRAINT "User_pkey" PRIMARY KEY ("id"));`;

new RuleTester().run(rule, {
  valid: [
    { name: "lock and schema agree", sql, schema: schema("postgresql"), lockProvider: "postgresql" },
    { name: "postgres is the same provider as postgresql", sql, schema: schema("postgres"), lockProvider: "postgresql" },
    { name: "no lock file", sql, schema: schema("mysql") },
    { name: "provider from env() cannot be compared", sql, schema: 'datasource db {\n  provider = env("PROVIDER")\n  url = env("DATABASE_URL")\n}\n', lockProvider: "postgresql" },
  ],
  invalid: [
    {
      name: "PostgreSQL is not another database but a provider Prisma does not know (it wants lower case)",
      sql,
      schema: schema("PostgreSQL"),
      lockProvider: "postgresql",
      errors: [{ messageId: "unknown", line: 1, message: 'The datasource in schema.prisma says provider "PostgreSQL", which Prisma does not know: every Prisma command rejects the schema (P1012: Datasource provider not known: "PostgreSQL"). Provider names are lower case.' }],
    },
    {
      name: "schema switched to another provider",
      sql,
      schema: schema("cockroachdb"),
      lockProvider: "postgresql",
      errors: [{ messageId: "mismatch", line: 1, message: 'migration_lock.toml says provider "postgresql" but the datasource in schema.prisma says "cockroachdb"' }],
    },
  ],
});
