import { RuleTester, runRuleCase } from "../../src/testing/rule-tester.js";
import rule from "../../rules/drop-not-null.js";

const USERS = `-- CreateTable
CREATE TABLE "User" (
    "id" SERIAL NOT NULL,
    "email" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "bio" TEXT,
    CONSTRAINT "User_pkey" PRIMARY KEY ("id")
);`;
const SCHEMA = `datasource db {
  provider = "postgresql"
  url      = env("DATABASE_URL")
}

model User {
  id    Int     @id @default(autoincrement())
  email String
  name  String?
  bio   String?
}
`;

new RuleTester().run(rule, {
  valid: [
    { name: "a column added in the same migration", history: [USERS], sql: `ALTER TABLE "User" ADD COLUMN "age" INTEGER NOT NULL DEFAULT 0;\nALTER TABLE "User" ALTER COLUMN "age" DROP NOT NULL;` },
    { name: "a table created in the same migration", sql: `${USERS}\nALTER TABLE "User" ALTER COLUMN "name" DROP NOT NULL;` },
    { name: "a column that is already nullable", history: [USERS], sql: `ALTER TABLE "User" ALTER COLUMN "bio" DROP NOT NULL;` },
    { name: "SET NOT NULL is another rule's business", history: [USERS], sql: `ALTER TABLE "User" ALTER COLUMN "bio" SET NOT NULL;` },
  ],
  invalid: [
    {
      name: "Prisma's DROP NOT NULL for a field made optional",
      history: [USERS],
      schema: SCHEMA,
      sql: `-- AlterTable\nALTER TABLE "User" ALTER COLUMN "name" DROP NOT NULL;`,
      errors: [{ messageId: "dropNotNull", line: 2, column: 20, message: 'Makes column "name" of "User" nullable (field User.name, schema.prisma:9)' }],
    },
    {
      name: "several clauses of one ALTER TABLE",
      history: [USERS],
      sql: `ALTER TABLE "User" ALTER COLUMN "email" DROP NOT NULL,\nALTER COLUMN "name" DROP NOT NULL;`,
      errors: [{ messageId: "dropNotNull", line: 1, message: '"email"' }, { messageId: "dropNotNull", line: 2, message: '"name"' }],
    },
    { name: "a column the history does not know", sql: `ALTER TABLE "orders" ALTER COLUMN "total" DROP NOT NULL;`, errors: [{ messageId: "dropNotNull" }] },
  ],
});

describe("drop-not-null help", () => {
  it("names the optional field as the fix", async () => {
    const [finding] = await runRuleCase("drop-not-null", { history: [USERS], schema: SCHEMA, sql: `ALTER TABLE "User" ALTER COLUMN "name" DROP NOT NULL;` });
    expect(finding?.help).toContain("(`name String?` at schema.prisma:9)");
  });
});
