/** `--lock-trace`: the locks each replayed statement took on tables that existed before its migration. */
import path from "node:path";
import type { ProjectReport } from "../api/lint.js";
import { showControls } from "../controls.js";

export function formatLockTrace(projects: ProjectReport[], cwd: string): string {
  const lines: string[] = [];
  for (const project of projects) {
    if (!project.replay) continue;
    lines.push(`Lock trace (${project.replay.database}, ${project.replay.applied} migrations applied in ${Math.round(project.replay.totalMs)} ms)`);
    for (const entry of project.replay.lockTrace) {
      // file names and SQL are shown with their control characters escaped
      const where = `${showControls(path.relative(cwd, entry.file))}:${entry.line}`;
      const statement = showControls(entry.statement);
      if (entry.note) {
        lines.push(`  ${where}  ${statement}\n      ${showControls(entry.note)}`);
        continue;
      }
      if (!entry.locks.length) continue;
      lines.push(`  ${where}  ${statement}`);
      for (const lock of entry.locks) {
        const extra = [lock.rewrite ? "rewrites the table" : "", lock.alreadyHeld ? "already held by an earlier statement" : ""].filter(Boolean).join(", ");
        lines.push(`      ${lock.mode} on ${showControls(lock.table)}: blocks ${lock.blocks}${extra ? ` (${extra})` : ""}`);
      }
    }
  }
  return lines.length ? `${lines.join("\n")}\n` : "";
}
