/**
 * Large inputs through the real CLI, generated at test time in os.tmpdir()
 * (never committed): a 50 MB INSERT seed file and a file of 10,000
 * statements. They must finish, with findings inside the file, in bounded
 * time and memory. The measured figures are printed for the record.
 */
import fs from "node:fs";
import { afterAll, describe, expect, it } from "vitest";
import { cleanupTemp, cli, expectInside, expectNoCrash, json, maxRssPreload, messagesOf, migrationFile, project } from "./helpers.js";

afterAll(cleanupTemp);

const SEED = "20240201000000_seed_users";

/** Writes `migration.sql` of `name` in `dir` in chunks; returns its text's line count. */
function writeBig(dir: string, name: string, parts: Iterable<string>): void {
  const fd = fs.openSync(migrationFile(dir, name), "w");
  try {
    for (const part of parts) fs.writeSync(fd, part);
  } finally {
    fs.closeSync(fd);
  }
}

function report(label: string, run: { ms: number; stderr: string }, bytes: number): number {
  const rssKb = Number(/max-rss-kb=(\d+)/.exec(run.stderr)?.[1] ?? NaN);
  console.info(`[hostile] ${label}: ${(bytes / 1024 / 1024).toFixed(1)} MB of SQL linted in ${(run.ms / 1000).toFixed(2)} s, peak RSS ${(rssKb / 1024).toFixed(0)} MB`);
  return rssKb;
}

describe("large migrations", () => {
  it("a 50 MB INSERT seed file: finishes, finds the broken statement and the DROP after it, memory bounded", () => {
    const dir = project({ [SEED]: "" });
    const brokenAt = 400_000; // a line in the middle of the file
    let line = 0;
    let bytes = 0;
    let brokenLine = 0;
    function* seed(): Generator<string> {
      let id = 0;
      while (bytes < 50 * 1024 * 1024) {
        const rows: string[] = [];
        for (let r = 0; r < 1000; r++) {
          id++;
          rows.push(`(${id}, 'user${id}@example.com -- not a comment; ''quoted'' é')`);
        }
        let statement = `INSERT INTO "User" ("id", "email") VALUES\n${rows.join(",\n")};\n`;
        if (!brokenLine && line + 1001 > brokenAt) {
          statement = statement.replace("INSERT INTO", "INSERT INTOO");
          brokenLine = line + 1;
        }
        line += 1001;
        bytes += Buffer.byteLength(statement);
        yield statement;
      }
      yield 'ALTER TABLE "User" DROP COLUMN "email";\n';
      line += 1;
    }
    writeBig(dir, SEED, seed());
    const run = cli(["--cwd", dir, "--format", "json"], { nodeArgs: maxRssPreload(dir), timeout: 120_000 });
    expectNoCrash(run);
    expect(run.status).toBe(1);
    const rssKb = report("50 MB seed", run, bytes);
    const messages = messagesOf(json(run), migrationFile(dir, SEED));
    expect(messages.map((m) => [m.ruleId, m.line])).toEqual([
      ["parse-error", brokenLine],
      ["destructive-change", line],
    ]);
    expect(messages[1]!.column).toBe(20);
    // the bounds leave room for slow CI machines; before segmenting, the file took 11 s and 1.6 GB here
    expect(run.ms).toBeLessThan(60_000);
    expect(rssKb).toBeLessThan(1.5 * 1024 * 1024);
  }, 150_000);

  it("10,000 statements in one file, one of them broken: every statement parsed alone, findings at the right lines", () => {
    const dir = project({ [SEED]: "" });
    const statements: string[] = [];
    for (let i = 0; i < 10_000; i++) statements.push(`INSERT INTO "User" ("id", "email") VALUES (${i}, 'u${i}@example.com');\n`);
    statements[4_999] = `INSERT INTO "User" ("id", "email") VALUES (4999 'missing comma');\n`;
    statements.push('ALTER TABLE "User" DROP COLUMN "email";\n');
    writeBig(dir, SEED, statements);
    const text = statements.join("");
    const run = cli(["--cwd", dir, "--format", "json"], { nodeArgs: maxRssPreload(dir) });
    expectNoCrash(run);
    expect(run.status).toBe(1);
    report("10,000 statements (one broken)", run, text.length);
    const messages = messagesOf(json(run), migrationFile(dir, SEED));
    expectInside(messages, text);
    expect(messages.map((m) => [m.ruleId, m.line, m.column])).toEqual([
      ["parse-error", 5_000, 49],
      ["destructive-change", 10_001, 20],
    ]);
    expect(run.ms).toBeLessThan(20_000);
  });

  it("10,000 valid statements under the strict preset", () => {
    const dir = project({ [SEED]: "" });
    const statements: string[] = [];
    for (let i = 0; i < 10_000; i++) {
      statements.push(i % 2 ? `UPDATE "User" SET "email" = 'x${i}' WHERE "id" = ${i};\n` : `INSERT INTO "User" ("id", "email") VALUES (${i}, 'u${i}');\n`);
    }
    writeBig(dir, SEED, statements);
    fs.writeFileSync(`${dir}/.migration-lintrc.json`, '{ "extends": "strict" }');
    const run = cli(["--cwd", dir, "--format", "json"], { nodeArgs: maxRssPreload(dir) });
    expectNoCrash(run);
    report("10,000 statements (strict preset)", run, statements.join("").length);
    const messages = messagesOf(json(run), migrationFile(dir, SEED));
    expectInside(messages, statements.join(""));
    expect(messages.some((m) => m.ruleId === "oversized-migration")).toBe(true);
    expect(run.ms).toBeLessThan(20_000);
  });
});
