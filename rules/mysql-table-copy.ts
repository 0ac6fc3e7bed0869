import { defineRule, quoteIdent, quoteName } from "../src/engine/rule.js";
import type { Operation, Statement } from "../src/types.js";

/** The statement names an in-place algorithm: MySQL then refuses to copy (error 1846) rather than copy in silence. */
const inPlace = (statement: Statement) => statement.operations.some((op) => op.kind === "other" && (op.nodeType === "ALGORITHM=INPLACE" || op.nodeType === "ALGORITHM=INSTANT"));
const OFF = /^\s*(0|off|false)\s*$/i;

export default defineRule({
  meta: {
    id: "mysql-table-copy",
    type: "problem",
    docs: { description: "An ALTER TABLE that MySQL runs with ALGORITHM=COPY on an existing table (a foreign key added with foreign_key_checks on, a column type change): every row is copied into a new table while writes wait.", preset: "recommended" },
    defaultSeverity: "warn",
    dialects: ["mysql"],
    messages: {
      foreignKey: "Adds foreign key {{name}} to {{table}}, which already holds rows: with foreign_key_checks on, InnoDB can only add it with ALGORITHM=COPY, which copies every row of {{table}} into a new table and checks each against {{parent}}, while writes to {{table}} wait (reads continue) until the copy finishes.",
      typeChange: "Changes {{table}}.{{column}} from {{from}} to {{to}}: InnoDB cannot change a column's type in place, so it copies every row of {{table}} into a new table (ALGORITHM=COPY) while writes to {{table}} wait (reads continue) until the copy finishes.",
    },
    help: {
      foreignKey: "On a large table, add the key with an online schema change tool that supports foreign keys (pt-online-schema-change; gh-ost does not), or, accepting that existing rows are then not checked, put `SET foreign_key_checks = 0;` before the ALTER and end it with `, ALGORITHM=INPLACE, LOCK=NONE` (no copy), then look for orphans: `SELECT c.* FROM {{table}} c LEFT JOIN {{parent}} p ON {{join}} WHERE p.{{firstParentColumn}} IS NULL AND c.{{firstColumn}} IS NOT NULL;`",
      typeChange: "On a large table, make the change with an online schema change tool (pt-online-schema-change, gh-ost) outside the migration, or expand and contract: add a column of the new type, backfill it in batches, switch the code, and drop the old column in a later migration.",
    },
  },
  create(context) {
    let foreignKeyChecks = true;
    return {
      Statement(statement) {
        for (const op of statement.operations) if (op.kind === "set" && op.name === "foreign_key_checks") foreignKeyChecks = !OFF.test(op.value ?? "");
      },
      "add-constraint"(op) {
        const c = op.constraint;
        if (c.kind !== "foreign-key" || !c.references || !foreignKeyChecks || inPlace(op.statement) || !context.existedBefore(op.table)) return;
        const columns = c.columns;
        const parentColumns = c.references.columns;
        context.report({
          node: op as Operation,
          messageId: "foreignKey",
          data: {
            name: c.name ? quoteIdent(c.name) : "",
            table: quoteName(op.table),
            parent: quoteName(c.references.table),
            join: columns.map((col, i) => `p.${quoteIdent(parentColumns[i] ?? col)} = c.${quoteIdent(col)}`).join(" AND "),
            firstColumn: quoteIdent(columns[0] ?? ""),
            firstParentColumn: quoteIdent(parentColumns[0] ?? ""),
          },
        });
      },
      "alter-column"(op) {
        if (op.change.kind !== "set-type" || inPlace(op.statement) || !context.existedBefore(op.table)) return;
        const from = context.catalog.getColumn(op.table, op.column)?.type;
        const to = op.change.type;
        const change = from ? context.typeChange(from, to) : undefined;
        // unknown history: not guessed at. Appending enum values is instant (measured), a longer VARCHAR may be in place
        if (!from || !change || change.kind === "same") return;
        if (change.kind === "widening" && ((from.name === to.name && (to.name === "enum" || to.name === "set")) || (from.name === "varchar" && to.name === "varchar"))) return;
        context.report({ node: op, messageId: "typeChange", data: { table: quoteName(op.table), column: quoteIdent(op.column), from: from.text, to: to.text } });
      },
    };
  },
});
