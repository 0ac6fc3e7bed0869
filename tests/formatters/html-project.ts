/**
 * A small Prisma project whose names attack an HTML report: a migration folder named like an <img> tag with an
 * onerror handler, a column whose quoted name holds a quote and a <script> element. Its second migration also
 * drops an index (its lock is found through the history) and builds one, so the report has locks to show.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";

export const HOSTILE_MIGRATION = "20240201000000_<img src=x onerror=alert(1)>";
export const HOSTILE_COLUMN = '"x""<script>alert(1)</script>"';

const SCHEMA = `datasource db {
  provider = "postgresql"
  url      = env("DATABASE_URL")
}

model User {
  id    Int    @id @default(autoincrement())
  email String @unique
  posts Post[]
}

model Post {
  id       Int  @id @default(autoincrement())
  authorId Int
  author   User @relation(fields: [authorId], references: [id])
}
`;

/** What \`prisma migrate dev\` generates for the schema above. */
const INIT = `-- CreateTable
CREATE TABLE "User" (
    "id" SERIAL NOT NULL,
    "email" TEXT NOT NULL,

    CONSTRAINT "User_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Post" (
    "id" SERIAL NOT NULL,
    "authorId" INTEGER NOT NULL,

    CONSTRAINT "Post_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "User_email_key" ON "User"("email");

-- AddForeignKey
ALTER TABLE "Post" ADD CONSTRAINT "Post_authorId_fkey" FOREIGN KEY ("authorId") REFERENCES "User"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
`;

const HOSTILE = `-- DropIndex
DROP INDEX "User_email_key";

-- AlterTable
ALTER TABLE "User" ADD COLUMN ${HOSTILE_COLUMN} TEXT NOT NULL;

-- CreateIndex
CREATE INDEX "Post_authorId_idx" ON "Post"("authorId");
`;

/** Writes the project into a new temporary folder and returns it. */
export function hostileProject(): string {
  const root = mkdtempSync(path.join(os.tmpdir(), "migration-lint-html-"));
  const write = (rel: string, text: string) => {
    const file = path.join(root, rel);
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, text);
  };
  write("prisma/schema.prisma", SCHEMA);
  write("prisma/migrations/migration_lock.toml", 'provider = "postgresql"\n');
  write("prisma/migrations/20240101000000_init/migration.sql", INIT);
  write(`prisma/migrations/${HOSTILE_MIGRATION}/migration.sql`, HOSTILE);
  return root;
}
