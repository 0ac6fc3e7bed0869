/**
 * The README's husky + lint-staged recipe, run for real: husky 9 installs the hook in a temporary git repository
 * (a monorepo), `git commit` runs it, lint-staged 16 runs migration-lint on the staged files. A counting wrapper
 * stands for the installed `migration-lint` bin (node_modules/.bin, where husky puts it on PATH), so the test sees
 * how often one commit runs the tool.
 */
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { DB, DROP_COLUMN, MIGRATIONS, ROOT, committedMonorepo, git, run, temp, writeTree } from "./hosts.js";

/** The recipe as README.md gives it: the lint-staged key of package.json and .husky/pre-commit. */
function recipe(): { lintStaged: Record<string, string>; hook: string } {
  const readme = fs.readFileSync(path.join(ROOT, "README.md"), "utf8");
  const section = readme.slice(readme.indexOf("### husky + lint-staged"));
  const json = /```jsonc?\n([\s\S]*?)```/.exec(section)![1]!.replace(/^\s*\/\/.*$/gm, "");
  const hook = /```sh\n# \.husky\/pre-commit\n([\s\S]*?)```/.exec(section)![1]!;
  return { lintStaged: (JSON.parse(json) as { "lint-staged": Record<string, string> })["lint-staged"], hook };
}

/** A monorepo with husky installed and the recipe in place; `migration-lint` counts its runs in `runs.log`. */
function huskyRepo(lintStaged: Record<string, string>, hook: string): { repo: string; runs: () => number } {
  const repo = committedMonorepo(path.join(temp("ml-husky-"), "repo"));
  const bin = path.join(repo, "node_modules/.bin");
  fs.mkdirSync(bin, { recursive: true });
  for (const name of ["husky", "lint-staged"]) fs.symlinkSync(path.join(ROOT, "node_modules", name), path.join(repo, "node_modules", name));
  fs.symlinkSync("../lint-staged/bin/lint-staged.js", path.join(bin, "lint-staged"));
  const log = path.join(repo, "..", "runs.log");
  fs.writeFileSync(path.join(bin, "migration-lint"), `#!/bin/sh\necho run >> "${log}"\nexec "${process.execPath}" "${path.join(ROOT, "bin/migration-lint.js")}" "$@"\n`, { mode: 0o755 });
  const pkg = JSON.parse(fs.readFileSync(path.join(repo, "package.json"), "utf8")) as Record<string, unknown>;
  writeTree(repo, {
    "package.json": `${JSON.stringify({ ...pkg, scripts: { prepare: "husky" }, "lint-staged": lintStaged }, null, 2)}\n`,
    ".husky/pre-commit": hook,
    ".gitignore": "node_modules\n",
  });
  const install = run(process.execPath, [path.join(ROOT, "node_modules/husky/bin.js")], { cwd: repo });
  expect(install.status, install.stderr).toBe(0);
  git(repo, "add", "--all");
  git(repo, "commit", "--quiet", "--no-verify", "-m", "husky");
  return { repo, runs: () => (fs.existsSync(log) ? fs.readFileSync(log, "utf8").split("\n").filter(Boolean).length : 0) };
}

/** An index on a table of an earlier migration, as Prisma writes it: require-concurrently warns (exit 0). */
const ADD_INDEX = {
  [`${MIGRATIONS}/20240301000000_user_name_index/migration.sql`]: `-- CreateIndex
CREATE INDEX "User_name_idx" ON "User"("name");
`,
};

function commit(repo: string) {
  return run("git", ["commit", "-m", "change"], { cwd: repo, env: { NO_COLOR: "1", FORCE_COLOR: "0", CI: "1" } });
}

const missing = ["husky", "lint-staged"].find((name) => !fs.existsSync(path.join(ROOT, "node_modules", name, "package.json")));

describe.skipIf(missing)("husky + lint-staged recipe (README)", () => {
  it("shows the warnings of a commit that passes, and runs migration-lint once for migration and schema files", () => {
    const { lintStaged, hook } = recipe();
    const { repo, runs } = huskyRepo(lintStaged, hook);
    writeTree(repo, { ...ADD_INDEX, [`${DB}/prisma/schema.prisma`]: fs.readFileSync(path.join(repo, DB, "prisma/schema.prisma"), "utf8").replace("name  String?", "name  String?\n\n  @@index([name])") });
    git(repo, "add", "--all");
    const result = commit(repo);
    expect(result.status, result.stdout + result.stderr).toBe(0);
    const shown = result.stdout + result.stderr;
    expect(shown).toContain("require-concurrently");
    expect(shown).toMatch(/20240301000000_user_name_index\/migration\.sql/);
    // a migration.sql and a .prisma file staged: one run of the tool
    expect(runs()).toBe(1);
    expect(git(repo, "log", "--format=%s", "-1").trim()).toBe("change");
  }, 120_000);

  it("blocks a commit with an error, and shows it", () => {
    const { lintStaged, hook } = recipe();
    const { repo, runs } = huskyRepo(lintStaged, hook);
    writeTree(repo, DROP_COLUMN);
    git(repo, "add", "--all");
    const result = commit(repo);
    expect(result.status).not.toBe(0);
    expect(result.stdout + result.stderr).toContain("destructive-change");
    expect(runs()).toBe(1);
    expect(git(repo, "log", "--format=%s", "-1").trim()).toBe("husky");
  }, 120_000);

  it("the former recipe (two globs, lint-staged without --verbose) ran the tool twice and hid the warnings", () => {
    const { repo, runs } = huskyRepo({ "**/migrations/**/*.sql": "migration-lint", "**/*.prisma": "migration-lint" }, "npx lint-staged\n");
    writeTree(repo, { ...ADD_INDEX, [`${DB}/prisma/schema.prisma`]: fs.readFileSync(path.join(repo, DB, "prisma/schema.prisma"), "utf8").replace("name  String?", "name  String?\n\n  @@index([name])") });
    git(repo, "add", "--all");
    const result = commit(repo);
    expect(result.status).toBe(0);
    expect(result.stdout + result.stderr).not.toContain("require-concurrently");
    expect(runs()).toBe(2);
  }, 120_000);
});
