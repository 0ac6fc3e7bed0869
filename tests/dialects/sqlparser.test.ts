import { describe, expect, it } from "vitest";
import { loadSqlparser, sqlparserError } from "../../src/dialects/sqlparser.js";

describe("the shared sqlparser-rs loader", () => {
  it("loads once and parses MySQL as Prisma writes it", async () => {
    const first = loadSqlparser();
    expect(loadSqlparser()).toBe(first);
    const parser = await first;
    const [stmt] = parser.parse("ALTER TABLE `Chat` ADD CONSTRAINT `Chat_instanceId_fkey` FOREIGN KEY (`instanceId`) REFERENCES `Instance`(`id`) ON DELETE CASCADE ON UPDATE CASCADE", "mysql");
    expect(Object.keys(stmt!)).toEqual(["AlterTable"]);
  });

  it("reads the position out of a parser error", async () => {
    const parser = await loadSqlparser();
    let caught: unknown;
    try {
      parser.parse("ALTER TABLE `Chat` RENAME INDEX `a` TO `b`", "mysql");
    } catch (error) {
      caught = error;
    }
    expect(sqlparserError(caught)).toEqual({ message: "Expected: TO, found: `a`", line: 1, column: 33 });
  });
});
