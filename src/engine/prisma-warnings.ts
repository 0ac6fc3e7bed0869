/**
 * Prisma's `/* Warnings: ... *\/` block at the top of a generated migration lists what the migration loses or
 * may fail on, one `- ...` line each. A suggestion that rewrites the migration (a rename instead of a drop and
 * an add) trims the lines that no longer apply, and the block when none is left.
 */
import type { ParsedSqlFile } from "../types.js";
import type { Fix } from "./results.js";

/** The edits that remove the Warnings lines `stale` matches (and the whole block when no line is left). */
export function trimWarnings(file: Pick<ParsedSqlFile, "text" | "comments">, stale: (line: string) => boolean): Fix[] {
  const block = file.comments.find((c) => c.kind === "block" && /^\s*Warnings:/.test(c.text));
  if (!block) return [];
  const { text } = file;
  const items: Array<{ start: number; end: number; stale: boolean }> = [];
  const line = /^[ \t]*- .*(?:\r\n|\n|\r)?/gm;
  line.lastIndex = block.range.start;
  for (let m = line.exec(text); m && m.index < block.range.end; m = line.exec(text)) items.push({ start: m.index, end: m.index + m[0].length, stale: stale(m[0].trim()) });
  if (!items.some((i) => i.stale)) return [];
  if (items.every((i) => i.stale)) {
    const after = /^(?:\r\n|\n|\r)?/.exec(text.slice(block.range.end))![0];
    return [{ range: [block.range.start, block.range.end + after.length], text: "" }];
  }
  return items.filter((i) => i.stale).map((i) => ({ range: [i.start, i.end], text: "" }));
}
