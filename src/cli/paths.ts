/**
 * Which directory a path typed on the command line is relative to.
 *
 * `--cwd` is where the linter works: the project, its config and every path that describes the project
 * (positional paths, `--schema`, `--migrations`, `--config`, `--baseline`, `--rulesdir`, `--seed`,
 * `--stdin-filename`) are found from there, so a command that works inside the project works unchanged as `--cwd <project>` from anywhere.
 * What the run writes for the caller (`-o`, `-f <name>:<file>`, `--cache-location`) goes where the caller
 * is: relative to the shell's directory, as ESLint resolves them, so that a CI step that runs
 * `migration-lint --cwd packages/db -o report.json` finds report.json where it stands.
 */
import path from "node:path";

/** The shell's directory, or `fallback` when it cannot be read (deleted under the shell, longer than PATH_MAX). */
export function shellDirectory(fallback: string): string {
  try {
    return process.cwd();
  } catch {
    return fallback;
  }
}

/** `file` resolved against the shell's directory, keeping a trailing separator (it says "a folder"). */
export function fromShell(file: string, shell: string): string {
  const resolved = path.resolve(shell, file);
  return /[\\/]$/.test(file) && !resolved.endsWith(path.sep) ? resolved + path.sep : resolved;
}
