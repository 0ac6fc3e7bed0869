/** `--fix-dry-run`: what `--fix` would write, as a unified diff (git's a/ b/ names, paths from `cwd`), made with jsdiff. */
import path from "node:path";
import { createTwoFilesPatch } from "diff";
import type { FileChange } from "./index.js";

export function unifiedDiff(changes: FileChange[], cwd: string): string {
  return changes
    .map((change) => {
      const name = path.relative(cwd, change.filePath).split(path.sep).join("/") || change.filePath;
      const created = change.before === "" && change.after !== "";
      // jsdiff's header line is a separator: the patch starts at its --- line
      const patch = createTwoFilesPatch(created ? "/dev/null" : `a/${name}`, `b/${name}`, change.before, change.after, undefined, undefined, { context: 3 });
      return `diff --git a/${name} b/${name}\n${patch.slice(patch.indexOf("---"))}`;
    })
    .join("");
}
