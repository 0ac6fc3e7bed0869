/**
 * The pre-commit framework's hook definitions, read as pre-commit reads them. pre-commit itself installs
 * and runs them in pre-commit.test.ts; the GitHub Action runs in action.test.ts.
 */
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { load as loadYaml } from "js-yaml";
import { describe, expect, it } from "vitest";
import { ROOT, temp } from "./hosts.js";

describe(".pre-commit-hooks.yaml", () => {
  const hooks = loadYaml(fs.readFileSync(path.join(ROOT, ".pre-commit-hooks.yaml"), "utf8")) as Array<{ id: string; entry: string; files: string; language: string; pass_filenames?: boolean }>;

  it("defines the file-based and the staged hook for a node package", () => {
    expect(hooks.map((h) => h.id)).toEqual(["migration-lint", "migration-lint-staged"]);
    for (const hook of hooks) {
      expect(hook.language).toBe("node");
      expect(hook.entry.split(" ")[0]).toBe(Object.keys((JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8")) as { bin: Record<string, string> }).bin)[0]);
    }
  });

  it("passes migration.sql, down.sql and .prisma files, and nothing else", () => {
    const files = new RegExp(hooks[0]!.files);
    for (const yes of ["prisma/migrations/20240101000000_init/migration.sql", "prisma/migrations/x/down.sql", "prisma/schema.prisma", "prisma/schema/user.prisma", "schema.prisma"]) expect(files.test(yes), yes).toBe(true);
    for (const no of ["README.md", "prisma/migrations/migration_lock.toml", "src/migration.sql.ts", "seed.sql"]) expect(files.test(no), no).toBe(false);
  });

  it("the hook's entry with pre-commit's file arguments lints those migrations", () => {
    const dir = temp("ml-hook-");
    fs.cpSync(path.join(ROOT, "fixtures/example"), dir, { recursive: true });
    const staged = ["prisma/migrations/20240601090000_drop_coupons/migration.sql", "prisma/schema.prisma"].filter((f) => new RegExp(hooks[0]!.files).test(f));
    const run = spawnSync(process.execPath, [path.join(ROOT, "bin/migration-lint.js"), ...hooks[0]!.entry.split(" ").slice(1), ...staged], { cwd: dir, encoding: "utf8", env: { ...process.env, NO_COLOR: "1" } });
    expect(run.status).toBe(1);
    expect(run.stdout).toContain("20240601090000_drop_coupons/migration.sql");
    expect(run.stdout).toContain('Drops table "Coupon"');
  });
});
