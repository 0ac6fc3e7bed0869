import { RuleTester } from "../../src/testing/rule-tester.js";
import rule from "../../rules/constraint-not-valid.js";

const USERS = `-- CreateTable
CREATE TABLE "User" (
    "id" SERIAL NOT NULL,
    "email" TEXT NOT NULL,
    "age" INTEGER,
    CONSTRAINT "User_pkey" PRIMARY KEY ("id")
);`;
const POSTS = `-- CreateTable
CREATE TABLE "Post" (
    "id" SERIAL NOT NULL,
    "title" TEXT NOT NULL,
    "authorId" INTEGER NOT NULL,
    CONSTRAINT "Post_pkey" PRIMARY KEY ("id")
);`;
const FK = `ALTER TABLE "Post" ADD CONSTRAINT "Post_authorId_fkey" FOREIGN KEY ("authorId") REFERENCES "User"("id") ON DELETE RESTRICT ON UPDATE CASCADE`;
/** The suggestion under the whole-file runner: NOT VALID here, VALIDATE in a new folder sorting right after the linted migration (`m<n>`). */
const validateLater = (migration: string, constraint: string, table: string, output: string, eol = "\n") => ({
  messageId: "validateLater",
  output,
  files: [{ filePath: `${migration}_1_validate_${constraint.toLowerCase()}/migration.sql`, text: `-- ValidateConstraint${eol}ALTER TABLE ${table} VALIDATE CONSTRAINT "${constraint}";${eol}` }],
});

new RuleTester().run(rule, {
  valid: [
    { name: "what --fix writes under Prisma 7.4+ lints clean", history: [USERS, POSTS], prismaVersion: "7.4.0", sql: `-- AddForeignKey\n${FK} NOT VALID;\nALTER TABLE "Post" VALIDATE CONSTRAINT "Post_authorId_fkey";\n` },
    {
      name: "VALIDATE of a table created in the same migration: the table is empty, nothing to scan",
      history: [USERS],
      sql: `${POSTS}\n${FK} NOT VALID;\nALTER TABLE "Post" VALIDATE CONSTRAINT "Post_authorId_fkey";`,
    },
    {
      name: "Prisma 6/7's foreign key on a table TRUNCATEd earlier in the file: no row to check",
      history: [USERS, POSTS],
      sql: `TRUNCATE TABLE "public"."Post";\n\n-- AddForeignKey\n${FK.replace('"Post"', '"public"."Post"').replace('"User"', '"public"."User"')};`,
    },
    { name: "Prisma's foreign key on a table created in the same migration", history: [USERS], sql: `${POSTS}\n\n-- AddForeignKey\n${FK};` },
    { name: "NOT VALID on an existing table", history: [USERS, POSTS], sql: `${FK} NOT VALID;` },
    { name: "VALIDATE in a later migration", history: [USERS, POSTS, `${FK} NOT VALID;`], sql: `ALTER TABLE "Post" VALIDATE CONSTRAINT "Post_authorId_fkey";` },
    { name: "a CHECK added NOT VALID", history: [USERS], sql: `ALTER TABLE "User" ADD CONSTRAINT "User_age_check" CHECK ("age" >= 0) NOT VALID;` },
    {
      name: "VALIDATE after COMMIT under Prisma 7.4+ (statements run one by one)",
      history: [USERS, POSTS],
      prismaVersion: "7.4.0",
      sql: `${FK} NOT VALID;\nALTER TABLE "Post" VALIDATE CONSTRAINT "Post_authorId_fkey";`,
    },
    { name: "a UNIQUE constraint is unique-constraint's business", history: [USERS], sql: `ALTER TABLE "User" ADD CONSTRAINT "User_email_key" UNIQUE ("email");` },
  ],
  invalid: [
    {
      name: "a CHECK after DELETE without WHERE: cannot fail, the scan still reads the dead rows",
      history: [USERS],
      sql: `DELETE FROM "User";\nALTER TABLE "User" ADD CONSTRAINT "User_age_check" CHECK ("age" >= 0);`,
      errors: [{ messageId: "validates", line: 2, message: "until the scan finishes; it cannot fail (the DELETE on line 1 emptied the table)", suggestions: [validateLater("20240101000001_m1", "User_age_check", '"User"', `DELETE FROM "User";\nALTER TABLE "User" ADD CONSTRAINT "User_age_check" CHECK ("age" >= 0) NOT VALID;`)] }],
    },
    {
      name: "Prisma's foreign key for a new relation on an existing table",
      history: [USERS, POSTS.replace(`"authorId" INTEGER NOT NULL,\n`, "")],
      sql: `-- AlterTable
ALTER TABLE "Post" ADD COLUMN     "authorId" INTEGER;

-- AddForeignKey
${FK};`,
      errors: [
        {
          messageId: "validates",
          line: 5,
          column: 20,
          message: 'Adds foreign key "Post_authorId_fkey" to "Post" without NOT VALID: Postgres checks every existing row of "Post" while holding SHARE ROW EXCLUSIVE on "Post" and "User", which blocks writes on "Post" and "User" until the scan finishes',
          suggestions: [validateLater("20240101000002_m2", "Post_authorId_fkey", '"Post"', `-- AlterTable\nALTER TABLE "Post" ADD COLUMN     "authorId" INTEGER;\n\n-- AddForeignKey\n${FK} NOT VALID;`)],
        },
      ],
    },
    {
      name: "a CHECK constraint on an existing table",
      history: [USERS],
      sql: `ALTER TABLE "User" ADD CONSTRAINT "User_age_check" CHECK ("age" >= 0);`,
      errors: [
        {
          messageId: "validates",
          message: 'Adds CHECK constraint "User_age_check" to "User" without NOT VALID: Postgres checks every existing row of "User" while holding ACCESS EXCLUSIVE on "User", which blocks reads and writes on "User"',
          suggestions: [validateLater("20240101000001_m1", "User_age_check", '"User"', `ALTER TABLE "User" ADD CONSTRAINT "User_age_check" CHECK ("age" >= 0) NOT VALID;`)],
        },
      ],
    },
    {
      name: "a column added with an inline REFERENCES",
      history: [USERS, `CREATE TABLE "Comment" ("id" SERIAL NOT NULL, "body" TEXT);`],
      sql: `ALTER TABLE "Comment" ADD COLUMN "authorId" INTEGER REFERENCES "User"("id");`,
      errors: [{ messageId: "validates", message: 'ACCESS EXCLUSIVE on "Comment" and SHARE ROW EXCLUSIVE on "User"' }],
    },
    {
      name: "VALIDATE in the same file as the NOT VALID add (script-transaction runner)",
      history: [USERS, POSTS],
      sql: `${FK} NOT VALID;\nALTER TABLE "Post" VALIDATE CONSTRAINT "Post_authorId_fkey";`,
      errors: [
        {
          messageId: "sameTransaction",
          line: 2,
          message: "the same migration file, which Prisma runs as one transaction",
          suggestions: [{ messageId: "moveValidate", output: `${FK} NOT VALID;\n`, files: [{ filePath: "20240101000002_m2_1_validate_post_authorid_fkey/migration.sql", text: '-- ValidateConstraint\nALTER TABLE "Post" VALIDATE CONSTRAINT "Post_authorId_fkey";\n' }] }],
        },
      ],
    },
    {
      name: "VALIDATE inside the same BEGIN block under Prisma 7.4+",
      history: [USERS],
      prismaVersion: "7.4.0",
      sql: `BEGIN;\nALTER TABLE "User" ADD CONSTRAINT "User_age_check" CHECK ("age" >= 0) NOT VALID;\nALTER TABLE "User" VALIDATE CONSTRAINT "User_age_check";\nCOMMIT;`,
      errors: [
        {
          messageId: "sameTransaction",
          line: 3,
          message: 'inside the same BEGIN ... COMMIT block): the lock the ADD took (ACCESS EXCLUSIVE on "User") is held',
          suggestions: [{ messageId: "moveValidate", output: `BEGIN;\nALTER TABLE "User" ADD CONSTRAINT "User_age_check" CHECK ("age" >= 0) NOT VALID;\nCOMMIT;`, files: [{ filePath: "20240101000001_m1_1_validate_user_age_check/migration.sql", text: '-- ValidateConstraint\nALTER TABLE "User" VALIDATE CONSTRAINT "User_age_check";\n' }] }],
        },
      ],
    },
    {
      name: "a table the history does not know",
      sql: `ALTER TABLE "orders" ADD CONSTRAINT "orders_customer_fkey" FOREIGN KEY ("customer_id") REFERENCES "customers"("id");`,
      errors: [{ messageId: "validates", suggestions: [validateLater("20240101000000_m0", "orders_customer_fkey", '"orders"', `ALTER TABLE "orders" ADD CONSTRAINT "orders_customer_fkey" FOREIGN KEY ("customer_id") REFERENCES "customers"("id") NOT VALID;`)] }],
    },
    {
      name: "the fix under Prisma 7.4+ (statements sent one by one): NOT VALID, and VALIDATE CONSTRAINT as the next statement, in a transaction of its own",
      history: [USERS, POSTS],
      prismaVersion: "7.4.0",
      sql: `-- AddForeignKey\n${FK};\n`,
      errors: [{ messageId: "validates", line: 2 }],
      output: `-- AddForeignKey\n${FK} NOT VALID;\nALTER TABLE "Post" VALIDATE CONSTRAINT "Post_authorId_fkey";\n`,
    },
    {
      name: "the fix of a CHECK in a CRLF file with a BOM: both kept",
      history: [USERS],
      prismaVersion: "7.4.0",
      sql: `\uFEFF-- AddCheck\r\nALTER TABLE "User" ADD CONSTRAINT "User_age_check" CHECK ("age" >= 0);\r\n`,
      errors: [{ messageId: "validates", line: 2 }],
      output: `\uFEFF-- AddCheck\r\nALTER TABLE "User" ADD CONSTRAINT "User_age_check" CHECK ("age" >= 0) NOT VALID;\r\nALTER TABLE "User" VALIDATE CONSTRAINT "User_age_check";\r\n`,
    },
    {
      name: "the fix of one clause of a multi-clause ALTER TABLE: NOT VALID after the clause, VALIDATE after the statement",
      history: [USERS, POSTS],
      prismaVersion: "7.4.0",
      sql: `ALTER TABLE "Post" ADD CONSTRAINT "Post_authorId_fkey" FOREIGN KEY ("authorId") REFERENCES "User"("id"), ADD COLUMN "x" INTEGER;`,
      errors: [{ messageId: "validates", line: 1 }],
      output: `ALTER TABLE "Post" ADD CONSTRAINT "Post_authorId_fkey" FOREIGN KEY ("authorId") REFERENCES "User"("id") NOT VALID, ADD COLUMN "x" INTEGER;\nALTER TABLE "Post" VALIDATE CONSTRAINT "Post_authorId_fkey";`,
    },
    {
      name: "no fix under the whole-file runner (Prisma up to 7.3): a VALIDATE in the same file shares the ADD's transaction and lock",
      history: [USERS, POSTS],
      sql: `-- AddForeignKey\r\n${FK};\r\n`,
      errors: [{ messageId: "validates", line: 2, suggestions: [validateLater("20240101000002_m2", "Post_authorId_fkey", '"Post"', `-- AddForeignKey\r\n${FK} NOT VALID;\r\n`, "\r\n")] }],
      output: null,
    },
    {
      name: "no fix inside BEGIN ... COMMIT under Prisma 7.4+: the VALIDATE would share the block's transaction",
      history: [USERS, POSTS],
      prismaVersion: "7.4.0",
      sql: `BEGIN;\n${FK};\nCOMMIT;`,
      errors: [{ messageId: "validates", line: 2, suggestions: [validateLater("20240101000002_m2", "Post_authorId_fkey", '"Post"', `BEGIN;\n${FK} NOT VALID;\nCOMMIT;`)] }],
      output: null,
    },
    {
      name: "no fix for an unnamed constraint: the VALIDATE would have to guess Postgres's generated name",
      history: [USERS],
      prismaVersion: "7.4.0",
      sql: `ALTER TABLE "User" ADD CHECK ("age" >= 0);`,
      errors: [{ messageId: "validates", line: 1 }],
      output: null,
    },
  ],
});
