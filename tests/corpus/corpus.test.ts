/**
 * Optional suite on the real migration histories in ../shared/corpus (test
 * input, never copied here). Skipped cleanly when the corpus is absent.
 */
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import type { LintResult } from "../../src/engine/results.js";
import { runLint } from "../../src/api/lint.js";
import { CORPUS, corpusProjects, type CorpusProject } from "./projects.js";

const repoRoot = path.resolve(__dirname, "../..");
const cli = path.join(repoRoot, "bin/migration-lint.js");

function lintJson(project: CorpusProject, config?: object): { status: number | null; results: LintResult[]; stderr: string } {
  const args = [cli, "--cwd", project.root, "--schema", project.schema, "--migrations", project.migrations, "-f", "json", "--no-cache"];
  if (config) {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "corpus-cfg-")), "config.json");
    fs.writeFileSync(file, JSON.stringify(config));
    args.push("-c", file);
  }
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

/**
 * The SQLite histories, with what the corpus README measured about them: 25 of their 65 table rebuilds drop a
 * table that another (or its own new_ copy) references with ON DELETE CASCADE / SET NULL (spacedrive 11,
 * pingvin-share 10, kentcdodds.com 4), harmless under prisma migrate deploy (statement by statement, PRAGMA
 * foreign_keys=OFF in effect) and data loss under a transactional runner; pingvin-share's v0_5_1 recreates
 * RefreshToken empty.
 */
describe.skipIf(!fs.existsSync(CORPUS))("real SQLite histories in ../shared/corpus", () => {
  const all = corpusProjects().filter((p) => p.provider === "sqlite");
  const CASCADES: Record<string, number> = { "anything-llm": 0, spacedrive: 11, "pingvin-share": 10, "kentcdodds.com": 4 };
  const key = (p: CorpusProject) => Object.keys(CASCADES).find((k) => p.name.includes(k))!;

  it("finds the four SQLite histories", () => {
    expect(all.map(key).sort()).toEqual(Object.keys(CASCADES).sort());
  });

  describe.each(all.map((p) => [p.name, p] as const))("%s", (_name, project) => {
    const prisma = lintJson(project, { extends: ["all"] });
    const d1 = lintJson(project, { extends: ["all"], runner: "d1" });
    const messagesOf = (run: typeof prisma) => run.results.flatMap((r) => r.messages.map((m) => ({ ...m, filePath: r.filePath })));

    it("runs to completion with exit 0 or 1, no stderr and no parse-error, file-error or internal-error", () => {
      for (const run of [prisma, d1]) {
        expect([0, 1]).toContain(run.status);
        expect(run.stderr).toBe("");
        expect(messagesOf(run).filter((m) => ["parse-error", "file-error", "internal-error"].includes(m.ruleId ?? ""))).toEqual([]);
      }
    });

    it("sqlite-rebuild-cascade: every measured cascade under a transactional runner, none under prisma migrate deploy", () => {
      expect(messagesOf(prisma).filter((m) => m.ruleId === "sqlite-rebuild-cascade")).toEqual([]);
      expect(messagesOf(d1).filter((m) => m.ruleId === "sqlite-rebuild-cascade")).toHaveLength(CASCADES[key(project)]!);
    });

    it.each([["prisma"], ["d1"]])("replays on sql.js, run as the %s runner runs it: every migration applies", async (runner) => {
      const run = await runLint({ cwd: project.root, schema: project.schema, migrations: project.migrations, replay: true, baseline: false, config: { extends: ["recommended"], runner: runner as "prisma" | "d1" } });
      expect(run.results.flatMap((r) => r.messages).filter((m) => m.ruleId === "replay-failed")).toEqual([]);
      const migrations = fs.readdirSync(project.migrations, { withFileTypes: true }).filter((e) => e.isDirectory()).length;
      expect(run.projects[0]!.replay!.applied).toBe(migrations);
    });

    it("no Postgres-only rule speaks on SQLite, and no finding tells Postgres's lock story", () => {
      const postgresOnly = ["require-concurrently", "lock-timeout", "constraint-not-valid", "prefer-timestamptz", "prefer-text", "identifier-too-long"];
      expect(messagesOf(prisma).filter((m) => postgresOnly.includes(m.ruleId ?? ""))).toEqual([]);
      const postgresWords = /ACCESS EXCLUSIVE|SHARE lock|CONCURRENTLY|Postgres|VACUUM|\bWAL\b|lock_timeout/;
      expect(messagesOf(prisma).filter((m) => postgresWords.test(`${m.message} ${m.help ?? ""}`)).map((m) => `${m.ruleId}: ${m.message}`)).toEqual([]);
    });
  });

  it("pingvin-share's v0_5_1 recreates RefreshToken without copying it: its rows are dropped", () => {
    const pingvin = all.find((p) => p.name.includes("pingvin-share"))!;
    const drops = lintJson(pingvin)
      .results.filter((r) => r.filePath.includes("20230104145733_v0_5_1"))
      .flatMap((r) => r.messages)
      .filter((m) => m.ruleId === "destructive-change" && m.messageId === "dropTable");
    expect(drops.map((m) => m.message)).toEqual([expect.stringContaining('Drops table "RefreshToken" and every row in it')]);
  });
});

