/**
 * Where a JavaScript file's syntax error is. `import()` rejects with what is wrong but not where: V8 keeps
 * the position for Node's own printout of an uncaught error. So, on that error path only, `node --check`
 * is asked; it prints `<file>:<line>` first. About 60 ms, paid only by a run that is failing anyway.
 */
import { createRequire } from "node:module";
import type * as ChildProcess from "node:child_process";

/** The 1-based line of the syntax error in `file`, or null when `err` is not a syntax error or the line cannot be found. */
export function syntaxErrorLine(file: string, err: unknown): number | null {
  if (!(err instanceof SyntaxError) || !/\.[cm]?js$/.test(file)) return null;
  try {
    const { spawnSync } = createRequire(import.meta.url)("node:child_process") as typeof ChildProcess;
    const run = spawnSync(process.execPath, ["--check", file], { encoding: "utf8", timeout: 10_000 });
    const first = (run.stderr ?? "").split("\n", 1)[0] ?? "";
    const m = /:(\d+)$/.exec(first.trim());
    return m && first.includes(file) ? Number(m[1]) : null;
  } catch {
    return null;
  }
}
