/**
 * The language server's history in memory (src/cache/memory.ts, LintOptions.history): a run after an edit, which
 * lints from the edited migration on, reports exactly what a cold run of the same texts reports; and it did lint
 * only from there.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { runLint } from "../../src/api/lint.js";
import { LintHistory } from "../../src/cache/memory.js";

const EXAMPLE = path.resolve(__dirname, "../../fixtures/example");
const root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), "ml-history-")));
fs.cpSync(EXAMPLE, root, { recursive: true });
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

const migrations = path.join(root, "prisma/migrations");
const names = fs.readdirSync(migrations).filter((n) => /^\d/.test(n)).sort();
const sqlOf = (name: string) => path.join(migrations, name, "migration.sql");
const disk = (file: string) => fs.readFileSync(file, "utf8");

async function lintWith(unsaved: Map<string, string>, history?: LintHistory) {
  const run = await runLint({ cwd: root, unsaved, baseline: false, ...(history ? { history } : {}) });
  return { results: run.results, parsed: run.projects[0]!.parsedCount };
}

describe("a lint with the history in memory", () => {
  it("equals a cold lint after each edit, and parses from the edited migration on", async () => {
    const history = new LintHistory();
    const last = sqlOf(names.at(-1)!);
    const middle = sqlOf(names[2]!);
    const schema = path.join(root, "prisma/schema.prisma");
    const edits: Array<[string, Map<string, string>]> = [
      ["nothing edited", new Map()],
      ["the newest migration gains an unsafe statement", new Map([[last, `${disk(last)}\nALTER TABLE "orders" DROP COLUMN "createdAt";\n`]])],
      ["the same migration edited again", new Map([[last, `${disk(last)}\nALTER TABLE "orders" ALTER COLUMN "total" SET NOT NULL;\n`]])],
      ["a migration in the middle of the history", new Map([[middle, `${disk(middle)}\nALTER TABLE "User" ADD COLUMN "nickname" TEXT;\n`]])],
      ["the schema, unsaved", new Map([[schema, disk(schema).replace(/model User \{/, "model User {\n  nickname String?")]])],
      ["back to the disk's texts", new Map()],
    ];
    for (const [what, unsaved] of edits) {
      history.focus = new Set([...unsaved.keys()].filter((f) => f.endsWith(".sql")).map((f) => path.basename(path.dirname(f))));
      const warm = await lintWith(unsaved, history);
      const cold = await lintWith(unsaved);
      expect(warm.results, what).toEqual(cold.results);
      expect(cold.parsed, what).toBe(names.length);
      if (what === "the same migration edited again") expect(warm.parsed, what).toBe(1);
      if (what === "a migration in the middle of the history") expect(warm.parsed, what).toBeLessThanOrEqual(names.length - 2);
    }
    // what runs after the edit reuse is exactly what they did not read again: one migration parsed
    history.focus = new Set([path.basename(path.dirname(last))]);
    expect((await lintWith(new Map([[last, `${disk(last)}\nSELECT 1;\n`]]), history)).parsed).toBe(1);
    // the edits were seen: the unsaved DROP COLUMN is reported like the one on disk would be
    const edited = await lintWith(new Map([[last, `${disk(last)}\nALTER TABLE "orders" DROP COLUMN "createdAt";\n`]]), history);
    expect(edited.results.find((r) => r.filePath === last)!.messages.map((m) => m.ruleId)).toContain("destructive-change");
  });

  it("sees files changed on disk between runs (the resident process keeps what it read, watched)", async () => {
    const history = new LintHistory();
    const last = sqlOf(names.at(-1)!);
    const schema = path.join(root, "prisma/schema.prisma");
    const added = path.join(migrations, "99990101000000_added", "migration.sql");
    const original = { last: disk(last), schema: disk(schema) };
    const changes: Array<[string, () => void]> = [
      ["nothing changed", () => undefined],
      ["the newest migration saved with an unsafe statement", () => fs.appendFileSync(last, `\nALTER TABLE "orders" DROP COLUMN "createdAt";\n`)],
      ["a new migration folder", () => {
        fs.mkdirSync(path.dirname(added));
        fs.writeFileSync(added, `ALTER TABLE "User" ADD COLUMN "nickname" TEXT NOT NULL;\n`);
      }],
      ["a README beside the new migration", () => fs.writeFileSync(path.join(path.dirname(added), "README.md"), "Backfilled by hand.\n")],
      ["the schema saved", () => fs.writeFileSync(schema, original.schema.replace(/model User \{/, "model User {\n  nickname String")) ],
      ["a migration in the middle replaced by a rename", () => {
        const middle = sqlOf(names[2]!);
        fs.writeFileSync(`${middle}.tmp`, `${disk(middle)}\nALTER TABLE "User" ADD COLUMN "age" INTEGER NOT NULL;\n`);
        fs.renameSync(`${middle}.tmp`, middle);
      }],
      ["the new migration folder deleted", () => fs.rmSync(path.dirname(added), { recursive: true })],
      ["everything back", () => {
        fs.writeFileSync(last, original.last);
        fs.writeFileSync(schema, original.schema);
      }],
    ];
    const middleText = disk(sqlOf(names[2]!));
    try {
      for (const [what, change] of changes) {
        change();
        const warm = await lintWith(new Map(), history);
        const cold = await lintWith(new Map());
        expect(warm.results, what).toEqual(cold.results);
      }
      // a deleted migration's findings are gone, a saved one's are there
      expect((await lintWith(new Map(), history)).results.some((r) => r.filePath === added)).toBe(false);
    } finally {
      fs.writeFileSync(sqlOf(names[2]!), middleText);
      history.files.close();
    }
  });
});
