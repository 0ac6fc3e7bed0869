import { defineRule, formatName, type RuleContext } from "../src/engine/rule.js";
import type { OperationOf } from "../src/types.js";

const ENUM_DDL = new Set(["add-enum-value", "create-enum", "rename-enum-value", "transaction"]);

export default defineRule({
  meta: {
    id: "enum-value-in-transaction",
    type: "problem",
    docs: { description: "An enum value added with ALTER TYPE ... ADD VALUE and used in the same transaction (the same migration file), or, before Postgres 12, ADD VALUE inside a transaction at all.", preset: "recommended" },
    defaultSeverity: "error",
    messages: {
      unsafeUse: "Uses '{{value}}', which line {{line}} adds to enum \"{{type}}\" in the same transaction ({{why}}): Postgres rejects it with 'unsafe use of new value \"{{value}}\" of enum type {{type}}' until the ADD VALUE has committed, so `prisma migrate deploy` fails on this migration (P3018).",
      inTransaction: "ALTER TYPE \"{{type}}\" ADD VALUE '{{value}}' runs inside a transaction ({{why}}): Postgres {{version}} (before 12) rejects it with \"ALTER TYPE ... ADD cannot run inside a transaction block\", so `prisma migrate deploy` fails on this migration.",
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
          context.report({ node: op, messageId: "inTransaction", data: { type: formatName(op.type), value: op.value, why, version: context.project.postgresVersion } });
          return;
        }
        added.push(op);
      },
      Statement(statement) {
        if (!added.length || statement.operations.every((op) => ENUM_DDL.has(op.kind))) return;
        ids ??= transactionIds(context);
        const text = statement.text.replace(/--[^\n]*/g, "");
        for (const add of added) {
          if (ids[add.statement.index] !== ids[statement.index] || !text.includes(`'${add.value.replace(/'/g, "''")}'`)) continue;
          const why = context.inTransactionBlock(statement) ? "inside the same BEGIN ... COMMIT block" : "the same migration file, which Prisma runs as one transaction";
          context.report({ node: statement, messageId: "unsafeUse", data: { value: add.value, line: add.statement.range.loc.start.line, type: formatName(add.type), why } });
          return;
        }
      },
    };
  },
});

/**
 * The transaction each statement of the file runs in (by statement index): under the script-transaction runner the
 * whole file is one transaction until a COMMIT/ROLLBACK; under per-statement each statement is its own, except inside BEGIN ... COMMIT.
 */
function transactionIds(context: RuleContext): number[] {
  const perStatement = context.project.runner.model === "per-statement";
  const ids: number[] = [];
  let id = 0;
  let open = false;
  for (const s of context.migration.file.statements) {
    const t = s.operations.find((o) => o.kind === "transaction");
    const action = t?.kind === "transaction" ? t.action : null;
    if (action === "begin") {
      if (perStatement && !open) id++;
      open = true;
    } else if (perStatement && !open) id++;
    ids[s.index] = id;
    if (action === "commit" || action === "rollback") {
      open = false;
      id++;
    }
  }
  return ids;
}
