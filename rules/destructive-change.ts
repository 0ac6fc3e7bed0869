import { defineRule, modelPlace, quoteIdent, quoteName } from "../src/engine/rule.js";
import { copiedBefore, movedBefore, type DataPlace } from "../src/model/queries.js";
import type { Operation, QualifiedName } from "../src/types.js";

interface Options {
  /** Accept a drop when the same migration first copied the data (CREATE TABLE ... AS SELECT or INSERT ... SELECT). */
  allowPreserved: boolean;
}

/** Prisma recreates an enum to remove values: CREATE TYPE "X_new", ... RENAME "X" TO "X_old", ... DROP TYPE "X_old". */
const PRISMA_OLD_ENUM = /^(.*)_old$/;

export default defineRule<Options>({
  meta: {
    id: "destructive-change",
    type: "problem",
    docs: { description: "Statements that destroy data: dropped tables, columns, schemas, enum types and values, TRUNCATE, DELETE without WHERE.", preset: "recommended" },
    defaultSeverity: "error",
    schema: {
      type: "object",
      properties: { allowPreserved: { type: "boolean" } },
      additionalProperties: false,
    },
    defaultOptions: { allowPreserved: false },
    messages: {
      dropTable: 'Drops table {{table}} and every row in it{{cascade}}. {{fate}}, and app instances still running the previous release fail on every query that touches it.',
      dropColumn: 'Drops column {{columnSql}} of {{table}}{{type}}: {{fate}}, and app instances still running the previous release fail on queries that select it.',
      dropSchema: 'Drops schema "{{schema}}"{{cascade}}: every table in it and their data are lost.',
      dropDatabase: 'Drops database "{{database}}": everything in it is lost.',
      truncate: "Empties {{tables}}{{cascade}}: every row is deleted and the command cannot be undone after commit.",
      deleteAll: 'DELETE without WHERE removes every row of {{table}}.',
      dropEnum: 'Drops enum type {{type}}{{usedBy}}{{cascade}}: columns of this type must be gone or converted, and its values can no longer be stored.',
      removeEnumValues: 'Removes {{values}} from enum {{type}}: the USING cast fails (and the migration with it) if any row still holds {{them}}, and app instances still running the previous release fail when they write {{them}}.',
    },
    help: {
      dropTable: "If the model was renamed, rename the table instead (ALTER TABLE ... RENAME TO, or keep the old name with @@map(\"{{name}}\") in schema.prisma). Otherwise ship it in two releases: first stop using the model, then drop the table after backing it up (CREATE TABLE ... AS SELECT, or {{dump}}).",
      dropColumn: "If the field was renamed, edit the SQL to ALTER TABLE {{table}} RENAME COLUMN, or keep the column name with @map(\"{{column}}\") on the field{{modelHint}}. Otherwise release the code that stops reading {{columnSql}} first, back the data up, and drop the column in a later migration.",
      dropSchema: "Drop the tables one by one in migrations of their own after backing them up, so every loss is visible in review.",
      dropDatabase: "Never drop a database from a migration; do it by hand after a verified backup.",
      truncate: "Delete the rows in a data job you can audit (DELETE ... WHERE, in batches) or back the table up first.",
      deleteAll: "Add a WHERE clause, or run the cleanup as a batched job outside the migration after backing the rows up.",
      dropEnum: "Drop or convert the columns of this type first (in schema.prisma: remove the fields or change their type), in a release that no longer writes its values; then DROP TYPE without CASCADE, which Postgres refuses while any column still uses the type.",
      removeEnumValues: "Migrate the rows first (UPDATE ... SET col = 'replacement' WHERE col IN ({{list}})) in an earlier migration, and release code that no longer writes {{list}} before removing {{them}} from enum {{type}} in schema.prisma.",
    },
  },
  create(context) {
    const file = context.migration.file;
    const preserved = (op: Operation & { table: QualifiedName }, column?: string) => context.options.allowPreserved && !!copiedBefore(file, op.statement, op.table, column);
    const cascadeText = (cascade: boolean) => (cascade ? " and, with CASCADE, everything that depends on it" : "");
    const modelHint = (table: QualifiedName) => modelPlace(context, table, " (model {model}, {shortPlace})");

    return {
      "drop-table"(op) {
        if (!context.existedBefore(op.table) || preserved(op)) return;
        // a defensive DROP TABLE IF EXISTS of a table no migration ever created has nothing known to lose
        if (op.ifExists && !context.table(op.table)) return;
        const copy = copiedBefore(file, op.statement, op.table);
        const rowsCopied = copy?.statement.operations.some((o) => (o.kind === "data-change" && o.action === "insert") || (o.kind === "create-table" && o.asSelect));
        const fate = copy && rowsCopied ? `Its rows were copied into ${place(copy.to)} first (line ${copy.statement.range.loc.start.line})` : "The data is gone for good";
        context.report({ node: op, messageId: "dropTable", data: { table: quoteName(op.table), name: op.table.name, cascade: cascadeText(op.cascade), fate, dump: context.project.backup.table } });
      },
      "drop-column"(op) {
        if (!context.existedBefore(op.table) || preserved(op, op.column)) return;
        const column = context.catalog.getColumn(op.table, op.column);
        if (column && column.addedIn === context.migration.index) return;
        // its data was copied into another column of the table first (a hand-written rename, a column swap):
        // nothing is lost; breaking-rename and column-type-change report what the move does
        if (movedBefore(file, op)) return;
        // copied elsewhere (INSERT INTO "other" SELECT ...): kept there, but the column still goes
        const copy = copiedBefore(file, op.statement, op.table, op.column);
        context.report({
          node: op,
          messageId: "dropColumn",
          data: { table: quoteName(op.table), column: op.column, columnSql: quoteIdent(op.column), type: column?.type ? ` (${column.type.text}, added in ${migrationName(context, column.addedIn)})` : "", modelHint: modelHint(op.table), fate: copy ? `its data was copied into ${place(copy.to)} first (line ${copy.statement.range.loc.start.line})` : "its data is lost" },
        });
      },
      "drop-schema"(op) {
        context.report({ node: op, messageId: "dropSchema", data: { schema: op.schema, cascade: cascadeText(op.cascade) } });
      },
      "drop-database"(op) {
        context.report({ node: op, messageId: "dropDatabase", data: { database: op.database } });
      },
      truncate(op) {
        const existing = op.tables.filter((t) => context.existedBefore(t));
        if (!existing.length) return;
        context.report({ node: op, messageId: "truncate", data: { tables: existing.map((t) => quoteName(t)).join(", "), cascade: cascadeText(op.cascade) } });
      },
      "data-change"(op) {
        if (op.action !== "delete" || op.hasWhere || !context.existedBefore(op.table) || preserved(op)) return;
        context.report({ node: op, messageId: "deleteAll", data: { table: quoteName(op.table) } });
      },
      "drop-type"(op) {
        const dropped = context.catalog.getEnum(op.type);
        if (dropped && dropped.createdIn === context.migration.index) return;
        const base = PRISMA_OLD_ENUM.exec(op.type.name)?.[1];
        const replacement = base ? context.catalog.getEnum({ schema: op.type.schema, name: base }) : undefined;
        if (dropped && replacement) {
          const removed = dropped.values.filter((v) => !replacement.values.includes(v));
          if (!removed.length) return;
          const values = `${removed.length === 1 ? "value" : "values"} ${removed.map((v) => `'${v}'`).join(", ")}`;
          context.report({ node: op, messageId: "removeEnumValues", data: { values, list: removed.map((v) => `'${v}'`).join(", "), type: quoteIdent(replacement.name), them: removed.length === 1 ? "it" : "them" } });
          return;
        }
        // no column uses the type any more (dropped earlier, here or in an earlier migration): nothing is lost, and
        // without CASCADE Postgres refuses to drop a type that some column the history does not know still uses
        const columns = context.catalog.columnsOfType(op.type);
        if (!columns.length && !op.cascade) return;
        const usedBy = columns.length ? ` (still the type of ${columns.map(({ table, column }) => `${quoteIdent(table.name)}.${quoteIdent(column.name)}`).join(", ")})` : "";
        context.report({ node: op, messageId: "dropEnum", data: { type: quoteName(op.type), usedBy, cascade: cascadeText(op.cascade) } });
      },
    };
  },
});

const place = (p: DataPlace) => `${quoteName(p.table)}${p.column ? `.${quoteIdent(p.column)}` : ""}`;

function migrationName(context: { migrationName(index: number): string | undefined }, index: number): string {
  return context.migrationName(index) ?? "before the first migration";
}

