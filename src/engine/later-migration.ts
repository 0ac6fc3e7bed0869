/**
 * What the suggestions that move a statement out of a migration need (issue 17): a folder that sorts right after
 * this migration, and the edit that takes a statement out of its file.
 */
import path from "node:path";
import { compareByteOrder } from "../sources/prisma-migrate.js";
import type { ParsedSqlFile, Statement } from "../types.js";
import { lineBreakOf } from "./fixer.js";
import type { Fix } from "./results.js";
import type { RuleContext } from "./rule.js";

/**
 * A new migration folder right after this one: `<this folder>_1_<what>`. Prisma applies folders in byte order of
 * their names (src/sources/prisma-migrate.ts), and a name sorts right after every name it starts with, so it runs
 * next, unless a folder of the history sorts between (then null). Earlier split-offs of this migration
 * (`<this folder>_1_...`) may sort before it; it must not exist already.
 */
export function laterMigration(context: Pick<RuleContext, "migration" | "migrationName">, what: string): { name: string; filePath: string } | null {
  const own = context.migration.name;
  const name = `${own}_1_${what.replace(/[^A-Za-z0-9_]+/g, "_").replace(/^_+|_+$/g, "").toLowerCase()}`;
  for (let i = context.migration.index + 1; ; i++) {
    const next = context.migrationName(i);
    if (next === undefined || compareByteOrder(name, next) < 0) break;
    if (next === name || !next.startsWith(`${own}_1_`)) return null;
  }
  return { name, filePath: path.join(path.dirname(context.migration.entry.dir), name, "migration.sql") };
}

/** Prisma's marker comment above a statement (`-- CreateIndex`), when it is on the line right above. */
const MARKER = /(?:^|\r\n|\n|\r)([ \t]*--[ \t]*[A-Z][A-Za-z]*[ \t]*(?:\r\n|\n|\r))[ \t]*$/;

/** The edit that takes a statement out of its file: the statement, its semicolon and line break, and Prisma's marker comment right above it. */
export function removeStatement(file: Pick<ParsedSqlFile, "text">, statement: Statement): Fix {
  const { text } = file;
  const before = text.slice(0, statement.range.start);
  const marker = MARKER.exec(before);
  let start = marker ? before.length - marker[0].length + marker[0].indexOf(marker[1]!) : statement.range.start;
  // back to the start of the statement's line when only blanks precede it there
  while (start > 0 && (text[start - 1] === " " || text[start - 1] === "\t")) start--;
  let end = statement.range.end;
  const semicolon = /^[ \t]*;/.exec(text.slice(end));
  if (semicolon) end += semicolon[0].length;
  const trailing = /^[ \t]*(\r\n|\n|\r)/.exec(text.slice(end));
  if (trailing) end += trailing[0].length;
  // one blank line left where two would meet
  const blank = /^(\r\n|\n|\r)/.exec(text.slice(end));
  if (blank && (start === 0 || /(\r\n|\n|\r)(\r\n|\n|\r)$/.test(text.slice(0, start)))) end += blank[0].length;
  return { range: [start, end], text: "" };
}

/** A migration file holding one statement, with Prisma's marker comment above it, in the line breaks of `like`. */
export function migrationFile(like: Pick<ParsedSqlFile, "text">, marker: string, sql: string): string {
  const eol = lineBreakOf(like.text);
  return `-- ${marker}${eol}${sql};${eol}`;
}
