import { defineRule, quoteName, type RuleContext } from "../src/engine/rule.js";
import { transactionIds as transactionIdsOf } from "../src/model/queries.js";
import { DEFAULT_SCHEMA } from "../src/history/catalog.js";
import type { OperationOf, QualifiedName, Statement, TypeSpec } from "../src/types.js";

const ENUM_DDL = new Set(["add-enum-value", "create-enum", "rename-enum-value", "transaction"]);

export default defineRule({
  meta: {
    id: "enum-value-in-transaction",
    type: "problem",
    docs: { description: "An enum value added with ALTER TYPE ... ADD VALUE and used in the same transaction (the same migration file), or, before Postgres 12, ADD VALUE inside a transaction at all.", preset: "recommended" },
    defaultSeverity: "error",
    requires: { capabilities: ["enum-types"] },
    messages: {
      unsafeUse: "Uses '{{value}}', which line {{line}} adds to enum {{type}} in the same transaction ({{why}}): Postgres rejects it with 'unsafe use of new value \"{{value}}\" of enum type {{typeName}}' until the ADD VALUE has committed, so `prisma migrate deploy` fails on this migration (P3018).",
      inTransaction: "ALTER TYPE {{type}} ADD VALUE '{{value}}' runs inside a transaction ({{why}}): Postgres {{version}} (before 12) rejects it with \"ALTER TYPE ... ADD cannot run inside a transaction block\", so `prisma migrate deploy` fails on this migration.",
    },
    help: {
      unsafeUse: "Split the migration: the ADD VALUE in one migration file, the statements that use '{{value}}' (defaults, UPDATE/INSERT, casts, checks) in a later one. With Prisma: add the enum value to schema.prisma and run prisma migrate dev alone first, then make the change that uses it.",
      inTransaction: "Put each ALTER TYPE ... ADD VALUE in a migration file of its own, with no other statement and no BEGIN/COMMIT (Prisma's own comment says so for Postgres 11 and earlier), or upgrade to Postgres 12+.",
    },
  },
  create(context) {
    const added: Array<OperationOf<"add-enum-value">> = [];
    const multiStatement = context.migration.file.statements.length > 1;
    const scriptRunner = context.project.runner.model === "script-transaction";
    let ids: number[] | undefined;
    return {
      "add-enum-value"(op) {
        // values of a type created in the same transaction are safe to use (and to add, on any version)
        if (context.catalog.getEnum(op.type)?.createdIn === context.migration.index) return;
        const inBlock = context.inTransactionBlock(op.statement);
        if (context.project.postgresVersion < 12 && (inBlock || (scriptRunner && multiStatement))) {
          const why = inBlock ? "inside BEGIN ... COMMIT" : "the migration file has other statements, and Prisma runs a file as one transaction";
          context.report({ node: op, messageId: "inTransaction", data: { type: quoteName(op.type), value: op.value, why, version: context.project.postgresVersion } });
          return;
        }
        added.push(op);
      },
      Statement(statement) {
        if (!added.length || statement.operations.every((op) => ENUM_DDL.has(op.kind))) return;
        ids ??= transactionIds(context);
        const text = statement.text.replace(/--[^\n]*/g, "");
        for (const add of added) {
          if (ids[add.statement.index] !== ids[statement.index] || !usesValue(context, statement, text, add)) continue;
          const why = context.inTransactionBlock(statement) ? "inside the same BEGIN ... COMMIT block" : "the same migration file, which Prisma runs as one transaction";
          context.report({ node: statement, messageId: "unsafeUse", data: { value: add.value, line: add.statement.range.loc.start.line, type: quoteName(add.type), typeName: add.type.name, why } });
          return;
        }
      },
    };
  },
});

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
const isEnum = (type: TypeSpec | null | undefined, enumType: QualifiedName) =>
  !!type && type.name === enumType.name && (type.schema ?? DEFAULT_SCHEMA) === (enumType.schema ?? DEFAULT_SCHEMA);

/**
 * Does the statement use the new value *of this enum type*? A label is shared by many enums (PAUSED,
 * ACTIVE...), so the quoted value alone is not enough: the use must be tied to the type by a cast to it,
 * a DEFAULT on a column of that type, or (an approximation) a data change, constraint or other clause on
 * a table that has a column of that type.
 */
function usesValue(context: RuleContext, statement: Statement, text: string, add: OperationOf<"add-enum-value">): boolean {
  const literal = `'${add.value.replace(/'/g, "''")}'`;
  if (!text.includes(literal)) return false;
  const value = escapeRegExp(literal);
  const typeName = `(?:"?${escapeRegExp(add.type.schema ?? DEFAULT_SCHEMA)}"?\\s*\\.\\s*)?"?${escapeRegExp(add.type.name)}"?(?![\\w$"])`;
  // an unquoted type name is folded to lower case, so a lower-case name matches in any case
  const flags = add.type.name === add.type.name.toLowerCase() ? "i" : "";
  // 'VALUE'::"Type" and CAST('VALUE' AS "Type")
  const cast = new RegExp(`${value}\\s*::\\s*${typeName}|CAST\\s*\\(\\s*${value}\\s+AS\\s+${typeName}`, flags);
  if (cast.test(text)) return true;
  for (const op of statement.operations) {
    if (op.kind === "add-column") {
      if (isEnum(op.column.type, add.type) && op.column.default?.text.includes(literal)) return true;
      continue;
    }
    if (op.kind === "create-table") {
      if (op.columns.some((c) => isEnum(c.type, add.type) && c.default?.text.includes(literal))) return true;
      continue;
    }
    if (op.kind === "alter-column" && op.change.kind === "set-default") {
      // the same ALTER TABLE may change the column's type before setting the default
      const setType = statement.operations.find((o): o is OperationOf<"alter-column"> => o.kind === "alter-column" && o.column === op.column && o.change.kind === "set-type");
      const type = setType?.change.kind === "set-type" ? setType.change.type : context.catalog.getColumn(op.table, op.column)?.type;
      if (isEnum(type, add.type) && op.change.default.text.includes(literal)) return true;
      continue;
    }
    // UPDATE / INSERT / DELETE, CHECK constraints...: the table has a column of this enum type (or the history does not know the table)
    const tables: QualifiedName[] = "table" in op && op.table ? [op.table] : "tables" in op ? op.tables : [];
    for (const table of tables) {
      const state = context.catalog.getTable(table);
      if (!state || [...state.columns.values()].some((c) => isEnum(c.type, add.type))) return true;
    }
  }
  return false;
}

function transactionIds(context: RuleContext): number[] {
  return transactionIdsOf(context.migration.file.statements, context.project.runner.model);
}
