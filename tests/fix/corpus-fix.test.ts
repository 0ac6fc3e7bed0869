/**
 * Done-when of issue 17: --fix on a copy (in a temporary folder) of a corpus history with a new unsafe migration
 * produces a migration that lints clean of the fixed findings and replays to the same schema. Optional: skips when
 * ../shared/corpus is absent.
 */
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { proveSameSchema } from "../../src/fix/prove.js";
import { corpusProjects } from "../corpus/projects.js";

const BIN = fileURLToPath(new URL("../../bin/migration-lint.js", import.meta.url));
const umami = corpusProjects().find((p) => p.name.startsWith("umami-software__umami"));
const NEW_MIGRATION = "99_add_website_note";
// what `prisma migrate dev` writes for a new optional field and a hand-written CHECK, on tables that hold data
const UNSAFE = `-- AlterTable\nALTER TABLE "website" ADD COLUMN "note" VARCHAR(500);\n\n-- AddCheck\nALTER TABLE "website" ADD CONSTRAINT "website_note_check" CHECK (char_length("note") < 500);\n`;

const tmp: string[] = [];
afterAll(() => {
  for (const dir of tmp) fs.rmSync(dir, { recursive: true, force: true });
});

function git(dir: string, ...args: string[]) {
  const r = spawnSync("git", ["-c", "user.email=t@t", "-c", "user.name=t", ...args], { cwd: dir, encoding: "utf8" });
  if (r.status !== 0) throw new Error(r.stderr);
}

describe.skipIf(!umami)("--fix on a copy of a corpus history (umami) with a new unsafe migration", () => {
  it.each([
    ["the whole-file runner (Prisma up to 7.3)", "6.19.0", ["lock-timeout"]],
    ["the per-statement runner (Prisma 7.4+)", "7.4.0", ["lock-timeout", "constraint-not-valid"]],
  ])("%s: the new migration lints clean of the fixed findings and replays to the same schema", async (_label, prismaVersion, fixed) => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "ml-corpus-fix-"));
    tmp.push(dir);
    fs.cpSync(path.dirname(umami!.migrations), path.join(dir, "prisma"), { recursive: true });
    fs.writeFileSync(path.join(dir, ".migration-lintrc.json"), JSON.stringify({ extends: ["all"], prismaVersion }));
    git(dir, "init", "-q");
    git(dir, "add", ".");
    git(dir, "commit", "-qm", "history");
    const file = path.join(dir, "prisma/migrations", NEW_MIGRATION, "migration.sql");
    fs.mkdirSync(path.dirname(file));
    fs.writeFileSync(file, UNSAFE);

    const lint = (...args: string[]) => spawnSync(process.execPath, [BIN, "--base", "HEAD", "--no-cache", "-f", "json", ...args], { cwd: dir, encoding: "utf8" });
    const ruleIds = (stdout: string) => (JSON.parse(stdout) as Array<{ filePath: string; messages: Array<{ ruleId: string }> }>).filter((r) => r.filePath === file).flatMap((r) => r.messages.map((m) => m.ruleId));
    const before = ruleIds(lint().stdout);
    for (const rule of fixed) expect(before).toContain(rule);

    const run = lint("--fix");
    expect(run.stderr).toContain(`fixed prisma/migrations/${NEW_MIGRATION}/migration.sql`);
    const after = fs.readFileSync(file, "utf8");
    expect(after).not.toBe(UNSAFE);
    // what --fix reports is what remains, and a fresh lint agrees
    for (const ids of [ruleIds(run.stdout), ruleIds(lint().stdout)]) for (const rule of fixed) expect(ids).not.toContain(rule);

    // proven again here, independently of the run: the history with the original and with the fixed migration
    const history = fs.readdirSync(path.join(dir, "prisma/migrations"), { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => e.name).sort();
    const read = (name: string) => fs.readFileSync(path.join(dir, "prisma/migrations", name, "migration.sql"), "utf8");
    const original = history.map((name) => ({ name, text: name === NEW_MIGRATION ? UNSAFE : read(name) }));
    const proof = await proveSameSchema("postgresql", original, history.map((name) => ({ name, text: read(name) })));
    expect(proof).toEqual({ proven: true, how: expect.any(String) });
  }, 120_000);
});
