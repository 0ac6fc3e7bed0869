/** --replay through the CLI (the replay engine itself is tested in tests/replay). */
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";

const ROOT = path.resolve(__dirname, "../..");
const BIN = path.join(ROOT, "bin/migration-lint.js");
const made: string[] = [];
afterAll(() => {
  for (const dir of made) fs.rmSync(dir, { recursive: true, force: true });
});

function example(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "ml-replay-cli-"));
  made.push(dir);
  fs.cpSync(path.join(ROOT, "fixtures/example"), dir, { recursive: true });
  return dir;
}
const cli = (cwd: string, ...args: string[]) => spawnSync(process.execPath, [BIN, ...args], { cwd, encoding: "utf8", env: { ...process.env, NO_COLOR: "1" } });

describe("--replay", () => {
  it("applies the example history on PGlite and prints the lock trace", () => {
    const run = cli(example(), "--replay", "--lock-trace");
    expect(run.status).toBe(1); // the static findings are still there
    expect(run.stdout).toMatch(/Lock trace \(PGlite \(Postgres \d+\), 7 migrations applied/);
    expect(run.stdout).toMatch(/CREATE INDEX "orders_createdAt_idx" ON "orders"\("createdAt"\)\n\s+SHARE on "orders": blocks writes/);
    expect(run.stdout).not.toContain("replay-failed");
  }, 120_000);

  it("reports a migration Postgres rejects at the statement it names", () => {
    const dir = example();
    const file = path.join(dir, "prisma/migrations/20240701000000_bad/migration.sql");
    fs.mkdirSync(path.dirname(file));
    fs.writeFileSync(file, '-- AlterTable\nALTER TABLE "User" ADD COLUMN "nickname" TEXT;\nALTER TABLE "Invoice" ADD COLUMN "x" INTEGER;\n');
    const run = cli(dir, "--replay", "-f", "json", "20240701000000_bad".replace(/^/, "prisma/migrations/"));
    const messages = (JSON.parse(run.stdout) as Array<{ filePath: string; messages: Array<{ ruleId: string; severity: number; line: number; message: string }> }>).flatMap((r) => r.messages);
    const failed = messages.find((m) => m.ruleId === "replay-failed" && m.severity === 2);
    expect(failed).toMatchObject({ line: 3 });
    expect(failed!.message).toContain('relation "Invoice" does not exist');
  }, 120_000);

  it("--drift-only reports a field that no migration creates, at its schema.prisma line", () => {
    const dir = example();
    const schema = path.join(dir, "prisma/schema.prisma");
    fs.writeFileSync(schema, fs.readFileSync(schema, "utf8").replace("  bio    String?", "  bio    String?\n  avatar String?"));
    const run = cli(dir, "--drift-only", "-f", "json");
    const results = JSON.parse(run.stdout) as Array<{ filePath: string; messages: Array<{ ruleId: string; line: number; message: string }> }>;
    const drift = results.filter((r) => r.filePath === schema).flatMap((r) => r.messages).filter((m) => m.ruleId === "schema-drift");
    expect(drift).toEqual([expect.objectContaining({ line: fs.readFileSync(schema, "utf8").split("\n").findIndex((l) => l.includes("avatar")) + 1 })]);
    expect(run.status).toBe(1);
  }, 120_000);
});

describe("--replay: the trace wins over a static prediction", () => {
  it("a DEFAULT calling a STABLE user function is not reported as a rewrite once replay saw none", () => {
    const dir = example();
    const file = path.join(dir, "prisma/migrations/20240701000000_add_region/migration.sql");
    fs.mkdirSync(path.dirname(file));
    fs.writeFileSync(
      file,
      `CREATE FUNCTION default_region() RETURNS text LANGUAGE sql STABLE AS $$ SELECT 'eu' $$;
-- AlterTable
ALTER TABLE "orders" ADD COLUMN "region" TEXT NOT NULL DEFAULT default_region();
`,
    );
    const json = (args: string[]) =>
      (JSON.parse(cli(dir, "-f", "json", ...args, "prisma/migrations/20240701000000_add_region").stdout) as Array<{ messages: Array<{ ruleId: string; messageId?: string }>; suppressedMessages: Array<{ ruleId: string; suppressions?: Array<{ kind: string; justification: string }> }> }>)[0]!;
    // statically, an unknown function must be assumed volatile: a rewrite of "orders"
    const plain = json([]);
    expect(plain.messages.map((m) => `${m.ruleId}/${m.messageId}`)).toContain("add-required-column/rewrite");
    // replay ran it: ACCESS EXCLUSIVE, but no rewrite, so the static finding moves to the suppressed ones
    const replayed = json(["--replay"]);
    expect(replayed.messages.map((m) => `${m.ruleId}/${m.messageId}`)).not.toContain("add-required-column/rewrite");
    expect(replayed.suppressedMessages).toEqual([
      expect.objectContaining({ ruleId: "add-required-column", suppressions: [{ kind: "replay", justification: expect.stringMatching(/ACCESS EXCLUSIVE on .*orders.* and rewrote no table/) }] }),
    ]);
  }, 120_000);
});
