/**
 * What a pull request (`--base <ref>`) or a commit in the making (`--staged`)
 * changes in a migrations folder, read with the git CLI. Never throws: outside
 * a repository, or with a ref git does not know, the caller gets the reason.
 */
import type * as ChildProcess from "node:child_process";
import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";

export type ChangeKind = "added" | "modified" | "deleted" | "renamed";

export interface MigrationChanges {
  /** What was compared against: `merge-base of origin/main (abc1234)` or `HEAD (abc1234)`. */
  baseLabel: string;
  /** Migration folder names present at the base. */
  baseMigrations: string[];
  /** Per migration folder name (current name for renames): what happened to its files. */
  changes: Map<string, ChangeKind>;
  /** Renamed migrations: new folder name -> old folder name. */
  renamedFrom: Map<string, string>;
  /** Migrations deleted since the base (folder names at the base). */
  deleted: string[];
}

// loaded on first use: only --base and --staged run git, and loading child_process cost every other run ~2 ms
let childProcess: typeof ChildProcess | undefined;

function git(cwd: string, args: string[]): string {
  childProcess ??= createRequire(import.meta.url)("node:child_process") as typeof ChildProcess;
  return childProcess.execFileSync("git", args, { cwd, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"], maxBuffer: 1 << 26 });
}

export function migrationChanges(options: { migrationsDir: string; base?: string; staged?: boolean }): MigrationChanges | { error: string } {
  const { migrationsDir } = options;
  let repoRoot: string;
  try {
    repoRoot = git(migrationsDir, ["rev-parse", "--show-toplevel"]).trim();
  } catch {
    return { error: `${migrationsDir} is not inside a git repository` };
  }
  let baseCommit: string;
  let baseLabel: string;
  try {
    if (options.staged) {
      baseCommit = git(repoRoot, ["rev-parse", "--verify", "--quiet", "HEAD"]).trim();
      baseLabel = `HEAD (${baseCommit.slice(0, 7)})`;
    } else {
      baseCommit = git(repoRoot, ["merge-base", options.base!, "HEAD"]).trim();
      baseLabel = `the merge base with ${options.base} (${baseCommit.slice(0, 7)})`;
    }
  } catch {
    if (options.staged) baseCommit = "";
    else return { error: `git cannot find the merge base of "${options.base}" and HEAD (fetch the base branch, e.g. \`git fetch origin main\`, or fetch with depth 0 in CI)` };
    baseLabel = "an empty repository";
  }

  const relDir = path.relative(repoRoot, path.resolve(migrationsDir)).split(path.sep).join("/");
  const prefix = relDir ? `${relDir}/` : "";
  const baseMigrations = baseCommit ? listFolders(repoRoot, baseCommit, relDir) : [];

  // -z output: status, then one path (two for renames), NUL-separated
  const diffArgs = options.staged
    ? ["diff", "--cached", "--name-status", "-z", "-M", ...(baseCommit ? [] : ["--root"]), "--", relDir || "."]
    : ["diff", "--name-status", "-z", "-M", baseCommit, "--", relDir || "."];
  let raw: string;
  try {
    raw = git(repoRoot, diffArgs);
  } catch (err) {
    return { error: `git diff failed: ${(err as Error).message.split("\n")[0]}` };
  }
  const changes = new Map<string, ChangeKind>();
  const renamedFrom = new Map<string, string>();
  const deletedFiles = new Map<string, number>();
  const parts = raw.split("\0").filter((p) => p !== "");
  const migrationOf = (file: string) => (file.startsWith(prefix) ? file.slice(prefix.length).split("/")[0] : undefined);
  const mark = (name: string | undefined, kind: ChangeKind) => {
    if (!name || name.includes(".")) return; // files directly in the folder (migration_lock.toml) are not migrations
    const previous = changes.get(name);
    if (!previous || previous === "modified" || kind === "renamed") changes.set(name, kind);
  };
  for (let i = 0; i < parts.length; i++) {
    const status = parts[i]!;
    if (status.startsWith("R") || status.startsWith("C")) {
      const from = parts[++i]!;
      const to = parts[++i]!;
      const oldName = migrationOf(from);
      const newName = migrationOf(to);
      if (oldName && newName && oldName !== newName) {
        mark(newName, "renamed");
        renamedFrom.set(newName, oldName);
      } else mark(newName, "modified");
      continue;
    }
    const file = parts[++i]!;
    const name = migrationOf(file);
    if (status === "A") mark(name, baseMigrations.includes(name ?? "") ? "modified" : "added");
    else if (status === "D") {
      if (name) deletedFiles.set(name, (deletedFiles.get(name) ?? 0) + 1);
      mark(name, "modified");
    } else mark(name, "modified");
  }
  if (!options.staged) {
    // new files not yet added to git count too, when linting a working tree against a base
    try {
      for (const file of git(repoRoot, ["ls-files", "--others", "--exclude-standard", "-z", "--", relDir || "."]).split("\0").filter(Boolean)) {
        const name = migrationOf(file);
        mark(name, baseMigrations.includes(name ?? "") ? "modified" : "added");
      }
    } catch {
      // untracked files are a convenience; the diff above is what counts
    }
  }

  // a migration whose folder is gone entirely (not renamed) was deleted
  const renamedAway = new Set(renamedFrom.values());
  const deleted: string[] = [];
  for (const name of deletedFiles.keys()) {
    if (renamedAway.has(name)) {
      changes.delete(name);
      continue;
    }
    if (!folderExists(repoRoot, prefix + name, options.staged)) {
      deleted.push(name);
      changes.set(name, "deleted");
    }
  }
  return { baseLabel, baseMigrations, changes, renamedFrom, deleted };
}

/** Files of a Prisma project: what the pre-commit hooks' `files` pattern matches. */
const PRISMA_FILE = /(^|\/)(migration\.sql|down\.sql|[^/]*\.prisma)$/;

/**
 * The staged (added, copied, modified or renamed) migration.sql, down.sql and .prisma files of the
 * repository holding `dir`, as absolute paths; none outside a repository.
 */
export function stagedPrismaFiles(dir: string): string[] {
  try {
    const root = git(dir, ["rev-parse", "--show-toplevel"]).trim();
    const names = git(root, ["diff", "--cached", "--name-only", "-z", "--diff-filter=ACMR"]).split("\0");
    return names.filter((name) => PRISMA_FILE.test(name)).map((name) => path.join(root, name));
  } catch {
    return [];
  }
}

function listFolders(repoRoot: string, commit: string, relDir: string): string[] {
  try {
    const out = git(repoRoot, ["ls-tree", "-z", "--name-only", "-d", `${commit}:${relDir}`]);
    return out.split("\0").filter(Boolean);
  } catch {
    return []; // the folder did not exist at the base
  }
}

/** Staged: is the folder in the index? Otherwise: is it in the working tree? */
function folderExists(repoRoot: string, relPath: string, staged: boolean | undefined): boolean {
  if (!staged) return existsSync(path.join(repoRoot, relPath));
  try {
    return git(repoRoot, ["ls-files", "--cached", "-z", "--", relPath]).length > 0;
  } catch {
    return false;
  }
}
