/**
 * `--staged` from the root of a monorepo, where pre-commit runs `migration-lint-staged` (a hook given no
 * file names): the projects of the staged migration and schema files are linted, as from their folders.
 */
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { beforeEach, describe, expect, it } from "vitest";
import { DB, DROP_COLUMN, MIGRATIONS, ROOT, committedMonorepo, git, writeTree } from "../integrations/hosts.js";

function staged(cwd: string) {
  const result = spawnSync(process.execPath, [path.join(ROOT, "bin/migration-lint.js"), "--staged"], { cwd, encoding: "utf8", env: { ...process.env, NO_COLOR: "1" } });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe("--staged at the root of a monorepo (no Prisma project there)", () => {
  let repo: string;
  beforeEach(() => {
    repo = committedMonorepo();
  });

  it("lints the project of a staged new migration", () => {
    writeTree(repo, DROP_COLUMN);
    git(repo, "add", "--all");
    const run = staged(repo);
    expect(run.status).toBe(1);
    expect(run.stdout).toMatch(new RegExp(`^${DB}/prisma/migrations/20240201000000_drop_user_name/migration\\.sql$`, "m"));
    expect(run.stdout).toContain("destructive-change");
  });

  it("catches an edit of a committed migration (immutable-migration), and lints nothing that is not staged", () => {
    fs.appendFileSync(path.join(repo, MIGRATIONS, "20240101000000_init/migration.sql"), "\n-- edited\n");
    git(repo, "add", "--all");
    writeTree(repo, DROP_COLUMN); // in the working tree only
    const run = staged(repo);
    expect(run.status).toBe(1);
    expect(run.stdout).toContain("immutable-migration");
    expect(run.stdout).not.toContain("destructive-change");
  });

  it("with no staged Prisma file, says that there is no project here (exit 2), as before", () => {
    writeTree(repo, { "README.md": "# shop\n" });
    git(repo, "add", "--all");
    const run = staged(repo);
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(/^migration-lint: Could not find a Prisma schema in /);
  });
});
