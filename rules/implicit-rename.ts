import { abbreviate, defineRule, fieldPlace, modelPlace, quoteIdent, quoteName, removeStatement, SchemaPart, type RuleContext, type RuleFixer, type SuggestionDescriptor } from "../src/engine/rule.js";
import { trimWarnings } from "../src/engine/prisma-warnings.js";
import { isBinaryCoercible } from "../src/dialects/postgres/locks.js";
import { copiedBefore, dataCopies, sameTable } from "../src/model/queries.js";
import { bestPairs, nameEvidence, nameWords, sameWords } from "../src/model/renames.js";
import type { Operation, OperationOf, QualifiedName, TypeSpec } from "../src/types.js";
import type { ColumnState } from "../src/history/catalog.js";

/** Share of matching columns (same words, same type) from which a dropped and a created table may be one table renamed. */
const TABLE_MATCH = 0.75;
/** Columns nearly every table has: matching on them says nothing. */
const GENERIC_COLUMNS = new Set(["id", "created at", "updated at", "a", "b"]);

type Dropped = { op: OperationOf<"drop-column">; type: TypeSpec; references: QualifiedName | null; column: ColumnState };
type DroppedTable = { op: OperationOf<"drop-table">; columns: Array<[string, string]> };

export default defineRule({
  meta: {
    id: "implicit-rename",
    type: "problem",
    docs: { description: "A renamed field or model that Prisma wrote as DROP + ADD COLUMN or DROP + CREATE TABLE: the data of the old column or table is lost.", preset: "recommended" },
    defaultSeverity: "error",
    hasSuggestions: true,
    messages: {
      renameColumn: 'Rename the column instead: ALTER TABLE {{table}} RENAME COLUMN {{fromSql}} TO {{toSql}} (its values are kept)',
      mapColumn: 'Keep the column: @map("{{from}}") on {{field}} in schema.prisma, and no change to the table in this migration',
      column: 'Looks like "{{from}}" was renamed to "{{to}}" on {{table}} ({{type}}; {{why}}), but the migration drops "{{from}}" and adds "{{to}}": every value of "{{from}}" is deleted, "{{to}}" starts {{empty}}, and app instances still running the previous release fail on queries that use "{{from}}".',
      table: 'Looks like table "{{from}}" was renamed to "{{to}}" ({{common}} of {{total}} columns match{{why}}), but the migration drops "{{from}}" and creates "{{to}}": every row of "{{from}}" is deleted, "{{to}}" starts empty, and app instances still running the previous release fail on every query on "{{from}}".',
    },
    help: {
      column: 'Edit migration.sql: replace the DROP COLUMN and ADD COLUMN with `ALTER TABLE {{table}} RENAME COLUMN {{fromSql}} TO {{toSql}};` or keep the column name in schema.prisma with @map("{{from}}") on the field{{field}} and regenerate the migration (nothing changes in the database).',
      table: 'Edit migration.sql: replace the DROP TABLE and CREATE TABLE with `ALTER TABLE {{fromTable}} RENAME TO {{toSql}};` (then rename its constraints and indexes to the names Prisma expects, e.g. "{{from}}_pkey" to "{{to}}_pkey", with ALTER TABLE ... RENAME CONSTRAINT and ALTER INDEX ... RENAME TO), or keep the table name with @@map("{{from}}") on the model{{model}} and regenerate the migration.',
    },
  },
  create(context) {
    const file = context.migration.file;
    const ops = file.statements.flatMap((s) => s.operations);
    const droppedColumns: Dropped[] = [];
    const droppedTables: DroppedTable[] = [];
    const added: Array<OperationOf<"add-column">> = [];
    const created: Array<OperationOf<"create-table">> = [];
    // foreign keys as they were before the migration: Prisma drops them (DropForeignKey) before the column
    const referencesBefore = new Map<OperationOf<"drop-column">, QualifiedName | null>();
    const filled = (table: QualifiedName, column?: string) => dataCopies(file).some((c) => sameTable(c.to.table, table) && (column === undefined || c.to.column === column));
    const pairUp = () => {
      const tables = bestPairs(
        created.flatMap((op) => (droppedTables.some((d) => sameTable(d.op.table, op.table)) ? [] : droppedTables.flatMap((d) => tableCandidate(context, d, op)))),
      );
      for (const { from, to, common, total, why } of tables) {
        context.report({ node: to, messageId: "table", data: { from: from.op.table.name, fromTable: quoteName(from.op.table), to: to.table.name, toSql: quoteIdent(to.table.name), common, total, why, model: modelHint(context, to.table) } });
      }
      // a table renamed in this migration: a foreign key to its old name points at the same rows
      const renamedTable = new Map(tables.map((t) => [t.from.op.table.name, t.to.table.name]));
      for (const op of ops) if (op.kind === "rename-table") renamedTable.set(op.table.name, op.newName);
      const sameTarget = (before: QualifiedName | null, after: QualifiedName | null) =>
        before === null || after === null ? before === after : (renamedTable.get(before.name) ?? before.name) === after.name;

      const readded = (d: Dropped) => added.some((a) => sameTable(a.table, d.op.table) && a.column.name === d.op.column);
      const candidates = added.flatMap((to) =>
        droppedColumns
          .filter((d) => sameTable(d.op.table, to.table) && !readded(d) && isBinaryCoercible(d.type, to.column.type!) && sameTarget(d.references, foreignKeyAdded(ops, to)))
          .flatMap((from) => {
            const target = from.references && renamedTable.get(from.references.name);
            // a foreign key column renamed along with the table it points at (executionId -> runId when Execution became JobRun)
            const followsTable = target ? { score: 0.7, why: `"${from.op.column}" referenced "${from.references!.name}", renamed to "${target}" in this migration, and "${to.column.name}" references "${target}"` } : null;
            const evidence = columnEvidence(context, from.op.column, to) ?? followsTable;
            return evidence ? [{ from, to, ...evidence }] : [];
          }),
      );
      for (const { from, to, why } of bestPairs(candidates)) {
        const column = to.column;
        const empty = column.notNull && !column.default ? "empty (and as NOT NULL without a default, the ADD fails on a non-empty table)" : column.default ? `with the default ${abbreviate(column.default.text)} in every row` : "NULL in every row";
        const data = { from: from.op.column, to: column.name, fromSql: quoteIdent(from.op.column), toSql: quoteIdent(column.name), table: quoteName(to.table), type: from.type.text, why, empty, field: fieldHint(context, to.table, column.name) };
        context.report({ node: to, messageId: "column", data, ...renameSuggestion(context, from, to) });
      }
    };
    return {
      Migration() {
        for (const op of ops) if (op.kind === "drop-column") referencesBefore.set(op, foreignKeyBefore(context, op.table, op.column));
      },
      "drop-column"(op) {
        const column = context.catalog.getColumn(op.table, op.column);
        if (!context.existedBefore(op.table) || !column?.type || column.addedIn === context.migration.index) return;
        // the data was copied (UPDATE ... SET "new" = "old", INSERT ... SELECT): it is not lost
        if (copiedBefore(file, op.statement, op.table, op.column)) return;
        droppedColumns.push({ op, type: column.type, references: referencesBefore.get(op) ?? null, column });
      },
      "drop-table"(op) {
        const table = context.table(op.table);
        if (!table || !context.existedBefore(op.table) || copiedBefore(file, op.statement, op.table)) return;
        droppedTables.push({ op, columns: [...table.columns.values()].map((c) => [c.name, c.type?.text ?? "?"]) });
      },
      "add-column"(op) {
        if (context.existedBefore(op.table) && op.column.type && !filled(op.table, op.column.name)) added.push(op);
      },
      "create-table"(op) {
        // a table made to replace one dropped in this migration under the same name (SQLite's rebuild) is not a rename
        const recreates = ops.some((o) => o.kind === "rename-table" && sameTable(o.table, op.table) && ops.some((d) => d.kind === "drop-table" && d.table.name === o.newName));
        if (!op.asSelect && op.columns.length && !filled(op.table) && !recreates) created.push(op);
      },
      "Migration:exit"() {
        // whether schema.prisma maps a field or model of the old name to the new one is evidence: decided once it is parsed
        if ((created.length && droppedTables.length) || (added.length && droppedColumns.length)) context.whenSchema(() => pairUp());
      },
    };
  },
});

/** Names, the migration's name, and schema.prisma: a field that kept the old column's name and now maps to the new column. */
function columnEvidence(context: RuleContext, from: string, to: OperationOf<"add-column">): { score: number; why: string } | null {
  const byName = nameEvidence(from, to.column.name, context.migration.name);
  // a field named as the old column for the new one: none where the schema's text cannot hold it (no waiting for its parse)
  const field = context.project.schemaMayMap(from, to.column.name) ? context.prismaField(to.table, to.column.name) : undefined;
  if (!field || field.name.toLowerCase() !== from.toLowerCase()) return byName;
  const why = `schema.prisma's field ${context.prismaModel(to.table)?.name}.${field.name} now maps to "${to.column.name}"`;
  return { score: 1 + (byName?.score ?? 0), why: byName ? `${why}; ${byName.why}` : why };
}

function tableCandidate(context: RuleContext, from: DroppedTable, to: OperationOf<"create-table">) {
  const common = to.columns.filter((c) => from.columns.some(([name, type]) => type === (c.type?.text ?? "?") && sameWords(name, c.name)));
  const total = Math.max(from.columns.length, to.columns.length);
  const telling = common.filter((c) => !GENERIC_COLUMNS.has(nameWords(c.name).join(" "))).length;
  const byName = nameEvidence(from.op.table.name, to.table.name, context.migration.name);
  const byModel = context.project.schemaMayMap(from.op.table.name, to.table.name) && context.prismaModel(to.table)?.name.toLowerCase() === from.op.table.name.toLowerCase() ? `schema.prisma's model ${from.op.table.name} now maps to "${to.table.name}"` : null;
  const ratio = total ? common.length / total : 0;
  // many columns in common say so on their own; join tables (A, B) and id/createdAt-only tables need the names too
  const enough = ratio >= TABLE_MATCH ? telling >= 2 || byName || byModel : ratio >= 0.5 && (byModel || (byName && sameWords(from.op.table.name, to.table.name)));
  if (!enough) return [];
  const why = [byModel, byName?.why].filter(Boolean).map((w) => `; ${w}`).join("");
  return [{ from, to, common: common.length, total, why, score: ratio + (byName?.score ?? 0) + (byModel ? 1 : 0) }];
}

/** The table the column referenced before the migration (a single-column foreign key). */
function foreignKeyBefore(context: RuleContext, table: QualifiedName, column: string): QualifiedName | null {
  const constraints = context.table(table)?.constraints.values() ?? [];
  for (const c of constraints) if (c.kind === "foreign-key" && c.columns.length === 1 && c.columns[0] === column && c.references) return c.references;
  return null;
}

/** The table the added column references, inline or with an ADD CONSTRAINT ... FOREIGN KEY of this migration. */
function foreignKeyAdded(ops: Operation[], op: OperationOf<"add-column">): QualifiedName | null {
  if (op.column.references) return op.column.references.table;
  const key = ops.find((o) => o.kind === "add-constraint" && sameTable(o.table, op.table) && o.constraint.kind === "foreign-key" && o.constraint.columns.join() === op.column.name);
  return key?.kind === "add-constraint" ? key.constraint.references?.table ?? null : null;
}

function modelHint(context: RuleContext, table: QualifiedName): SchemaPart {
  return modelPlace(context, table, " (model {model}, {place})");
}

function fieldHint(context: RuleContext, table: QualifiedName, column: string): SchemaPart {
  return fieldPlace(context, table, column, " {field} ({place})");
}

/**
 * RENAME COLUMN in place of Prisma's DROP + ADD: only where the rename gives the column the added one's type,
 * nullability and default (the same end schema), and the two are whole statements or the only two clauses of one.
 * The Warnings lines about the drop and the required column no longer apply and go.
 */
function renameSuggestion(context: RuleContext, from: Dropped, to: OperationOf<"add-column">): { suggest?: SuggestionDescriptor[] } {
  const { column } = to;
  const same = from.column.type?.text === column.type?.text && from.column.notNull === column.notNull && (from.column.default?.text ?? null) === (column.default?.text ?? null);
  const [drop, add] = [from.op.statement, to.statement];
  const shape = drop === add ? (drop.operations.length === 2 ? "one" : null) : drop.operations.length === 1 && add.operations.length === 1 ? "two" : null;
  if (!same || !shape || column.identity || column.generated) return {};
  const file = context.migration.file;
  const table = to.table.name;
  const rename = `ALTER TABLE ${quoteName(to.table)} RENAME COLUMN ${quoteIdent(from.op.column)} TO ${quoteIdent(column.name)}`;
  const stale = (line: string) => line.includes(`drop the column \`${from.op.column}\` on the \`${table}\` table`) || line.includes(`Added the required column \`${column.name}\` to the \`${table}\` table`);
  const edits = (fixer: RuleFixer) => [...trimWarnings(file, stale), ...(shape === "two" ? [removeStatement(file, drop)] : [])];
  const suggest: SuggestionDescriptor[] = [{ messageId: "renameColumn", fix: (fixer) => [...edits(fixer), fixer.replaceText(add, rename)] }];
  // or the database keeps the column and schema.prisma maps the field to it: then nothing else of the migration may use the new name
  const usesNewName = file.statements.some((s) => s !== add && s.text.includes(quoteIdent(column.name)));
  if (!usesNewName) {
    suggest.push({
      messageId: "mapColumn",
      fix: (fixer) => [...edits(fixer), removeStatement(file, add)],
      // whether schema.prisma has the field under the new name without @map: known when the report is built
      fromSchema: () => {
        const field = context.prismaField(to.table, column.name);
        const schemaText = field ? context.project.schemaText(field.location.file) : undefined;
        if (!field || schemaText === undefined || field.name !== column.name || field.attributes.some((a) => a.name === "map")) return null;
        const at = field.location.range.end;
        return {
          data: { from: from.op.column, field: `${context.prismaModel(to.table)?.name}.${field.name}` },
          files: [{ filePath: field.location.file, text: `${schemaText.slice(0, at)} @map(${JSON.stringify(from.op.column)})${schemaText.slice(at)}` }],
        };
      },
    });
  }
  return { suggest };
}
