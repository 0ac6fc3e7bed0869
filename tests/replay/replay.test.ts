import { afterAll, beforeAll, describe, expect, it } from "vitest";
import path from "node:path";
import type { ReplayReport } from "../../src/replay/index.js";
import { REPLAY_TIMEOUT, removeDir, run, writeHistory } from "./helpers.js";
import { defineReplayScenarios } from "./scenarios.js";

describe("replay on PGlite", () => {
  defineReplayScenarios();

  describe("extensions", () => {
    let report: ReplayReport;
    let dir: string;
    beforeAll(async () => {
      const history = await writeHistory([
        { name: "1_crypto", up: `CREATE EXTENSION IF NOT EXISTS "pgcrypto";\n\nCREATE TABLE "Key" ("id" TEXT NOT NULL DEFAULT encode(gen_random_bytes(8), 'hex'), CONSTRAINT "Key_pkey" PRIMARY KEY ("id"));\n` },
        { name: "2_vector", up: `-- CreateExtension\nCREATE EXTENSION IF NOT EXISTS "vector";\n\nCREATE TABLE "Item" ("id" SERIAL NOT NULL, "embedding" vector(3));\n` },
        { name: "3_after", up: `CREATE TABLE "After" ("id" INTEGER);\n` },
      ]);
      dir = history.dir;
      report = await run({ migrations: history.migrations, schema: null });
    }, REPLAY_TIMEOUT);
    afterAll(() => removeDir(dir));

    it("loads the extensions PGlite bundles (scanned from the history before PGlite starts)", () => {
      expect(report.messages.get(path.join(dir, "1_crypto", "migration.sql")) ?? []).toEqual([]);
    });

    it("reports an extension PGlite lacks as a clear finding at that statement, and stops", () => {
      const messages = report.messages.get(path.join(dir, "2_vector", "migration.sql"))!;
      expect(messages.map((m) => [m.ruleId, m.severity, m.line, m.column])).toEqual([["replay-failed", 1, 2, 1]]);
      expect(messages[0]!.message).toMatch(/^PGlite does not bundle the extension "vector", so replay cannot apply this migration/);
      expect(messages[0]!.help).toMatch(/--database-url/);
      expect(report.messages.get(path.join(dir, "3_after", "migration.sql"))![0]!.message).toMatch(/^Replay stopped: 2_vector fails/);
      expect(report.timings.migrations).toBe(1);
      expect(report.database).toMatch(/^PGlite \(Postgres \d+\)$/);
    });
  });
});
