/**
 * Optional suite on the real migration histories in ../shared/corpus (test
 * input, never copied here). Skipped cleanly when the corpus is absent.
 */
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import type { LintResult } from "../../src/engine/results.js";
import { CORPUS, corpusProjects, type CorpusProject } from "./projects.js";

const repoRoot = path.resolve(__dirname, "../..");
const cli = path.join(repoRoot, "bin/migration-lint.js");

function lintJson(project: CorpusProject): { status: number | null; results: LintResult[]; stderr: string } {
  const args = [cli, "--cwd", project.root, "--schema", project.schema, "--migrations", project.migrations, "-f", "json"];
  const run = spawnSync(process.execPath, args, { encoding: "utf8", maxBuffer: 1 << 28 });
  return { status: run.status, results: run.stdout ? (JSON.parse(run.stdout) as LintResult[]) : [], stderr: run.stderr };
}

describe.skipIf(!fs.existsSync(CORPUS))("real Prisma histories in ../shared/corpus", () => {
  const all = corpusProjects().filter((p) => p.provider === "postgresql");

  it("finds the six PostgreSQL histories", () => {
    expect(all.map((p) => p.name)).toHaveLength(6);
  });

  describe.each(all.map((p) => [p.name, p] as const))("%s", (_name, project) => {
    const run = lintJson(project);
    const messages = run.results.flatMap((r) => r.messages.map((m) => ({ ...m, filePath: r.filePath })));

    it("runs to completion with exit 0 or 1 and no stderr", () => {
      expect([0, 1]).toContain(run.status);
      expect(run.stderr).toBe("");
    });

    it("reports no parse-error, file-error or internal-error (every file is valid Postgres)", () => {
      expect(messages.filter((m) => ["parse-error", "file-error", "internal-error"].includes(m.ruleId ?? ""))).toEqual([]);
    });

    it("reports every DROP TABLE / DROP COLUMN on a table that existed before the migration", () => {
      // independent check: a plain text scan for drops (quoted or not), minus tables created in the same file
      let expected = 0;
      for (const result of run.results) {
        const sql = fs.readFileSync(result.filePath, "utf8");
        const created = new Set([...sql.matchAll(/CREATE (?:TEMP |TEMPORARY |UNLOGGED )?TABLE (?:IF NOT EXISTS )?(?:"?\w+"?\.)?"?(\w+)"?/gi)].map((m) => m[1]));
        for (const m of sql.matchAll(/^\s*DROP TABLE (?:IF EXISTS )?(?:"?\w+"?\.)?"?(\w+)"?/gim)) if (!created.has(m[1])) expected++;
      }
      const reported = messages.filter((m) => m.ruleId === "destructive-change" && m.messageId === "dropTable").length;
      expect(reported).toBe(expected);
    });
  });

  it("finds the drops: destructive-change reports in every project with drops", () => {
    const trigger = all.find((p) => p.name.includes("trigger.dev/internal-packages/database"))!;
    const dropColumns = lintJson(trigger).results.flatMap((r) => r.messages).filter((m) => m.messageId === "dropColumn");
    expect(dropColumns.length).toBeGreaterThan(100);
  });
});
