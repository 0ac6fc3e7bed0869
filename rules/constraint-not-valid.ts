import { defineRule, formatName, laterMigration, lineBreakOf, migrationFile, quoteIdent, quoteName, removeStatement, type RuleFixer } from "../src/engine/rule.js";
import { blockedBy } from "../src/dialects/postgres/locks.js";
import type { LockMode, Operation, QualifiedName, Statement } from "../src/types.js";

export default defineRule({
  meta: {
    id: "constraint-not-valid",
    type: "problem",
    docs: { description: "FOREIGN KEY or CHECK added to an existing table without NOT VALID (a validation scan under lock), or validated in the same transaction that added it.", preset: "recommended" },
    defaultSeverity: "warn",
    requires: { capabilities: ["not-valid-constraints"] },
    fixable: "code",
    hasSuggestions: true,
    messages: {
      validateLater: "Add it NOT VALID here, and validate it in a new migration {{folder}} that runs right after this one",
      moveValidate: "Move the VALIDATE to a new migration {{folder}} that runs right after this one",
      validates: 'Adds {{what}} "{{name}}" to {{table}} without NOT VALID: Postgres checks every existing row of {{table}} while holding {{locks}}, which blocks {{blocked}} until the scan finishes{{rows}}.',
      sameTransaction: 'VALIDATE CONSTRAINT "{{name}}" runs in the same transaction as the ADD CONSTRAINT ... NOT VALID on line {{line}} ({{why}}): the lock the ADD took ({{locks}}) is held while the validation scans every row, so it blocks {{blocked}} just as if NOT VALID had not been used.',
    },
    help: {
      validates: 'Edit migration.sql: add it as NOT VALID, which only checks new writes (`ALTER TABLE {{table}} {{clause}} NOT VALID;`), then validate it in a migration file of its own: `ALTER TABLE {{table}} VALIDATE CONSTRAINT "{{name}}";` takes SHARE UPDATE EXCLUSIVE, which lets reads and writes through. schema.prisma does not change.',
      sameTransaction: 'Move `ALTER TABLE {{table}} VALIDATE CONSTRAINT "{{name}}";` into a later migration file (on its own it takes only SHARE UPDATE EXCLUSIVE, which lets reads and writes through).',
    },
  },
  create(context) {
    const notValidAdds = new Map<string, Statement>();
    const lockText = (op: Operation) => {
      const byMode = new Map<LockMode, string[]>();
      for (const l of context.locks(op)) if (context.existedBefore(l.table)) byMode.set(l.mode, [...new Set([...(byMode.get(l.mode) ?? []), quoteName(l.table)])]);
      const list = [...byMode].map(([mode, tables]) => ({ mode, tables: tables.join(" and ") }));
      return {
        mode: list[0]?.mode ?? "ACCESS EXCLUSIVE",
        locks: list.map((l) => `${l.mode} on ${l.tables}`).join(" and "),
        blocked: list.map((l) => `${blockedBy(l.mode)} on ${l.tables}`).join(" and "),
      };
    };
    /** What the existing rows do to the validation: fail it, or (the table emptied by DELETE) only slow it down. */
    const rows = (op: Operation & { table: QualifiedName }) => {
      const emptied = context.emptiedInTransaction(op.table, op.statement);
      return emptied
        ? `; it cannot fail (the DELETE on line ${emptied.line} emptied the table), but the scan still reads every deleted row, which stays on disk until VACUUM`
        : ", and the migration fails if any row violates it";
    };
    /**
     * NOT VALID, and VALIDATE CONSTRAINT as the next statement: only where that statement runs in a transaction of
     * its own (the runner sends statements one by one, outside BEGIN ... COMMIT), so the end schema is the same and
     * the validation holds only SHARE UPDATE EXCLUSIVE. Under the whole-file runner it would share the ADD's
     * transaction and lock: nothing to fix there (a VALIDATE in a later migration is a person's choice).
     */
    const fixOf = (op: Operation & { kind: "add-constraint" }, name: string | null) => {
      if (name === null) return {};
      if (context.project.runner.model !== "per-statement" || context.inTransactionBlock(op.statement)) return validateLater(op, name);
      const eol = lineBreakOf(context.migration.file.text);
      return {
        fix: (fixer: RuleFixer) => [
          fixer.insertTextAfter(op, " NOT VALID"),
          fixer.insertTextAfter(op.statement, `;${eol}ALTER TABLE ${quoteName(op.table)} VALIDATE CONSTRAINT ${quoteIdent(name)}`),
        ],
      };
    };
    /** Where the VALIDATE would share the ADD's transaction: offered as a folder of its own that runs next (a person chooses when it runs). */
    const validateLater = (op: Operation & { kind: "add-constraint" }, name: string) => {
      const later = laterMigration(context, `validate_${name}`);
      if (!later) return {};
      const file = context.migration.file;
      const validate = `ALTER TABLE ${quoteName(op.table)} VALIDATE CONSTRAINT ${quoteIdent(name)}`;
      return { suggest: [{ messageId: "validateLater", data: { folder: later.name }, fix: (fixer: RuleFixer) => fixer.insertTextAfter(op, " NOT VALID"), files: [{ filePath: later.filePath, text: migrationFile(file, "ValidateConstraint", validate) }] }] };
    };
    const clauseOf = (op: Operation) => context.migration.file.text.slice(op.range.start, op.range.end).replace(/\s+NOT\s+VALID\s*$/i, "");
    return {
      "add-constraint"(op) {
        const c = op.constraint;
        if (c.kind !== "foreign-key" && c.kind !== "check") return;
        const name = c.name ?? `${op.table.name}_${c.columns.join("_")}_${c.kind === "check" ? "check" : "fkey"}`;
        if (c.notValid) notValidAdds.set(`${formatName(op.table)}.${name}`, op.statement);
        // a table TRUNCATEd in this transaction has no row to check, and TRUNCATE holds ACCESS EXCLUSIVE on it already
        if (c.notValid || !context.existedBefore(op.table) || context.emptiedInTransaction(op.table, op.statement)?.truncated) return;
        const what = c.kind === "check" ? "CHECK constraint" : "foreign key";
        context.report({ node: op, messageId: "validates", data: { what, name, table: quoteName(op.table), clause: clauseOf(op), rows: rows(op), ...lockText(op) }, ...fixOf(op, c.name) });
      },
      "add-column"(op) {
        const ref = op.column.references;
        if (!ref || !context.existedBefore(op.table) || context.emptiedInTransaction(op.table, op.statement)?.truncated) return;
        const name = `${op.table.name}_${op.column.name}_fkey`;
        const clause = `ADD COLUMN "${op.column.name}" ${op.column.type?.text ?? ""}, ADD CONSTRAINT "${name}" FOREIGN KEY ("${op.column.name}") REFERENCES ${quoteName(ref.table)}(${ref.columns.map((c) => `"${c}"`).join(", ")})`;
        context.report({ node: op, messageId: "validates", data: { what: "foreign key", name, table: quoteName(op.table), clause, rows: rows(op), ...lockText(op) } });
      },
      "validate-constraint"(op) {
        const added = notValidAdds.get(`${formatName(op.table)}.${op.name}`);
        if (!added || !context.existedBefore(op.table)) return; // a table created in this migration is empty: nothing to scan
        if (context.transactionOf(added) !== context.transactionOf(op.statement)) return;
        const why = context.inTransactionBlock(op.statement) ? "inside the same BEGIN ... COMMIT block" : "the same migration file, which Prisma runs as one transaction";
        const constraint = added.operations.find((o) => o.kind === "add-constraint" && (o.constraint.name === op.name || o.constraint.name === null));
        const held = constraint ? lockText(constraint) : null;
        const { locks, blocked } = held?.locks ? held : { locks: `ACCESS EXCLUSIVE on ${quoteName(op.table)}`, blocked: `reads and writes on ${quoteName(op.table)}` };
        const later = laterMigration(context, `validate_${op.name}`);
        const file = context.migration.file;
        const suggest = later && op.statement.operations.length === 1 ? [{ messageId: "moveValidate", data: { folder: later.name }, fix: () => removeStatement(file, op.statement), files: [{ filePath: later.filePath, text: migrationFile(file, "ValidateConstraint", op.statement.text.trim()) }] }] : undefined;
        context.report({ node: op, messageId: "sameTransaction", data: { name: op.name, table: quoteName(op.table), line: added.range.loc.start.line, why, locks, blocked }, ...(suggest ? { suggest } : {}) });
      },
    };
  },
});

