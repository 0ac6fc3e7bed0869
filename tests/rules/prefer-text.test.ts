import { RuleTester } from "../../src/testing/rule-tester.js";
import rule from "../../rules/prefer-text.js";

const SCHEMA = `datasource db {
  provider = "postgresql"
  url      = env("DATABASE_URL")
}

model User {
  id       Int    @id @default(autoincrement())
  username String @db.VarChar(255)
}
`;

new RuleTester().run(rule, {
  valid: [
    { name: "Prisma's String is text", sql: `-- CreateTable\nCREATE TABLE "User" (\n    "id" SERIAL NOT NULL,\n    "username" TEXT NOT NULL,\n    CONSTRAINT "User_pkey" PRIMARY KEY ("id")\n);` },
    { name: "varchar without a length", sql: `CREATE TABLE "t" ("name" VARCHAR, "code" character varying);` },
    { name: "widening to text", history: [`CREATE TABLE "t" ("name" VARCHAR(50));`], sql: `ALTER TABLE "t" ALTER COLUMN "name" SET DATA TYPE TEXT;` },
  ],
  invalid: [
    {
      name: "Prisma's @db.VarChar(255)",
      schema: SCHEMA,
      sql: `-- CreateTable\nCREATE TABLE "User" (\n    "id" SERIAL NOT NULL,\n    "username" VARCHAR(255) NOT NULL,\n    CONSTRAINT "User_pkey" PRIMARY KEY ("id")\n);`,
      errors: [{ messageId: "varchar", line: 4, column: 5, message: 'Column "username" of "User" is varchar(255) (field User.username, schema.prisma:8)' }],
    },
    { name: "ADD COLUMN and character varying(n)", history: [`CREATE TABLE "t" ("id" INT);`], sql: `ALTER TABLE "t" ADD COLUMN "code" character varying(12);`, errors: [{ messageId: "varchar", message: "varchar(12)" }] },
    { name: "ALTER COLUMN TYPE varchar(n)", history: [`CREATE TABLE "t" ("name" TEXT);`], sql: `-- AlterTable\nALTER TABLE "t" ALTER COLUMN "name" SET DATA TYPE VARCHAR(100);`, errors: [{ messageId: "varchar", line: 2 }] },
  ],
});
