import { defineRule, quoteIdent, quoteName } from "../src/engine/rule.js";
import type { Operation, QualifiedName, TypeSpec } from "../src/types.js";

/** MySQL 8.0's default sql_mode (MariaDB 10.11's is STRICT_TRANS_TABLES,ERROR_FOR_DIVISION_BY_ZERO,NO_AUTO_CREATE_USER,NO_ENGINE_SUBSTITUTION). */
export const MYSQL8_SQL_MODE = "ONLY_FULL_GROUP_BY,STRICT_TRANS_TABLES,NO_ZERO_IN_DATE,NO_ZERO_DATE,ERROR_FOR_DIVISION_BY_ZERO,NO_ENGINE_SUBSTITUTION";
const DATES = new Set(["date", "datetime", "timestamp"]);
const NUMBERS = new Set(["tinyint", "smallint", "mediumint", "int", "bigint", "decimal", "float", "double", "bit", "year"]);

/** The value MySQL writes where a NOT NULL column gets none (its implicit default: MySQL 8.0 reference, "Data Type Default Values"). */
function zeroValue(type: TypeSpec | null): string {
  if (!type) return "the type's zero value";
  if (NUMBERS.has(type.name)) return "0";
  if (type.name === "date") return "'0000-00-00'";
  if (DATES.has(type.name)) return "'0000-00-00 00:00:00'";
  if (type.name === "time") return "'00:00:00'";
  if (type.name === "enum") return /'((?:[^'\\]|''|\\.)*)'/.exec(type.text)?.[0] ?? "the first enum value";
  return "'' (the empty string)";
}

export default defineRule<{ sqlMode: string }>({
  meta: {
    id: "mysql-zero-fill",
    type: "problem",
    docs: { description: "MySQL fills a NOT NULL column with the type's zero value (0, '', '0000-00-00') where Postgres would fail: a required column added without a default, or NULLs under MODIFY ... NOT NULL. An error under a lax sql_mode, a warning under a strict one.", preset: "recommended" },
    defaultSeverity: "error",
    dialects: ["mysql"],
    schema: { type: "object", properties: { sqlMode: { type: "string" } }, additionalProperties: false },
    defaultOptions: { sqlMode: MYSQL8_SQL_MODE },
    messages: {
      fill: "Adds NOT NULL column {{column}} ({{type}}) to {{table}} without a default: MySQL does not reject it on a table that holds rows, it writes {{zero}} into every existing row ({{mode}}), so those rows hold a value nobody chose and the application cannot tell it from a real one.",
      failDate: "Adds NOT NULL column {{column}} ({{type}}) to {{table}} without a default: under this sql_mode (strict, with NO_ZERO_DATE, as MySQL 8's default) the ALTER fails on a table that holds rows (error 1292, incorrect value {{zero}}), after the statements before it in the file are committed; under a lax sql_mode (MariaDB's default has no NO_ZERO_DATE) it writes {{zero}} into every existing row instead.",
      nullsLax: "Makes {{table}}.{{column}} NOT NULL under a lax sql_mode: MySQL replaces every NULL in it with {{zero}} without an error, so the rows lose the difference between no value and {{zero}}.",
      nullsStrict: "Makes {{table}}.{{column}} NOT NULL: under the strict sql_mode the ALTER fails if any row holds NULL (error 1265, data truncated), after the statements before it in the file are committed; under a lax sql_mode MySQL would replace every NULL with {{zero}} instead.",
    },
    help: {
      fill: "Give the column a default that means something (`@default(...)` on the field in schema.prisma), or add it as optional, backfill the existing rows, and make it required in a later migration.",
      failDate: "Give the column a default (`@default(now())` on the field in schema.prisma), or add it as optional, backfill the existing rows, and make it required in a later migration.",
      nullsLax: "Backfill the NULLs with the value they should have first (`UPDATE {{table}} SET {{column}} = ... WHERE {{column}} IS NULL;`, in batches on a large table), then make the column required.",
      nullsStrict: "Backfill the NULLs first (`UPDATE {{table}} SET {{column}} = ... WHERE {{column}} IS NULL;`, in batches on a large table), then make the column required.",
    },
  },
  create(context) {
    const sqlMode = context.options.sqlMode.toUpperCase();
    const strict = /STRICT_(TRANS|ALL)_TABLES|TRADITIONAL/.test(sqlMode);
    const noZeroDate = strict && /NO_ZERO_DATE|TRADITIONAL/.test(sqlMode);
    const report = (op: Operation, messageId: string, table: QualifiedName, column: string, type: TypeSpec | null) =>
      context.report({
        node: op,
        messageId,
        data: { table: quoteName(table), column: quoteIdent(column), type: type?.text ?? "?", zero: zeroValue(type), mode: strict ? "even under a strict sql_mode" : "under this lax sql_mode" },
        // the silent fill is the error; where the sql_mode makes MySQL fail loudly instead, a warning
        ...(strict ? { atMost: "warn" as const } : {}),
      });
    return {
      "add-column"(op) {
        const c = op.column;
        if (!c.notNull || c.default || c.identity || c.generated || c.primaryKey || !context.existedBefore(op.table)) return;
        report(op, noZeroDate && DATES.has(c.type?.name ?? "") ? "failDate" : "fill", op.table, c.name, c.type);
      },
      "alter-column"(op) {
        if (op.change.kind !== "set-not-null" || !context.existedBefore(op.table)) return;
        const column = context.catalog.getColumn(op.table, op.column);
        if (!column || column.notNull || column.addedIn === context.migration.index) return;
        report(op, strict ? "nullsStrict" : "nullsLax", op.table, op.column, column.type);
      },
    };
  },
});
