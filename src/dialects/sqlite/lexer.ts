/**
 * SQLite's tokens, as far as statement boundaries and comments need them
 * (https://www.sqlite.org/lang_expr.html#literal_values_constants_, lang_keywords.html):
 * '...' strings ('' inside), "...", `...` and [...] identifiers, -- and /* *\/
 * comments (an unterminated block comment runs to the end, as in SQLite).
 */
export type SqliteTokenKind = "word" | "string" | "identifier" | "line-comment" | "block-comment" | "semicolon" | "other";

export interface SqliteToken {
  kind: SqliteTokenKind;
  start: number;
  end: number;
}

export function tokenizeSqlite(text: string): SqliteToken[] {
  const tokens: SqliteToken[] = [];
  let i = 0;
  const closeAt = (close: string, from: number, doubled: boolean) => {
    let j = from;
    for (;;) {
      const k = text.indexOf(close, j);
      if (k < 0) return text.length;
      if (doubled && text[k + 1] === close) {
        j = k + 2;
        continue;
      }
      return k + 1;
    }
  };
  while (i < text.length) {
    const c = text[i]!;
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    const start = i;
    let kind: SqliteTokenKind;
    if (c === "-" && text[i + 1] === "-") {
      const nl = text.indexOf("\n", i);
      i = nl < 0 ? text.length : nl;
      kind = "line-comment";
    } else if (c === "/" && text[i + 1] === "*") {
      const close = text.indexOf("*/", i + 2);
      i = close < 0 ? text.length : close + 2;
      kind = "block-comment";
    } else if (c === "'") {
      i = closeAt("'", i + 1, true);
      kind = "string";
    } else if (c === '"' || c === "`") {
      i = closeAt(c, i + 1, true);
      kind = "identifier";
    } else if (c === "[") {
      i = closeAt("]", i + 1, false);
      kind = "identifier";
    } else if (c === ";") {
      i++;
      kind = "semicolon";
    } else if (/[\p{L}\p{N}_$]/u.test(c)) {
      while (i < text.length && /[\p{L}\p{N}_$]/u.test(text[i]!)) i++;
      kind = "word";
    } else {
      i++;
      kind = "other";
    }
    tokens.push({ kind, start, end: i });
  }
  return tokens;
}

export const isSqliteComment = (t: SqliteToken) => t.kind === "line-comment" || t.kind === "block-comment";

/**
 * Statements as token index ranges [from, to), the `;` included. A CREATE TRIGGER's body holds `;`
 * between BEGIN and END, so inside one a `;` ends the statement only right after END, as in
 * sqlite3_complete(). Spans of comments alone are left out.
 */
export function splitSqliteStatements(text: string, tokens: SqliteToken[]): Array<{ from: number; to: number }> {
  const out: Array<{ from: number; to: number }> = [];
  const word = (t: SqliteToken | undefined) => (t && t.kind === "word" ? text.slice(t.start, t.end).toUpperCase() : "");
  let from = 0;
  let code: SqliteToken[] = [];
  const flush = (to: number) => {
    if (code.length && !(code.length === 1 && code[0]!.kind === "semicolon")) out.push({ from, to });
    from = to;
    code = [];
  };
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    if (isSqliteComment(t)) {
      if (!code.length) from = i + 1;
      continue;
    }
    code.push(t);
    if (t.kind !== "semicolon") continue;
    const words = code.slice(0, 4).map(word);
    const isTrigger = words[0] === "CREATE" && (words[1] === "TRIGGER" || (words[2] === "TRIGGER" && (words[1] === "TEMP" || words[1] === "TEMPORARY")));
    if (isTrigger && code.some((c) => word(c) === "BEGIN") && word(code.at(-2)) !== "END") continue;
    flush(i + 1);
  }
  if (code.length) flush(tokens.length);
  return out;
}
