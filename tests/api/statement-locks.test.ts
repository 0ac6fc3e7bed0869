/** `statementLocks`: the table locks each statement of a linted migration takes, as rules see them (context.locks). */
import { rmSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { runLint } from "../../src/api/lint.js";
import { hostileProject, HOSTILE_MIGRATION } from "../formatters/html-project.js";

const EXAMPLE = fileURLToPath(new URL("../../fixtures/example/", import.meta.url));

async function locksOf(cwd: string) {
  const run = await runLint({ cwd, statementLocks: true, baseline: false });
  return run.projects[0]!.statementLocks!.map(({ file, ...rest }) => ({ folder: path.basename(path.dirname(file)), ...rest }));
}

describe("statementLocks", () => {
  it("is recorded only when asked for", async () => {
    const run = await runLint({ cwd: EXAMPLE, baseline: false });
    expect(run.projects[0]!.statementLocks).toBeUndefined();
  });

  it("gives each statement's locks once per table and mode, for its longest operation, and whether the table existed", async () => {
    const locks = await locksOf(EXAMPLE);
    // DROP COLUMN and ADD COLUMN in one ALTER TABLE: one ACCESS EXCLUSIVE on "User"
    expect(locks.filter((s) => s.migration === "20240402101000_rename_name")).toEqual([
      { folder: "20240402101000_rename_name", migration: "20240402101000_rename_name", line: 8, endLine: 9, locks: [{ table: '"User"', mode: "ACCESS EXCLUSIVE", blocks: "reads and writes", duration: "instant", existed: true }] },
    ]);
    expect(locks.find((s) => s.migration === "20240620100000_index_orders_created")?.locks).toEqual([
      { table: '"orders"', mode: "SHARE", blocks: "writes", duration: "index-build", existed: true },
    ]);
    // a type change through an enum recreated with USING rewrites the table
    expect(locks.find((s) => s.migration === "20240515143000_remove_guest_role" && s.line === 11)?.locks).toEqual([
      { table: '"User"', mode: "ACCESS EXCLUSIVE", blocks: "reads and writes", duration: "rewrite", existed: true },
    ]);
  });

  it("finds the table of a dropped index through the history, and marks tables created in the same migration", async () => {
    const root = hostileProject();
    try {
      const locks = await locksOf(root);
      const init = locks.filter((s) => s.migration === "20240101000000_init");
      // Prisma's foreign key at the end of the init migration: both tables are new
      expect(init.at(-1)!.locks).toEqual([
        { table: '"Post"', mode: "SHARE ROW EXCLUSIVE", blocks: "writes", duration: "scan", existed: false },
        { table: '"User"', mode: "SHARE ROW EXCLUSIVE", blocks: "writes", duration: "scan", existed: false },
      ]);
      expect(locks.find((s) => s.migration === HOSTILE_MIGRATION && s.line === 2)?.locks).toEqual([
        { table: '"User"', mode: "ACCESS EXCLUSIVE", blocks: "reads and writes", duration: "instant", existed: true },
      ]);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});
