import { abbreviate, defineRule, formatName, schemaPlace, type RuleContext } from "../src/engine/rule.js";
import { isBinaryCoercible } from "../src/model/locks.js";
import type { OperationOf, QualifiedName, TypeSpec } from "../src/types.js";

/** Share of matching columns (name and type) above which a dropped and a created table are taken for a rename. */
const TABLE_MATCH = 0.75;

type Dropped = { table: QualifiedName; column: string; type: TypeSpec };
type DroppedTable = { table: QualifiedName; columns: Map<string, string> };
const key = (t: QualifiedName) => `${t.schema ?? "public"}.${t.name}`;

export default defineRule({
  meta: {
    id: "implicit-rename",
    type: "problem",
    docs: { description: "A renamed field or model that Prisma wrote as DROP + ADD COLUMN or DROP + CREATE TABLE: the data of the old column or table is lost.", preset: "recommended" },
    defaultSeverity: "error",
    messages: {
      column: 'Looks like "{{from}}" was renamed to "{{to}}" on "{{table}}" ({{type}}), but the migration drops "{{from}}" and adds "{{to}}": every value of "{{from}}" is deleted, "{{to}}" starts {{empty}}, and app instances still running the previous release fail on queries that use "{{from}}".',
      table: 'Looks like table "{{from}}" was renamed to "{{to}}" ({{common}} of {{total}} columns match), but the migration drops "{{from}}" and creates "{{to}}": every row of "{{from}}" is deleted, "{{to}}" starts empty, and app instances still running the previous release fail on every query on "{{from}}".',
    },
    help: {
      column: 'Edit migration.sql: replace the DROP COLUMN and ADD COLUMN with ALTER TABLE "{{table}}" RENAME COLUMN "{{from}}" TO "{{to}}"; or keep the column name in schema.prisma with @map("{{from}}") on the field{{field}} and regenerate the migration (nothing changes in the database).',
      table: 'Edit migration.sql: replace the DROP TABLE and CREATE TABLE with ALTER TABLE "{{from}}" RENAME TO "{{to}}"; (and rename its constraints and indexes: ALTER TABLE "{{to}}" RENAME CONSTRAINT "{{from}}_pkey" TO "{{to}}_pkey"; ALTER INDEX "..." RENAME TO "...";), or keep the table name with @@map("{{from}}") on the model{{model}} and regenerate the migration.',
    },
  },
  create(context) {
    const droppedColumns: Dropped[] = [];
    const droppedTables: DroppedTable[] = [];
    const added: Array<OperationOf<"add-column">> = [];
    const created: Array<OperationOf<"create-table">> = [];
    return {
      "drop-column"(op) {
        const column = context.catalog.getColumn(op.table, op.column);
        if (!context.existedBefore(op.table) || !column?.type || column.addedIn === context.migration.index) return;
        droppedColumns.push({ table: op.table, column: op.column, type: column.type });
      },
      "drop-table"(op) {
        const table = context.table(op.table);
        if (!table || !context.existedBefore(op.table)) return;
        droppedTables.push({ table: op.table, columns: new Map([...table.columns.values()].map((c) => [c.name, c.type?.text ?? "?"])) });
      },
      "add-column"(op) {
        if (context.existedBefore(op.table) && op.column.type) added.push(op);
      },
      "create-table"(op) {
        if (!op.asSelect && op.columns.length) created.push(op);
      },
      "Migration:exit"() {
        for (const op of added) {
          const to = op.column;
          const candidates = droppedColumns.filter((d) => key(d.table) === key(op.table) && d.column !== to.name && isBinaryCoercible(d.type, to.type!));
          const pick = best(candidates, (d) => similarity(d.column, to.name));
          if (!pick) continue;
          droppedColumns.splice(droppedColumns.indexOf(pick), 1);
          const empty = to.notNull && !to.default ? "empty (and as NOT NULL without a default, the ADD fails on a non-empty table)" : to.default ? `with the default ${abbreviate(to.default.text)} in every row` : "NULL in every row";
          context.report({ node: op, messageId: "column", data: { from: pick.column, to: to.name, table: formatName(op.table), type: pick.type.text, empty, field: fieldHint(context, op.table, to.name) } });
        }
        for (const op of created) {
          if (droppedTables.some((d) => key(d.table) === key(op.table))) continue; // re-created under the same name
          const columns = op.columns.map((c) => [c.name, c.type?.text ?? "?"] as const);
          const scored = droppedTables.map((d) => ({ d, common: columns.filter(([n, t]) => d.columns.get(n) === t).length, total: Math.max(d.columns.size, columns.length) }));
          const pick = best(scored.filter((s) => s.common / s.total >= TABLE_MATCH), (s) => s.common / s.total);
          if (!pick) continue;
          droppedTables.splice(droppedTables.indexOf(pick.d), 1);
          context.report({ node: op, messageId: "table", data: { from: pick.d.table.name, to: op.table.name, common: pick.common, total: pick.total, model: modelHint(context, op.table) } });
        }
      },
    };
  },
});

function best<T>(items: T[], score: (item: T) => number): T | undefined {
  return items.reduce<T | undefined>((a, b) => (a === undefined || score(b) > score(a) ? b : a), undefined);
}

/** Length of the longest common substring, case-insensitive: "name" / "fullName" share 4. */
function similarity(a: string, b: string): number {
  const [x, y] = [a.toLowerCase(), b.toLowerCase()];
  let longest = 0;
  for (let i = 0; i < x.length; i++) for (let j = i + longest + 1; j <= x.length && y.includes(x.slice(i, j)); j++) longest = j - i;
  return longest;
}

function modelHint(context: RuleContext, table: QualifiedName): string {
  const model = context.prismaModel(table);
  return model ? ` (model ${model.name}, ${schemaPlace(context, model.location)})` : "";
}

function fieldHint(context: RuleContext, table: QualifiedName, column: string): string {
  const field = context.prismaField(table, column);
  const model = context.prismaModel(table);
  return field && model ? ` ${model.name}.${field.name} (${schemaPlace(context, field.location)})` : "";
}
