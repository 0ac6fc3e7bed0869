/**
 * The proof every fix passes before it is written (src/fix/prove.ts): the history replayed on PGlite before and after
 * the edit, the end schemas compared; for MySQL, which has no in-process database, only edits of session SETs pass.
 */
import { describe, expect, it } from "vitest";
import { proveSameSchema } from "../../src/fix/prove.js";

const INIT = { name: "1_init", text: 'CREATE TABLE "T" ("id" INTEGER PRIMARY KEY, "a" INTEGER);\nCREATE TABLE "U" ("id" INTEGER PRIMARY KEY, "t" INTEGER);' };
const ADD = 'ALTER TABLE "U" ADD CONSTRAINT "U_t_fkey" FOREIGN KEY ("t") REFERENCES "T"("id");';

describe("proveSameSchema on PGlite", () => {
  it("proves NOT VALID + VALIDATE and a lock_timeout header keep the end schema", async () => {
    const before = [INIT, { name: "2_fk", text: ADD }];
    const after = [INIT, { name: "2_fk", text: `SET LOCAL lock_timeout = '5s';\n\n${ADD.replace(";", " NOT VALID;")}\nALTER TABLE "U" VALIDATE CONSTRAINT "U_t_fkey";` }];
    expect(await proveSameSchema("postgresql", before, after)).toEqual({ proven: true, how: expect.stringContaining("PGlite") });
  }, 60_000);

  it("refuses NOT VALID alone (the constraint stays unvalidated), a type change, and an edit that fails", async () => {
    const before = [INIT, { name: "2_fk", text: ADD }];
    const notValid = await proveSameSchema("postgresql", before, [INIT, { name: "2_fk", text: ADD.replace(";", " NOT VALID;") }]);
    expect(notValid).toMatchObject({ proven: false, reason: expect.stringContaining("U_t_fkey") });
    const wider = await proveSameSchema("postgresql", [INIT], [{ name: "1_init", text: INIT.text.replace('"a" INTEGER', '"a" BIGINT') }]);
    expect(wider).toEqual({ proven: false, reason: "with the fix the end schema differs: column public.T.a differs" });
    const broken = await proveSameSchema("postgresql", before, [INIT, { name: "2_fk", text: `${ADD}\nALTER TABLE "nope" ADD COLUMN "x" INT;` }]);
    expect(broken).toMatchObject({ proven: false, reason: expect.stringMatching(/^with the fix, the history fails on PGlite \(2_fk: relation "nope" does not exist\)/) });
  }, 60_000);

  it("replays a file that mixes CONCURRENTLY with other statements statement by statement, as Prisma 7.4+ sends it", async () => {
    const before = [INIT, { name: "2_idx", text: 'CREATE INDEX "T_a_idx" ON "T"("a");\nALTER TABLE "T" ADD COLUMN "b" INTEGER;' }];
    const after = [INIT, { name: "2_idx", text: 'CREATE INDEX CONCURRENTLY "T_a_idx" ON "T"("a");\nALTER TABLE "T" ADD COLUMN "b" INTEGER;' }];
    expect(await proveSameSchema("postgresql", before, after)).toMatchObject({ proven: true });
  }, 60_000);
});

describe("proveSameSchema on MySQL (static)", () => {
  const init = { name: "1_init", text: "CREATE TABLE `T` (`id` INT NOT NULL, PRIMARY KEY (`id`));" };
  const alter = "ALTER TABLE `T` ADD COLUMN `a` INT NULL;";
  it("passes an edit that only adds session SETs, and nothing else", async () => {
    expect(await proveSameSchema("mysql", [init, { name: "2_a", text: alter }], [init, { name: "2_a", text: `SET lock_wait_timeout = 5;\n\n${alter}\n\nSET lock_wait_timeout = DEFAULT;\n` }])).toMatchObject({ proven: true });
    expect(await proveSameSchema("mysql", [init, { name: "2_a", text: alter }], [init, { name: "2_a", text: alter.replace("INT", "BIGINT") }])).toMatchObject({ proven: false, reason: expect.stringContaining("changes more than session settings") });
  });
});
