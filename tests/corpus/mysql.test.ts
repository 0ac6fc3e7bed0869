/**
 * Optional suite on the MySQL history of ../shared/corpus (evolution-api's prisma/mysql-migrations; test
 * input, never copied here). Skipped cleanly when the corpus is absent.
 */
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import type { LintResult } from "../../src/engine/results.js";
import { loadDialect } from "../../src/dialects/index.js";
import { CORPUS, corpusMigrationFiles, corpusProjects } from "./projects.js";

const cli = path.resolve(__dirname, "../../bin/migration-lint.js");
const mysql = corpusProjects().filter((p) => p.provider === "mysql");

describe.skipIf(!mysql.length)("the MySQL history of ../shared/corpus", () => {
  it("is evolution-api's, 18 migrations", () => {
    expect(mysql.map((p) => p.name)).toEqual(["EvolutionAPI__evolution-api/prisma/mysql-migrations"]);
    expect(corpusMigrationFiles("mysql")).toHaveLength(18);
  });

  it("parses every one of its 407 statements, with no parse error", async () => {
    const dialect = await loadDialect("mysql");
    let statements = 0;
    for (const file of corpusMigrationFiles("mysql")) {
      const parsed = await dialect.parseFile(file, fs.readFileSync(file, "utf8"));
      expect(parsed.parseErrors, path.relative(CORPUS, file)).toEqual([]);
      statements += parsed.statements.length;
    }
    expect(statements).toBe(407);
  });

  describe.each(mysql.map((p) => [p.name, p] as const))("%s with --preset all", (_name, project) => {
    const config = path.join(fs.mkdtempSync(path.join(fs.realpathSync(process.env.TMPDIR ?? "/tmp"), "ml-mysql-")), "all.json");
    fs.writeFileSync(config, JSON.stringify({ extends: ["all"] }));
    const run = spawnSync(process.execPath, [cli, "--cwd", project.root, "--schema", project.schema, "--migrations", project.migrations, "-c", config, "--no-baseline", "-f", "json", "--no-cache"], { encoding: "utf8", maxBuffer: 1 << 28 });
    const results = (run.stdout ? JSON.parse(run.stdout) : []) as LintResult[];
    const messages = results.flatMap((r) => r.messages);

    it("lints with exit 0 or 1, no stderr, and no parse, file or internal error", () => {
      expect([0, 1]).toContain(run.status);
      expect(run.stderr).toBe("");
      expect(messages.filter((m) => ["parse-error", "file-error", "internal-error"].includes(m.ruleId ?? ""))).toEqual([]);
    });

    it("speaks of no Postgres lock and quotes names as MySQL does", () => {
      for (const m of messages) expect(m.message).not.toMatch(/ACCESS EXCLUSIVE|SHARE lock|CONCURRENTLY|"\w+"\."\w+"/);
    });

    it("reports every DROP TABLE of a table created in an earlier migration", () => {
      let expected = 0;
      for (const result of results) {
        const sql = fs.readFileSync(result.filePath, "utf8");
        const created = new Set([...sql.matchAll(/CREATE TABLE `(\w+)`/g)].map((m) => m[1]));
        for (const m of sql.matchAll(/^DROP TABLE `(\w+)`/gm)) if (!created.has(m[1])) expected++;
      }
      expect(expected).toBeGreaterThan(0);
      expect(messages.filter((m) => m.ruleId === "destructive-change" && m.messageId === "dropTable")).toHaveLength(expected);
    });
  });
});
