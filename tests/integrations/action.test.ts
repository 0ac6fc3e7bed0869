/**
 * The composite GitHub Action (action.yml), its steps run as the runner runs them (./action-runner.ts)
 * from this checkout as GITHUB_ACTION_PATH (built by `npm test`, so the build step finds it built), in a
 * monorepo inside a real git repository: annotations, the SARIF file and the step summary come from one
 * lint and point at repository-relative paths, whatever `working-directory` is.
 */
import fs from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { describe, expect, it } from "vitest";
import { runCompositeAction } from "./action-runner.js";
import { DB, DROP_COLUMN, MIGRATIONS, ROOT, committedMonorepo, missingTool, temp, writeTree } from "./hosts.js";

const DROPPED = `${MIGRATIONS}/20240201000000_drop_user_name/migration.sql`;
const skipReason = missingTool("git") ?? missingTool("bash");
const skipped = skipReason ? ` (skipped: ${skipReason})` : "";

/** A workspace whose repository (at `checkoutPath` in it) has the monorepo committed and a DROP COLUMN migration in the working tree. */
function workspaceWithMonorepo(checkoutPath = ".") {
  const workspace = temp("ml-action-workspace-");
  const repo = committedMonorepo(path.join(workspace, checkoutPath));
  writeTree(repo, DROP_COLUMN);
  return { workspace, repo };
}

type Sarif = { runs: Array<{ originalUriBaseIds: Record<string, { uri: string }>; results: Array<{ ruleId: string; locations: Array<{ physicalLocation: { artifactLocation: { uri: string; uriBaseId?: string } } }> }> }> };

describe.skipIf(skipReason)(`action.yml, run as the runner runs a composite action${skipped}`, () => {
  it("in packages/db of a monorepo: annotations, SARIF and summary with repository-relative paths, exit code 1", () => {
    const { workspace } = workspaceWithMonorepo();
    const run = runCompositeAction({ actionPath: ROOT, workspace, temp: temp("ml-action-runner-"), inputs: { "working-directory": DB, "sarif-file": "reports/migration-lint.sarif" }, env: { NO_COLOR: "1" } });

    // build, cache key, cache restore (nothing yet), lint (its exit code kept for the last step), cache save, exit
    expect(run.steps.map((s) => s.status)).toEqual([0, 0, 0, 0, 0, 1]);
    expect(run.steps[0]!.stdout).toBe(""); // already built: nothing installed
    expect(run.status).toBe(1);
    expect(run.outputs).toEqual({ "exit-code": "1" });

    const annotations = run.stdout.split("\n").filter((line) => line.startsWith("::"));
    expect(annotations.length).toBeGreaterThan(0);
    for (const annotation of annotations) expect(annotation).toMatch(new RegExp(`^::(error|warning) file=${DB}/prisma/migrations/`));
    expect(run.stdout).toMatch(new RegExp(`^::error file=${DROPPED.replace(/[./]/g, "\\$&")},line=8,.*title=destructive-change::`, "m"));

    // written where upload-sarif (which runs in the workspace) looks: relative to GITHUB_WORKSPACE
    const sarif = JSON.parse(fs.readFileSync(path.join(workspace, "reports/migration-lint.sarif"), "utf8")) as Sarif;
    expect(sarif.runs[0]!.originalUriBaseIds["%SRCROOT%"]!.uri).toBe(`${pathToFileURL(workspace).href}/`);
    const uris = sarif.runs[0]!.results.map((r) => r.locations[0]!.physicalLocation.artifactLocation);
    expect(uris).toContainEqual({ uri: DROPPED, uriBaseId: "%SRCROOT%" });
    for (const uri of uris) expect(uri.uri.startsWith(`${DB}/`)).toBe(true);
    // the same findings in every report: one lint
    expect(sarif.runs[0]!.results.length).toBe(annotations.length);

    expect(run.summary).toMatch(/^## migration-lint: /m);
    expect(run.summary).toContain(`\`${DROPPED}:8\``);
  });

  it("checked out in a subfolder of the workspace: paths stay relative to the repository; args are split into words like a shell", () => {
    const { workspace, repo } = workspaceWithMonorepo("app");
    // a config file whose name needs quoting, that makes destructive-change a warning
    writeTree(repo, { [`${DB}/ci config.json`]: JSON.stringify({ extends: ["recommended"], rules: { "destructive-change": "warn" } }) });
    const run = runCompositeAction({
      actionPath: ROOT,
      workspace,
      temp: temp("ml-action-runner-"),
      inputs: { "working-directory": `app/${DB}`, args: `--config "ci config.json"  --max-warnings 0`, "step-summary": "false" },
      env: { NO_COLOR: "1" },
    });
    expect(run.outputs).toEqual({ "exit-code": "1" });
    expect(run.stdout).toMatch(new RegExp(`^::warning file=${DROPPED.replace(/[./]/g, "\\$&")},line=8,.*title=destructive-change::`, "m"));
    expect(run.stdout).not.toMatch(/^::error/m);
    expect(run.steps.find((step) => step.id === "lint")!.stderr).toContain("too many warnings (maximum: 0)");
    expect(run.summary).toBe("");
  });

  it("a long report: the comment file is cut to a PR comment's 65,536 characters, the step summary holds every finding", () => {
    const { workspace, repo } = workspaceWithMonorepo();
    // 500 migrations after the init: each odd one adds a column, the next drops it (a destructive-change error each)
    const files: Record<string, string> = {};
    for (let i = 1; i <= 500; i++) {
      const name = `${MIGRATIONS}/2024030${String(100000 + i).padStart(7, "0")}_step_${i}/migration.sql`;
      const column = `c${Math.ceil(i / 2)}`;
      files[name] = i % 2 ? `-- AlterTable\nALTER TABLE "User" ADD COLUMN     "${column}" TEXT;\n` : `/*\n  Warnings:\n\n  - You are about to drop the column \`${column}\` on the \`User\` table. All the data in the column will be lost.\n\n*/\n-- AlterTable\nALTER TABLE "User" DROP COLUMN "${column}";\n`;
    }
    writeTree(repo, files);
    const run = runCompositeAction({ actionPath: ROOT, workspace, temp: temp("ml-action-runner-"), inputs: { "working-directory": DB, "comment-file": "reports/comment.md" }, env: { NO_COLOR: "1" } });
    expect(run.outputs).toEqual({ "exit-code": "1" });
    const comment = fs.readFileSync(path.join(workspace, "reports/comment.md"), "utf8");
    const rows = (text: string) => text.split("\n").filter((line) => line.startsWith("| `")).map((line) => /_step_(\d+)\/|_drop_user_name\//.exec(line)?.[1] ?? "drop_user_name");
    expect(comment.length).toBeLessThanOrEqual(65_536);
    expect(comment).toMatch(/^## migration-lint: 251 problems \(251 errors, 0 warnings\)/);
    expect(comment).toMatch(/\*\*\d+ more findings not shown\*\* \(\d+ errors, 0 warnings, in older migrations\): the report is cut to 65,536 characters/);
    // the newest migrations first: what the pull request adds
    expect(rows(comment)[0]).toBe("500");
    expect(rows(comment).length).toBeLessThan(251);
    expect(rows(run.summary)).toHaveLength(251);
    expect(run.summary).not.toContain("not shown");
  });

  it("keeps the cache between runs with the runner's cache: a pull request restores its base branch's and lints only the migration it adds", () => {
    const { workspace, repo } = workspaceWithMonorepo();
    const cacheStore = temp("ml-action-cache-service-");
    const lint = (args = "--debug") => runCompositeAction({ actionPath: ROOT, workspace, temp: temp("ml-action-runner-"), cacheStore, inputs: { "working-directory": DB, args }, env: { NO_COLOR: "1" } });
    const parsed = (run: ReturnType<typeof lint>) => /parsed (\d+) of (\d+) migrations; cache (.*)$/m.exec(run.steps.find((step) => step.id === "lint")!.stderr)!.slice(1);
    const restored = (run: ReturnType<typeof lint>) => run.steps.find((step) => step.id === "cache-restore")!.outputs;

    // the base branch's run: nothing to restore, the whole history linted, the cache saved under the history's key
    const base = lint();
    expect(base.status).toBe(1);
    expect(restored(base)["cache-hit"]).toBe("false");
    expect(restored(base)["cache-matched-key"]).toBeUndefined();
    const [parsedBase, total, file] = parsed(base);
    expect(Number(parsedBase)).toBe(Number(total));
    expect(file).toMatch(/runner-temp\/migration-lint-cache\/\.migration-lint-cache$/);
    expect(fs.readdirSync(cacheStore)).toHaveLength(1);
    const baseKey = decodeURIComponent(fs.readdirSync(cacheStore)[0]!);

    // the same history again: an exact hit, nothing parsed, nothing saved
    const again = lint();
    expect(restored(again)["cache-hit"]).toBe("true");
    expect(parsed(again)[0]).toBe("0");
    expect(again.stdout).toBe(base.stdout);
    expect(fs.readdirSync(cacheStore)).toHaveLength(1);

    // a pull request adds a migration: another key, the base's cache restored by prefix, one migration parsed
    writeTree(repo, { [`${MIGRATIONS}/20240301000000_add_note/migration.sql`]: '-- AlterTable\nALTER TABLE "User" ADD COLUMN "note" TEXT;\n' });
    const pr = lint();
    expect(restored(pr)["cache-hit"]).toBe("false");
    expect(restored(pr)["cache-matched-key"]).toBe(baseKey);
    expect(parsed(pr)[0]).toBe("1");
    expect(pr.outputs).toEqual({ "exit-code": "1" });
    expect(fs.readdirSync(cacheStore)).toHaveLength(2);

    // cache: "false" runs without one, and writes none
    const off = runCompositeAction({ actionPath: ROOT, workspace, temp: temp("ml-action-runner-"), cacheStore, inputs: { "working-directory": DB, args: "--debug", cache: "false" }, env: { NO_COLOR: "1" } });
    expect(off.steps.map((step) => step.id)).not.toContain("cache-restore");
    expect(parsed(off)[2]).toBe("off");
    expect(off.stdout).toBe(pr.stdout);
  });

  it("an args input with an unmatched quote fails with exit code 2 and says why", () => {
    const { workspace } = workspaceWithMonorepo();
    const run = runCompositeAction({ actionPath: ROOT, workspace, temp: temp("ml-action-runner-"), inputs: { "working-directory": DB, args: `--config "ci config.json` } });
    expect(run.status).toBe(2);
    expect(run.outputs).toEqual({ "exit-code": "2" });
    expect(run.stdout).toContain("::error title=migration-lint::The args input could not be split into words");
  });
});

describe("action-runner's GITHUB_OUTPUT reader", () => {
  it("reads name=value lines and name<<DELIMITER blocks", async () => {
    const { parseOutputFile } = await import("./action-runner.js");
    expect(parseOutputFile("exit-code=1\nbody<<EOF\nline one\nline=two\nEOF\n")).toEqual({ "exit-code": "1", body: "line one\nline=two" });
  });
});
