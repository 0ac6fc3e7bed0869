import { RuleTester, runRuleCase } from "../../src/testing/rule-tester.js";
import rule from "../../rules/prefer-timestamptz.js";

const PRISMA_USER = `-- CreateTable
CREATE TABLE "User" (
    "id" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "User_pkey" PRIMARY KEY ("id")
);`;
const SCHEMA = `datasource db {
  provider = "postgresql"
  url      = env("DATABASE_URL")
}

model User {
  id        String   @id @default(cuid())
  createdAt DateTime @default(now())
  updatedAt DateTime @updatedAt
}
`;

new RuleTester().run(rule, {
  valid: [
    { name: "@db.Timestamptz(3)", sql: `-- CreateTable\nCREATE TABLE "User" (\n    "id" TEXT NOT NULL,\n    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,\n    CONSTRAINT "User_pkey" PRIMARY KEY ("id")\n);` },
    { name: "timestamp with time zone, date and time", sql: `CREATE TABLE "e" ("at" timestamp with time zone, "day" DATE, "t" TIME);` },
    { name: "converting to timestamptz", history: [PRISMA_USER], sql: `ALTER TABLE "User" ALTER COLUMN "createdAt" SET DATA TYPE TIMESTAMPTZ(3) USING "createdAt" AT TIME ZONE 'UTC';` },
  ],
  invalid: [
    {
      name: "Prisma's DateTime columns",
      sql: PRISMA_USER,
      schema: SCHEMA,
      errors: [
        { messageId: "timestamp", line: 4, column: 5, endLine: 4, message: 'Column "createdAt" of "User" is timestamp(3), timestamp without time zone (field User.createdAt, schema.prisma:8)' },
        { messageId: "timestamp", line: 5, column: 5, message: '"updatedAt"' },
      ],
    },
    { name: "ADD COLUMN", history: [PRISMA_USER], sql: `-- AlterTable\nALTER TABLE "User" ADD COLUMN     "deletedAt" TIMESTAMP(3);`, errors: [{ messageId: "timestamp", line: 2, column: 20 }] },
    { name: "hand-written timestamp without time zone, and arrays", sql: `CREATE TABLE events (at timestamp without time zone NOT NULL, seen TIMESTAMP[]);`, errors: [{ messageId: "timestamp", message: '"at"' }, { messageId: "timestamp", message: "timestamp[]" }] },
    { name: "ALTER COLUMN TYPE to timestamp", history: [`CREATE TABLE "e" ("at" TEXT);`], sql: `ALTER TABLE "e" ALTER COLUMN "at" TYPE TIMESTAMP(6) USING "at"::timestamp;`, errors: [{ messageId: "timestamp" }] },
  ],
});

describe("prefer-timestamptz help", () => {
  it("gives the schema.prisma fix", async () => {
    const [finding] = await runRuleCase("prefer-timestamptz", { sql: PRISMA_USER, schema: SCHEMA });
    expect(finding?.help).toContain("`createdAt DateTime @db.Timestamptz(3)`");
  });
});
