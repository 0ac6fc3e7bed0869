/**
 * A MySQL migration file as statements: our lexer finds the statements (as the
 * server splits a multi-statement query), their exact ranges and the comments;
 * sqlparser-rs (loaded on first use) parses each statement alone, so a statement
 * it cannot read becomes a `parse-error` at its own line and the rest goes on.
 *
 * Three statement shapes Prisma or its users write that sqlparser-rs 0.62 does
 * not read are handled at the token level, each for exactly that form
 * (docs/dialects.md, "MySQL"):
 * - `ALTER TABLE t RENAME {INDEX|KEY} a TO b` (Prisma's rename of an index) is
 *   recognised whole;
 * - `CREATE {FULLTEXT|SPATIAL} INDEX ...` (Prisma's `@@fulltext`) is parsed as
 *   `CREATE INDEX` with the keyword blanked, and the index kind kept;
 * - `SET @v := expr` (user variables) is parsed with `:=` read as `=`, which
 *   SET treats alike; and `PREPARE name FROM {'sql' | @v}` is recognised whole.
 */
import type { ParsedSqlFile, SqlComment, Statement } from "../../types.js";
import { attachLeadingComments, SourceText } from "../../parse/source-text.js";
import { dropSyntaxTrees } from "../../parse/quoted-token.js";
import { loadSqlparser, sqlparserError } from "../sqlparser.js";
import { isMysqlComment, splitMysqlStatements, tokenizeMysql, type MysqlToken } from "./lexer.js";

/** Per-file data the operation builder needs: the tokens, for clause ranges and type text. */
export interface MysqlFileInternals {
  tokens: MysqlToken[];
}

const internals = new WeakMap<ParsedSqlFile, MysqlFileInternals>();
export const mysqlInternals = (file: ParsedSqlFile): MysqlFileInternals => internals.get(file) ?? { tokens: [] };

/** A statement node our recognisers make where sqlparser-rs has none. */
export type FallbackNode =
  | { RenameIndex: { table: string[]; name: string; newName: string } }
  | { Prepare: { name: string } };

export async function parseMysqlFile(path: string, raw: string): Promise<ParsedSqlFile> {
  const source = new SourceText(raw);
  const text = source.text;
  const tokens = tokenizeMysql(text);
  const rangeOf: ParsedSqlFile["rangeOf"] = (start, end) => source.rangeOf(start, end);
  const comments: SqlComment[] = tokens.filter(isMysqlComment).map((t) => ({
    kind: t.kind === "line-comment" ? "line" : "block",
    text: text.slice(t.start + (text[t.start] === "#" ? 1 : 2), t.kind === "line-comment" || t.unterminated ? t.end : t.end - 2),
    range: rangeOf(t.start, t.end),
  }));
  const statements: Statement[] = [];
  const parseErrors: ParsedSqlFile["parseErrors"] = [];
  const spans = splitMysqlStatements(tokens);
  const parser = spans.length ? await loadSqlparser() : null;
  for (const span of spans) {
    const code = tokens.slice(span.from, span.to);
    const start = code[0]!.start;
    const end = code[code.length - 1]!.end;
    const statementText = text.slice(start, end);
    const words = (i: number) => (code[i]?.kind === "word" ? text.slice(code[i]!.start, code[i]!.end).toUpperCase() : "");
    let node: Record<string, unknown> | null = recognise(text, code);
    let indexKind: string | null = null;
    if (!node) {
      let sql = statementText;
      const blank = (t: MysqlToken) => (sql = sql.slice(0, t.start - start) + " ".repeat(t.end - t.start) + sql.slice(t.end - start));
      if (words(0) === "CREATE" && (words(1) === "FULLTEXT" || words(1) === "SPATIAL") && words(2) === "INDEX") {
        indexKind = words(1).toLowerCase();
        blank(code[1]!);
      }
      if (words(0) === "SET") for (const colon of userVariableAssignments(text, code)) sql = `${sql.slice(0, colon - start)} ${sql.slice(colon - start + 1)}`;
      try {
        node = parser!.parse(sql, "mysql")[0] ?? null;
        if (node && indexKind) (node as { CreateIndex?: { using?: unknown } }).CreateIndex!.using = indexKind;
      } catch (error) {
        const { message, line, column } = sqlparserError(error);
        const at = line ? offsetAt(statementText, line, column ?? 1) : 0;
        parseErrors.push({ kind: "syntax", message, range: rangeOf(start + at, end) });
      }
    }
    statements.push({ index: statements.length, text: statementText, range: rangeOf(start, end), nodeType: node ? Object.keys(node)[0] ?? null : null, node, leadingComments: [], operations: [] });
  }
  attachLeadingComments(statements, comments);
  const file: ParsedSqlFile = { path, text, statements, comments, parseErrors, rangeOf };
  internals.set(file, { tokens });
  return file;
}

/** The 0-based offset of a 1-based line and column of `text` (sqlparser-rs counts columns in characters). */
export function offsetAt(text: string, line: number, column: number): number {
  let offset = 0;
  for (let l = 1; l < line; l++) {
    const next = text.indexOf("\n", offset);
    if (next < 0) return text.length;
    offset = next + 1;
  }
  let chars = 1;
  while (chars < column && offset < text.length) {
    offset += text.codePointAt(offset)! > 0xffff ? 2 : 1;
    chars++;
  }
  return offset;
}

const tokenText = (text: string, t: MysqlToken | undefined) => (t ? text.slice(t.start, t.end) : "");
const upper = (text: string, t: MysqlToken | undefined) => (t?.kind === "word" ? tokenText(text, t).toUpperCase() : "");
/** A name token (bare or backquoted) as the name it means. */
export const nameOf = (text: string, t: MysqlToken) => (t.kind === "quoted-ident" ? tokenText(text, t).slice(1, -1).replaceAll("``", "`") : tokenText(text, t));
const isName = (t: MysqlToken | undefined) => t?.kind === "word" || t?.kind === "quoted-ident";

/** A possibly qualified name (`db`.`t`) starting at `code[i]`: its parts and the index after it, or null. */
function qualified(text: string, code: MysqlToken[], i: number): { parts: string[]; next: number } | null {
  if (!isName(code[i])) return null;
  const parts = [nameOf(text, code[i]!)];
  let k = i + 1;
  while (tokenText(text, code[k]) === "." && isName(code[k + 1])) {
    parts.push(nameOf(text, code[k + 1]!));
    k += 2;
  }
  return { parts, next: k };
}

/** `ALTER TABLE t RENAME {INDEX|KEY} a TO b` and `PREPARE name FROM {'sql' | @v}`, exactly; null for anything else. */
function recognise(text: string, code: MysqlToken[]): FallbackNode | null {
  if (upper(text, code[0]) === "ALTER" && upper(text, code[1]) === "TABLE") {
    const table = qualified(text, code, 2);
    if (!table) return null;
    const k = table.next;
    const kind = upper(text, code[k + 1]);
    if (upper(text, code[k]) !== "RENAME" || (kind !== "INDEX" && kind !== "KEY") || !isName(code[k + 2]) || upper(text, code[k + 3]) !== "TO" || !isName(code[k + 4]) || code.length !== k + 5) return null;
    return { RenameIndex: { table: table.parts, name: nameOf(text, code[k + 2]!), newName: nameOf(text, code[k + 4]!) } };
  }
  if (upper(text, code[0]) === "PREPARE" && isName(code[1]) && upper(text, code[2]) === "FROM") {
    const from = code.slice(3);
    const literal = from.length === 1 && from[0]!.kind === "string";
    const variable = from.length === 2 && tokenText(text, from[0]) === "@" && from[0]!.end === from[1]!.start && isName(from[1]);
    return literal || variable ? { Prepare: { name: nameOf(text, code[1]!) } } : null;
  }
  return null;
}

/** Offsets of the `:` of each `@v :=` that assigns a user variable at the top level of a SET statement. */
function userVariableAssignments(text: string, code: MysqlToken[]): number[] {
  const out: number[] = [];
  let depth = 0;
  for (let i = 1; i + 3 < code.length; i++) {
    const t = code[i]!;
    if (t.kind === "lparen") depth++;
    else if (t.kind === "rparen") depth--;
    const startsTarget = i === 1 || code[i - 1]!.kind === "comma";
    if (depth !== 0 || !startsTarget || tokenText(text, t) !== "@" || !isName(code[i + 1]) || code[i + 1]!.start !== t.end) continue;
    const colon = code[i + 2]!;
    const equals = code[i + 3]!;
    if (tokenText(text, colon) === ":" && tokenText(text, equals) === "=" && equals.start === colon.end) out.push(colon.start);
  }
  return out;
}

/** Drops the parse trees once a migration is linted; statements, operations, ranges and comments stay. */
export function releaseMysqlTrees(file: ParsedSqlFile): void {
  dropSyntaxTrees(file);
  internals.delete(file);
}

/** A file known only by its text (its findings and catalog effect come from the cache). */
export function liteMysqlFile(path: string, raw: string): ParsedSqlFile {
  const source = new SourceText(raw);
  return { path, text: source.text, statements: [], comments: [], parseErrors: [], rangeOf: (start, end) => source.rangeOf(start, end) };
}
