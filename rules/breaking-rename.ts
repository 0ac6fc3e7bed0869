import { defineRule, fieldPlace, modelPlace, quoteIdent, quoteName } from "../src/engine/rule.js";
import { columnSwaps, movedBefore } from "../src/model/queries.js";
import type { QualifiedName } from "../src/types.js";

export default defineRule({
  meta: {
    id: "breaking-rename",
    type: "problem",
    docs: { description: "Renames of tables, columns, types and enum values that existed before the migration: app instances still running the previous release query the old name.", preset: "recommended" },
    defaultSeverity: "warn",
    messages: {
      column: "Renames column {{fromSql}} of {{table}} to {{toSql}}: while the deploy rolls out, app instances still running the previous release select and write {{fromSql}} and fail.",
      moved: "Drops column {{fromSql}} of {{table}} after copying its data into {{toSql}} (line {{line}}): the data is kept, but this is a rename in effect, and while the deploy rolls out, app instances still running the previous release select and write {{fromSql}} and fail.",
      table: 'Renames table {{from}} to {{toSql}}: while the deploy rolls out, app instances still running the previous release query {{from}} and fail.',
      type: 'Renames type {{from}} to "{{to}}": queries and casts of the previous release that name {{from}} fail while the deploy rolls out.',
      value: "Renames value '{{from}}' of enum {{type}} to '{{to}}': app instances still running the previous release write '{{from}}' and fail with \"invalid input value for enum\".",
    },
    help: {
      column: 'Keep the database name and rename only the field: `{{to}} ... @map("{{from}}")`{{where}}. Or expand and contract: add "{{to}}", write both, backfill, switch reads, and drop "{{from}}" in a later release.',
      moved: 'Expand and contract: release the code that writes both and reads "{{to}}" first, and drop "{{from}}" in a later migration. Or keep the database name and rename only the field: `{{to}} ... @map("{{from}}")`{{where}}.',
      table: 'Keep the table name and rename only the model: `@@map("{{name}}")`{{where}}. Or expand and contract: create the new table, write both, backfill, switch reads, and drop the old one in a later release.',
      type: 'Keep the database name with `@@map("{{name}}")` on the enum in schema.prisma, or ship the rename after no released code names the type.',
      value: "Add the new value first (ALTER TYPE ... ADD VALUE '{{to}}'), release code that writes it, migrate the rows (UPDATE ... SET col = '{{to}}' WHERE col = '{{from}}'), then remove '{{from}}' in a later release; or keep the database value with @map(\"{{from}}\") on the enum value.",
    },
  },
  create(context) {
    const index = context.migration.index;
    const ops = context.migration.file.statements.flatMap((s) => s.operations);
    const where = (table: QualifiedName, column?: string) => (column ? fieldPlace(context, table, column, " ({place})") : modelPlace(context, table, " ({place})"));
    const enumExisted = (type: QualifiedName) => {
      const state = context.catalog.getEnum(type);
      return !state || state.createdIn < index;
    };
    /**
     * A swap, not a rename: the old name exists again when the migration ends (Prisma's enum recreation
     * RENAME "X" TO "X_old" + RENAME "X_new" TO "X", or a hand-written rename + CREATE under the old name).
     */
    const recreated = (kind: "type" | "table", name: QualifiedName) =>
      ops.some((op) =>
        kind === "type"
          ? (op.kind === "create-enum" && op.type.name === name.name) || (op.kind === "rename-type" && op.newName === name.name)
          : (op.kind === "create-table" && op.table.name === name.name) || (op.kind === "rename-table" && op.newName === name.name),
      );

    return {
      "rename-column"(op) {
        const column = context.catalog.getColumn(op.table, op.column);
        if (!context.existedBefore(op.table) || (column && column.addedIn === index)) return;
        const data = { from: op.column, to: op.newName, fromSql: quoteIdent(op.column), toSql: quoteIdent(op.newName), table: quoteName(op.table), where: where(op.table, op.newName).or(where(op.table, op.column)) };
        context.report({ node: op, messageId: "column", data });
      },
      "drop-column"(op) {
        const moved = movedBefore(context.migration.file, op);
        const column = context.catalog.getColumn(op.table, op.column);
        // a swap (the copy takes the old name back) keeps the name: column-type-change reports it
        if (!moved?.to.column || !context.existedBefore(op.table) || column?.addedIn === index || columnSwaps(context.migration.file).some((s) => s.drop === op)) return;
        const data = { from: op.column, to: moved.to.column, fromSql: quoteIdent(op.column), toSql: quoteIdent(moved.to.column), table: quoteName(op.table), line: moved.statement.range.loc.start.line, where: where(op.table, moved.to.column) };
        context.report({ node: op, messageId: "moved", data });
      },
      "rename-table"(op) {
        if (!context.existedBefore(op.table) || recreated("table", op.table)) return;
        const renamed = { schema: op.table.schema, name: op.newName };
        context.report({ node: op, messageId: "table", data: { from: quoteName(op.table), name: op.table.name, to: op.newName, toSql: quoteIdent(op.newName), where: where(renamed).or(where(op.table)) } });
      },
      "rename-type"(op) {
        if (!enumExisted(op.type) || recreated("type", op.type)) return;
        context.report({ node: op, messageId: "type", data: { from: quoteName(op.type), name: op.type.name, to: op.newName } });
      },
      "rename-enum-value"(op) {
        if (!enumExisted(op.type)) return;
        context.report({ node: op, messageId: "value", data: { from: op.value, to: op.newValue, type: quoteName(op.type) } });
      },
    };
  },
});
