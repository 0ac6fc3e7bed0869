/**
 * Quoting for SQL text migration-lint writes (help texts, replay's own
 * statements). Free of imports: the public types (engine/rule.ts) use it, and
 * must not pull in the database drivers' types, which consumers do not have.
 */

/** The quote character of identifiers in the SQL being written: `"` (standard SQL, Postgres, SQLite) or a backtick (MySQL, where `"` quotes a string). */
let identifierQuote: '"' | "`" = '"';

/** Sets the identifier quote of the dialect whose rules run next (src/engine/linter.ts, before each migration's rules). */
export function setIdentifierQuote(quote: '"' | "`"): void {
  identifierQuote = quote;
}

/** Quotes an identifier for SQL. */
export function quoteIdent(name: string): string {
  const q = identifierQuote;
  return `${q}${name.replaceAll(q, q + q)}${q}`;
}
