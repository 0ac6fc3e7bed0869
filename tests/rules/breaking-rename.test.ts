import { RuleTester, runRuleCase } from "../../src/testing/rule-tester.js";
import rule from "../../rules/breaking-rename.js";
import { onMysql } from "./mysql-fixtures.js";
import { SQLITE, usersPostsSessions } from "./sqlite-fixtures.js";
import { TASKS, SWAP, COPY_THEN_DROP } from "./data-moves.js";

const USERS = `-- CreateTable
CREATE TABLE "User" (
    "id" SERIAL NOT NULL,
    "name" TEXT NOT NULL,
    CONSTRAINT "User_pkey" PRIMARY KEY ("id")
);`;
const ROLE = `-- CreateEnum
CREATE TYPE "Role" AS ENUM ('USER', 'ADMIN', 'GUEST');
ALTER TABLE "User" ADD COLUMN "role" "Role" NOT NULL DEFAULT 'USER';`;
const SCHEMA = `datasource db {
  provider = "postgresql"
  url      = env("DATABASE_URL")
}

model User {
  id       Int    @id @default(autoincrement())
  fullName String
}
`;

new RuleTester().run(rule, {
  valid: [
    { name: "a column swap keeps the column's name (column-type-change reports it)", history: [USERS, TASKS], sql: SWAP },
    { name: "renaming a column added in the same migration", history: [USERS], sql: `ALTER TABLE "User" ADD COLUMN "tmp" TEXT;\nALTER TABLE "User" RENAME COLUMN "tmp" TO "nickname";` },
    { name: "renaming a table created in the same migration", sql: `${USERS}\nALTER TABLE "User" RENAME TO "Account";` },
    {
      name: "Prisma's enum recreation is not a rename",
      history: [USERS, ROLE],
      sql: `-- AlterEnum
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
    {
      name: "a hand-written swap: the old name is created again",
      history: [USERS, ROLE],
      sql: `ALTER TYPE "Role" RENAME TO "Role_old";\nCREATE TYPE "Role" AS ENUM ('GUEST', 'USER', 'ADMIN');\nALTER TABLE "User" ALTER COLUMN "role" TYPE "Role" USING "role"::text::"Role";\nDROP TYPE "Role_old";`,
    },
    { name: "an index rename is invisible to the app", history: [USERS, `CREATE INDEX "User_name_idx" ON "User"("name");`], sql: `-- RenameIndex\nALTER INDEX "User_name_idx" RENAME TO "User_name_key";` },
  ],
  invalid: [
    {
      name: "a drop after copying the data into a new column is a rename in effect",
      history: [USERS],
      sql: COPY_THEN_DROP,
      errors: [{ messageId: "moved", line: 7, column: 20, message: 'Drops column "name" of "User" after copying its data into "displayName" (line 4): the data is kept' }],
    },
    {
      name: "RENAME COLUMN of an existing column",
      history: [USERS],
      sql: `ALTER TABLE "User" RENAME COLUMN "name" TO "fullName";`,
      errors: [{ messageId: "column", line: 1, column: 1, message: 'Renames column "name" of "User" to "fullName"' }],
    },
    { name: "RENAME TO of an existing table", history: [USERS], sql: `ALTER TABLE "User" RENAME TO "Account";`, errors: [{ messageId: "table", message: 'Renames table "User" to "Account"' }] },
    { name: "ALTER TYPE ... RENAME TO of an existing enum", history: [USERS, ROLE], sql: `ALTER TYPE "Role" RENAME TO "UserRole";`, errors: [{ messageId: "type" }] },
    { name: "ALTER TYPE ... RENAME VALUE", history: [USERS, ROLE], sql: `ALTER TYPE "Role" RENAME VALUE 'GUEST' TO 'VISITOR';`, errors: [{ messageId: "value", message: "Renames value 'GUEST' of enum \"Role\" to 'VISITOR'" }] },
    { name: "a table the history does not know is assumed to exist", sql: `ALTER TABLE "legacy_orders" RENAME COLUMN "total" TO "amount";`, errors: [{ messageId: "column" }] },
  ],
});

describe("breaking-rename help", () => {
  it("points at the field in schema.prisma", async () => {
    const [finding] = await runRuleCase("breaking-rename", { history: [USERS], schema: SCHEMA, sql: `ALTER TABLE "User" RENAME COLUMN "name" TO "fullName";` });
    expect(finding?.help).toContain('`fullName ... @map("name")` (schema.prisma:8)');
  });
});

// MySQL and SQLite: a rename breaks the previous release the same way; names are quoted as each database does
new RuleTester().run(rule, {
  valid: [onMysql({ name: "MySQL: a column added in the same migration, then renamed", sql: "ALTER TABLE `User` ADD COLUMN `nick` VARCHAR(191) NULL;\nALTER TABLE `User` RENAME COLUMN `nick` TO `nickname`;" })],
  invalid: [
    onMysql({ name: "MySQL: RENAME COLUMN", sql: "ALTER TABLE `User` RENAME COLUMN `name` TO `fullName`;", errors: [{ messageId: "column", line: 1, message: "Renames column `name` of `User` to `fullName`: while the deploy rolls out" }] }),
    { ...SQLITE, name: "SQLite: RENAME COLUMN", history: [usersPostsSessions], sql: 'ALTER TABLE "User" RENAME COLUMN "name" TO "fullName";', errors: [{ messageId: "column", line: 1, message: 'Renames column "name" of "User" to "fullName"' }] },
  ],
});
