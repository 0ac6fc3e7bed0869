/**
 * The pre-commit framework installs the hooks from a clone of this repository (at a commit, as `rev:` pins
 * a tag) the way it installs every `language: node` hook: `npm install` in the clone, `npm pack`, whose
 * stdout must be the tarball's name alone, then `npm install -g` of that tarball. Then real commits in a
 * monorepo: a DROP COLUMN migration is refused, a safe one goes through, and the staged hook, which runs
 * at the repository root and finds the project from the staged files, refuses an edit of a committed
 * migration. The path hook has `args: [--daemon]`: its first run starts `migration-lint daemon` in the background
 * (pre-commit must not wait for it), and the commits after are answered by it, with the same verdicts.
 *
 * Slow (two installs of the package: ~40 s each on an idle machine, minutes on a busy one); skipped with the reason when pre-commit or git is missing.
 */
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it } from "vitest";
import { ADD_COLUMN, DROP_COLUMN, MIGRATIONS, commitCheckoutCopy, git, missingTool, monorepoFiles, notAGitCheckout, run, temp, writeTree } from "./hosts.js";

const skipReason = missingTool("pre-commit") ?? notAGitCheckout();
const BIN = fileURLToPath(new URL("../../bin/migration-lint.js", import.meta.url));
/** Stops the daemon a hook started, also when the test failed before it did. */
let stopDaemon: (() => void) | null = null;
afterEach(() => {
  stopDaemon?.();
  stopDaemon = null;
});

describe("pre-commit hooks (.pre-commit-hooks.yaml), installed by pre-commit from a clone", () => {
  it.skipIf(skipReason)(`block a DROP COLUMN commit in a monorepo, pass a safe one${skipReason ? ` (skipped: ${skipReason})` : ""}`, { timeout: 900_000 }, () => {
    const hooksRepo = temp("ml-hooks-repo-");
    const rev = commitCheckoutCopy(hooksRepo);
    const repo = temp("ml-precommit-");
    // pre-commit's own store, and npm taking packages from the cache `npm ci` filled where it can
    // (no CI: a hook with --daemon starts none where CI is set; the debug line says which runs the daemon answered)
    const env = { PRE_COMMIT_HOME: temp("ml-precommit-home-"), npm_config_prefer_offline: "true", npm_config_audit: "false", npm_config_fund: "false", npm_config_update_notifier: "false", NO_COLOR: "1", CI: "", MIGRATION_LINT_DEBUG: "1", MIGRATION_LINT_NO_DAEMON: "" };
    const preCommit = (...args: string[]) => run("pre-commit", args, { cwd: repo, env });
    // git prints what its hooks write on stderr
    const commit = (message: string) => {
      const result = run("git", ["commit", "-m", message], { cwd: repo, env });
      return { status: result.status, output: result.stdout + result.stderr };
    };

    git(repo, "init", "--quiet");
    writeTree(repo, {
      ...monorepoFiles(),
      ".pre-commit-config.yaml": [
        "repos:",
        `  - repo: ${hooksRepo}`,
        `    rev: ${rev}`,
        "    hooks:",
        "      - id: migration-lint",
        "        args: [--daemon]",
        "      - id: migration-lint-staged",
        "",
      ].join("\n"),
    });
    expect(preCommit("install").status).toBe(0);
    git(repo, "add", "--all");
    const first = commit("init");
    expect(first.status, first.output).toBe(0);
    expect(first.output).toMatch(/^migration-lint\.+Passed$/m);
    const head = git(repo, "rev-parse", "HEAD");
    // that run started a daemon for the repository's root (where pre-commit runs hooks), and pre-commit did not wait for it
    const daemon = (action: string) => run(process.execPath, [BIN, "daemon", action], { cwd: repo, env });
    stopDaemon = () => daemon("stop");
    for (let waited = 0; daemon("status").status !== 0; waited += 200) {
      if (waited > 30_000) throw new Error("no daemon came up after the first commit");
      spawnSync("sleep", ["0.2"]);
    }

    writeTree(repo, DROP_COLUMN);
    git(repo, "add", "--all");
    const refused = commit("drop User.name");
    expect(refused.status).not.toBe(0);
    expect(refused.output).toMatch(/^migration-lint\.+Failed$/m);
    expect(refused.output).toContain(`${MIGRATIONS}/20240201000000_drop_user_name/migration.sql`);
    expect(refused.output).toMatch(/Drops column "name" of "User".*destructive-change/);
    expect(refused.output).toContain("answered by the daemon of this directory");
    expect(git(repo, "rev-parse", "HEAD")).toBe(head);

    // the same hook, as pre-commit try-repo runs it (a clone of its own, a fresh environment)
    const tried = preCommit("try-repo", hooksRepo, "migration-lint", "--ref", rev, "--files", `${MIGRATIONS}/20240201000000_drop_user_name/migration.sql`);
    expect(tried.status, tried.stdout + tried.stderr).toBe(1);
    expect(tried.stdout).toContain("destructive-change");

    git(repo, "reset", "--quiet", "--hard", "HEAD");
    fs.rmSync(path.join(repo, MIGRATIONS, "20240201000000_drop_user_name"), { recursive: true, force: true });
    writeTree(repo, ADD_COLUMN);
    git(repo, "add", "--all");
    const safe = commit("add User.nickname");
    expect(safe.status, safe.output).toBe(0);
    expect(safe.output).toMatch(/^migration-lint \(staged migrations, with history checks\)\.+Passed$/m);

    // the staged hook compares the index with HEAD: an edited migration that was committed is refused
    fs.appendFileSync(path.join(repo, MIGRATIONS, "20240101000000_init/migration.sql"), '\nCREATE INDEX "User_name_idx" ON "User"("name");\n');
    git(repo, "add", "--all");
    const edited = commit("edit the first migration");
    expect(edited.status).not.toBe(0);
    expect(edited.output).toMatch(/^migration-lint \(staged migrations, with history checks\)\.+Failed$/m);
    expect(edited.output).toContain("immutable-migration");
    expect(daemon("stop").status).toBe(0);
  });
});
