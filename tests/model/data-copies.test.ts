import { describe, expect, it } from "vitest";
import { parseSqlFile } from "../../src/dialects/postgres/parse.js";
import { buildOperations } from "../../src/dialects/postgres/build.js";
import { columnSwaps, dataCopies } from "../../src/model/queries.js";

async function file(sql: string) {
  const parsed = await parseSqlFile("m.sql", sql);
  buildOperations(parsed);
  return parsed;
}
const flows = async (sql: string) =>
  dataCopies(await file(sql)).map((c) => `${c.from.table.name}.${c.from.column ?? "*"} -> ${c.to.table.name}.${c.to.column ?? "*"}`);

describe("data copies a migration makes", () => {
  it("UPDATE ... SET new = old, through a cast", async () => {
    expect(await flows(`UPDATE "Task" SET "status_enum" = "status"::"Status";`)).toEqual(["Task.status -> Task.status_enum"]);
  });

  it("UPDATE ... FROM another table, by alias (umami's hostname); the WHERE clause copies nothing", async () => {
    expect(await flows(`UPDATE "website_event" w SET hostname = s.hostname FROM "session" s WHERE s.website_id = w.website_id;`)).toEqual(["session.hostname -> website_event.hostname"]);
  });

  it("a string literal that spells a column name is no copy of it", async () => {
    expect(await flows(`UPDATE "IntegrationResponse" SET context = jsonb_build_object('headers', headers, 'statusCode', '200');`)).toEqual(["IntegrationResponse.headers -> IntegrationResponse.context"]);
  });

  it("an UPDATE of a column from itself (lower(email)) moves nothing", async () => {
    expect(await flows(`UPDATE "users" SET "email" = LOWER("email");`)).toEqual([]);
  });

  it("INSERT ... SELECT pairs the target columns with the select list by position", async () => {
    expect(await flows(`INSERT INTO "organizations" ("id", "cloud_config") SELECT CONCAT('o', p."id"), p."cloud_config" FROM "projects" p;`)).toEqual([
      "projects.id -> organizations.id",
      "projects.cloud_config -> organizations.cloud_config",
    ]);
  });

  it("CREATE TABLE ... AS SELECT * copies whole rows", async () => {
    expect(await flows(`CREATE TABLE "User_backup" AS SELECT * FROM "User";`)).toEqual(["User.* -> User_backup.*"]);
  });
});

describe("column swaps", () => {
  it("ADD tmp, copy, DROP col, RENAME tmp TO col", async () => {
    const swaps = columnSwaps(
      await file(`ALTER TABLE "Task" ADD COLUMN "status_enum" "Status";
UPDATE "Task" SET "status_enum" = "status"::"Status";
ALTER TABLE "Task" DROP COLUMN "status";
ALTER TABLE "Task" RENAME COLUMN "status_enum" TO "status";`),
    );
    expect(swaps.map((s) => [s.table.name, s.column, s.added.column.name, s.drop.statement.index, s.rename.statement.index])).toEqual([["Task", "status", "status_enum", 2, 3]]);
  });

  it("no swap when the copy goes to a column that is not renamed back", async () => {
    expect(columnSwaps(await file(`ALTER TABLE "T" ADD COLUMN "b" TEXT;\nUPDATE "T" SET "b" = "a";\nALTER TABLE "T" DROP COLUMN "a";`))).toEqual([]);
  });
});
