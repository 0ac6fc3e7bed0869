/**
 * MySQL's lexical rules, as far as statement boundaries, comments and clause
 * ranges need them (the parser does the rest): `-- ` comments need a space or
 * control character after the dashes, `#` starts a comment too, `/* ... *\/`
 * does not nest (a `/*! ... *\/` executable comment is code to MySQL, and kept
 * as a comment here, where it only ever wraps options), strings take `'` or `"`
 * with backslash escapes and doubled quotes, names take backticks.
 * It never throws: an unterminated string, name or comment runs to the end of
 * the text and is flagged.
 * https://dev.mysql.com/doc/refman/8.0/en/comments.html, .../string-literals.html
 */

import { scanQuoted } from "../../parse/quoted-token.js";

export type MysqlTokenKind = "line-comment" | "block-comment" | "string" | "quoted-ident" | "semicolon" | "comma" | "lparen" | "rparen" | "word" | "other";

export interface MysqlToken {
  kind: MysqlTokenKind;
  start: number;
  end: number;
  /** Set on a string, quoted name or block comment that never closes. */
  unterminated?: true;
}

const isWordChar = (c: number) => (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95 || c === 36 || c >= 128;
const isSpace = (c: number) => c === 32 || c === 9 || c === 10 || c === 13 || c === 12 || c === 11 || c === 0xfeff;

export const isMysqlComment = (t: MysqlToken) => t.kind === "line-comment" || t.kind === "block-comment";

export function tokenizeMysql(text: string): MysqlToken[] {
  const tokens: MysqlToken[] = [];
  const n = text.length;
  let i = 0;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (isSpace(c)) {
      i++;
      continue;
    }
    const start = i;
    const next = text.charCodeAt(i + 1);
    // `--` starts a comment only when followed by whitespace or a control character (or the end); `#` always
    if ((c === 45 && next === 45 && (i + 2 >= n || text.charCodeAt(i + 2) <= 32)) || c === 35) {
      let j = i + 1;
      while (j < n && text.charCodeAt(j) !== 10 && text.charCodeAt(j) !== 13) j++;
      tokens.push({ kind: "line-comment", start, end: j });
      i = j;
    } else if (c === 47 && next === 42) {
      const close = text.indexOf("*/", i + 2);
      if (close < 0) {
        tokens.push({ kind: "block-comment", start, end: n, unterminated: true });
        i = n;
      } else {
        tokens.push({ kind: "block-comment", start, end: close + 2 });
        i = close + 2;
      }
    } else if (c === 39 || c === 34) {
      i = scanQuoted(tokens, text, start, start, c, "string", true);
    } else if (c === 96) {
      i = scanQuoted(tokens, text, start, start, c, "quoted-ident", false);
    } else if (c === 59) {
      tokens.push({ kind: "semicolon", start, end: i + 1 });
      i++;
    } else if (c === 44) {
      tokens.push({ kind: "comma", start, end: i + 1 });
      i++;
    } else if (c === 40) {
      tokens.push({ kind: "lparen", start, end: i + 1 });
      i++;
    } else if (c === 41) {
      tokens.push({ kind: "rparen", start, end: i + 1 });
      i++;
    } else if (isWordChar(c)) {
      let j = i + 1;
      while (j < n && isWordChar(text.charCodeAt(j))) j++;
      tokens.push({ kind: "word", start, end: j });
      i = j;
    } else {
      tokens.push({ kind: "other", start, end: i + 1 });
      i++;
    }
  }
  return tokens;
}

/**
 * The statements of a file as token index ranges [from, to) of their code (comments
 * around them excluded). Prisma sends the file as one multi-statement query, which
 * MySQL splits at every `;` outside strings, names and comments (there is no
 * `DELIMITER` outside the mysql command-line client); empty statements are skipped.
 */
export function splitMysqlStatements(tokens: MysqlToken[]): Array<{ from: number; to: number }> {
  const out: Array<{ from: number; to: number }> = [];
  let from = -1;
  let last = -1;
  tokens.forEach((token, k) => {
    if (isMysqlComment(token)) return;
    if (token.kind === "semicolon") {
      if (from >= 0) out.push({ from, to: last + 1 });
      from = -1;
      return;
    }
    if (from < 0) from = k;
    last = k;
  });
  if (from >= 0) out.push({ from, to: last + 1 });
  return out;
}
