import { execFileSync } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { MockInstance } from "vitest";
import { lint, defineConfig, defineRule } from "../../src/index.js";
import type { LintResult } from "../../src/index.js";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const BIN = path.join(ROOT, "bin", "migration-lint.js");
const EXAMPLE = path.join(ROOT, "fixtures", "example");
const MIGRATIONS = path.join(EXAMPLE, "prisma", "migrations");

/** The CLI's `-f json` output for the example project (it exits 1: the example has errors). */
function cliJson(): LintResult[] {
  try {
    execFileSync(process.execPath, [BIN, "--cwd", EXAMPLE, "-f", "json"], { encoding: "utf8" });
  } catch (err) {
    const e = err as { status: number; stdout: string };
    expect(e.status).toBe(1);
    return JSON.parse(e.stdout) as LintResult[];
  }
  throw new Error("expected the CLI to exit 1 on the example project");
}

/** Migration folder names that have a result. */
function migrationsOf(results: LintResult[]): string[] {
  return results.map((r) => path.relative(MIGRATIONS, r.filePath).split(path.sep)[0]!);
}

const ALL_MIGRATIONS = [
  "20240105093000_init",
  "20240212120000_add_profile",
  "20240310081500_order_status",
  "20240402101000_rename_name",
  "20240515143000_remove_guest_role",
  "20240601090000_drop_coupons",
  "20240620100000_index_orders_created",
];

describe("lint()", () => {
  // first, so that loading the SQL parser and the schema parser is observed too
  describe("side effects", () => {
    let spies: MockInstance[] = [];
    afterEach(() => {
      for (const spy of spies) spy.mockRestore();
      spies = [];
    });

    it("never writes to stdout or stderr and never calls process.exit", async () => {
      spies = [
        vi.spyOn(process.stdout, "write"),
        vi.spyOn(process.stderr, "write"),
        vi.spyOn(console, "log"),
        vi.spyOn(console, "info"),
        vi.spyOn(console, "warn"),
        vi.spyOn(console, "error"),
        vi.spyOn(console, "debug"),
        vi.spyOn(process, "exit").mockImplementation(((code?: number) => {
          throw new Error(`process.exit(${code}) called`);
        }) as never),
      ];
      const results = await lint({ cwd: EXAMPLE });
      expect(results.some((r) => r.errorCount > 0)).toBe(true);
      for (const spy of spies) expect(spy).not.toHaveBeenCalled();
    });

    it("rejects instead of printing or exiting when there is no project", async () => {
      const os = await import("node:os");
      const fs = await import("node:fs");
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), "migration-lint-api-"));
      fs.mkdirSync(path.join(dir, ".git"));
      spies = [
        vi.spyOn(process.stdout, "write"),
        vi.spyOn(process.stderr, "write"),
        vi.spyOn(console, "error"),
        vi.spyOn(process, "exit").mockImplementation(((code?: number) => {
          throw new Error(`process.exit(${code}) called`);
        }) as never),
      ];
      try {
        await expect(lint({ cwd: dir })).rejects.toMatchObject({ name: "MigrationLintError", kind: "project" });
        for (const spy of spies) expect(spy).not.toHaveBeenCalled();
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    });
  });

  it("resolves to the same results as the CLI's --format json", async () => {
    const results = await lint({ cwd: EXAMPLE });
    expect(results).toEqual(cliJson());
  });

  it("resolves a relative cwd against process.cwd()", async () => {
    const relative = path.relative(process.cwd(), EXAMPLE);
    expect(await lint({ cwd: relative })).toEqual(await lint({ cwd: EXAMPLE }));
  });

  it("reports the example's destructive changes", async () => {
    const results = await lint({ cwd: EXAMPLE });
    expect(migrationsOf(results)).toEqual(ALL_MIGRATIONS);
    const withDrops = results.filter((r) => r.messages.some((m) => m.ruleId === "destructive-change"));
    expect(migrationsOf(withDrops)).toEqual(["20240402101000_rename_name", "20240515143000_remove_guest_role", "20240601090000_drop_coupons"]);
    for (const r of withDrops) expect(r.messages.filter((m) => m.ruleId === "destructive-change").map((m) => m.severity)).toEqual([2]);
  });

  describe("config option", () => {
    it('turning destructive-change "off" removes its findings and keeps the rest of the preset', async () => {
      const all = await lint({ cwd: EXAMPLE, config: { extends: "recommended" } });
      const results = await lint({ cwd: EXAMPLE, config: { extends: "recommended", rules: { "destructive-change": "off" } } });
      expect(results.length).toBeGreaterThan(0);
      expect(results.flatMap((r) => r.messages).filter((m) => m.ruleId === "destructive-change")).toEqual([]);
      expect(results.flatMap((r) => r.messages)).toEqual(all.flatMap((r) => r.messages).filter((m) => m.ruleId !== "destructive-change"));
    });

    it('rules: { "destructive-change": "off" } alone enables no rule: rejected, not a silently clean run', async () => {
      await expect(lint({ cwd: EXAMPLE, config: { rules: { "destructive-change": "off" } } })).rejects.toThrow(/The configuration enables no rule \(it has no "extends" and its "rules" turn none on\)/);
      await expect(lint({ cwd: EXAMPLE, config: { extends: [] } })).rejects.toThrow(/enables no rule/);
    });

    it("applies severities from the config object", async () => {
      const results = await lint({ cwd: EXAMPLE, config: defineConfig({ rules: { "destructive-change": "warn" } }) });
      const messages = results.flatMap((r) => r.messages);
      expect(messages).toHaveLength(3);
      expect(messages.every((m) => m.severity === 1)).toBe(true);
      expect(results.reduce((n, r) => n + r.warningCount, 0)).toBe(3);
      expect(results.reduce((n, r) => n + r.errorCount, 0)).toBe(0);
    });

    it("startAfter lints only later migrations", async () => {
      const results = await lint({ cwd: EXAMPLE, config: { extends: "recommended", startAfter: "20240402101000_rename_name" } });
      expect(migrationsOf(results)).toEqual(["20240515143000_remove_guest_role", "20240601090000_drop_coupons", "20240620100000_index_orders_created"]);
      expect(results.map((r) => r.errorCount)).toEqual([2, 1, 0]); // remove_guest_role: the lost value and the table rewrite
      expect(results.map((r) => r.warningCount)).toEqual([0, 0, 1]); // CREATE INDEX without CONCURRENTLY on an existing table
    });

    it("startAfter still builds the history from earlier migrations", async () => {
      // the enum value removed in remove_guest_role was created in init, which is out of scope
      const results = await lint({ cwd: EXAMPLE, config: { extends: "recommended", startAfter: "20240402101000_rename_name" } });
      expect(results[0]!.messages.find((m) => m.ruleId === "destructive-change")!.message).toContain("Removes value 'GUEST'");
    });

    it("ignore globs exclude matching migrations", async () => {
      const results = await lint({ cwd: EXAMPLE, config: { extends: "recommended", ignore: ["*_drop_coupons", "2024051*"] } });
      expect(migrationsOf(results)).toEqual(ALL_MIGRATIONS.filter((m) => !m.endsWith("_drop_coupons") && !m.startsWith("2024051")));
      expect(migrationsOf(results.filter((r) => r.errorCount))).toEqual(["20240402101000_rename_name"]);
    });

    it("ignore takes exact migration names", async () => {
      const results = await lint({ cwd: EXAMPLE, config: { extends: "recommended", ignore: ["20240402101000_rename_name"] } });
      expect(migrationsOf(results)).toEqual(ALL_MIGRATIONS.filter((m) => m !== "20240402101000_rename_name"));
    });
  });

  describe("paths option", () => {
    it("lints only the given migration", async () => {
      const results = await lint({ cwd: EXAMPLE, paths: ["prisma/migrations/20240601090000_drop_coupons"] });
      expect(migrationsOf(results)).toEqual(["20240601090000_drop_coupons"]);
    });
  });
});

describe("public helpers", () => {
  it("defineConfig returns its argument", () => {
    const config = { extends: "recommended", rules: { "destructive-change": "warn" as const } };
    expect(defineConfig(config)).toBe(config);
  });

  it("defineRule returns its argument", () => {
    const rule = {
      meta: { id: "x", type: "problem" as const, docs: { description: "x", preset: "all" as const }, defaultSeverity: "warn" as const, messages: { x: "x" } },
      create: () => ({}),
    };
    expect(defineRule(rule)).toBe(rule);
  });
});
