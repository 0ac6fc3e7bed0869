/**
 * The shipped integration files work as their hosts run them: the
 * pre-commit framework's hook definitions, and the composite GitHub Action's
 * script (with `npx` pointed at this checkout instead of the registry).
 */
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { load as loadYaml } from "js-yaml";
import { afterAll, describe, expect, it } from "vitest";

const ROOT = path.resolve(__dirname, "../..");
const made: string[] = [];
afterAll(() => {
  for (const dir of made) fs.rmSync(dir, { recursive: true, force: true });
});
function temp(prefix: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  made.push(dir);
  return dir;
}

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

describe("action.yml (composite GitHub Action)", () => {
  const action = loadYaml(fs.readFileSync(path.join(ROOT, "action.yml"), "utf8")) as {
    inputs: Record<string, { default: string }>;
    runs: { using: string; steps: Array<{ run: string; env: Record<string, string> }> };
  };

  /** Runs the step's script the way the runner does, with inputs in env and a fake npx that runs this checkout. */
  function runAction(inputs: Record<string, string>) {
    const dir = temp("ml-action-");
    fs.cpSync(path.join(ROOT, "fixtures/example"), path.join(dir, "repo"), { recursive: true });
    const bin = path.join(dir, "bin");
    fs.mkdirSync(bin);
    // npx --yes migration-lint@<version> args... -> node bin/migration-lint.js args...
    fs.writeFileSync(path.join(bin, "npx"), `#!/bin/sh\nshift 2\nexec "${process.execPath}" "${path.join(ROOT, "bin/migration-lint.js")}" "$@"\n`, { mode: 0o755 });
    const output = path.join(dir, "output");
    const summary = path.join(dir, "summary.md");
    const step = action.runs.steps[0]!;
    const env: Record<string, string> = { ...(process.env as Record<string, string>), PATH: `${bin}:${process.env.PATH}`, GITHUB_OUTPUT: output, GITHUB_STEP_SUMMARY: summary, NO_COLOR: "1" };
    for (const [name, expr] of Object.entries(step.env)) {
      const input = /inputs\.([\w-]+)/.exec(expr)![1]!;
      env[name] = inputs[input] ?? action.inputs[input]!.default;
    }
    const run = spawnSync("bash", ["-e", "-c", step.run], { cwd: path.join(dir, "repo"), env, encoding: "utf8" });
    return { run, dir, output: fs.existsSync(output) ? fs.readFileSync(output, "utf8") : "", summary: fs.existsSync(summary) ? fs.readFileSync(summary, "utf8") : "" };
  }

  it("is a composite action", () => {
    expect(action.runs.using).toBe("composite");
  });

  it("annotates findings, fails the step with exit code 1, writes SARIF and a step summary", () => {
    const { run, dir, output, summary } = runAction({ "sarif-file": "../report.sarif" });
    expect(run.status).toBe(1);
    expect(run.stdout).toMatch(/^::error file=prisma\/migrations\/20240402101000_rename_name\/migration\.sql,line=8,/m);
    expect(output).toContain("exit-code=1");
    const sarif = JSON.parse(fs.readFileSync(path.join(dir, "report.sarif"), "utf8")) as { version: string; runs: Array<{ results: unknown[] }> };
    expect(sarif.version).toBe("2.1.0");
    expect(sarif.runs[0]!.results.length).toBeGreaterThan(0);
    expect(summary).toMatch(/^#/m);
  });

  it("passes extra arguments through", () => {
    const { run, output } = runAction({ args: "--quiet --format github", "step-summary": "false" });
    expect(output).toContain("exit-code=1");
    expect(run.stdout).not.toMatch(/^::warning/m);
  });
});
