/**
 * Quoting for SQL text migration-lint writes (help texts, replay's own
 * statements). Free of imports: the public types (engine/rule.ts) use it, and
 * must not pull in the database drivers' types, which consumers do not have.
 */

/** Quotes an identifier for SQL. */
export function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}
