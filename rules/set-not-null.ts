import { constantFill, ONE_STATEMENT_HELP } from "../src/engine/columns.js";
import { defineRule, fieldPlace, laterMigration, lineBreakOf, quoteIdent, quoteName, type RuleContext, type RuleFixer, type SuggestionDescriptor } from "../src/engine/rule.js";
import type { ConstraintState } from "../src/history/catalog.js";
import type { OperationOf, QualifiedName } from "../src/types.js";
import { rebuildCopy, type RebuildCopy } from "../src/engine/rebuild.js";

/** Help before Postgres 12, where SET NOT NULL cannot use a validated check. */
const BEFORE_12 =
  'Postgres {{version}} always scans for SET NOT NULL (the validated-check shortcut needs 12+). Keep the constraint as a CHECK {{addCheck}}validated in a later migration (`ALTER TABLE {{table}} VALIDATE CONSTRAINT {{check}};`) instead of NOT NULL, or run SET NOT NULL in a quiet window with SET lock_timeout; backfill the NULLs first. The field{{field}} can stay optional in schema.prisma meanwhile.';

export default defineRule({
  meta: {
    id: "set-not-null",
    type: "problem",
    docs: { description: "An existing column made NOT NULL: a failed migration if any row holds NULL (Postgres, and SQLite's rebuild copy), and on Postgres a full scan under ACCESS EXCLUSIVE.", preset: "recommended" },
    defaultSeverity: "warn",
    // where a NOT NULL column refuses the NULLs it finds (MySQL fills them instead: mysql-zero-fill)
    requires: { capabilities: ["not-null-check"] },
    hasSuggestions: true,
    messages: {
      checkDance: "Add the CHECK NOT VALID here; validate it, SET NOT NULL and drop the CHECK in a new migration {{folder}} that runs right after this one",
      copy: 'Makes {{table}}.{{column}} required in a table rebuild whose copy (this INSERT) copies the values as they are: the INSERT fails on the first row that holds NULL (NOT NULL constraint failed: {{copyColumn}}){{leftBehind}}. App instances still running the previous release may keep writing NULLs until the deploy.',
      setNotNull: 'SET NOT NULL on {{table}}.{{column}} scans every row of {{table}} under an ACCESS EXCLUSIVE lock, which blocks reads and writes until the scan finishes, and the migration fails if any row holds NULL (app instances still running the previous release may keep writing NULLs until the deploy).',
      afterDelete: 'SET NOT NULL on {{table}}.{{column}} scans all of {{table}} under an ACCESS EXCLUSIVE lock, which blocks reads and writes until the scan finishes. The DELETE on line {{line}} emptied the table, so the scan cannot fail, but the deleted rows stay on disk as dead tuples until VACUUM and the scan reads every one of them.',
    },
    help: {
      copy: 'Backfill the NULLs before this migration runs (`UPDATE {{table}} SET {{column}} = ... WHERE {{column}} IS NULL;`, in an earlier migration), or give the field a default (@default(...){{field}}): Prisma then copies coalesce({{column}}, <default>), which fills them.',
      afterDelete: 'To empty the table and tighten it in one migration, use `TRUNCATE {{table}};` instead of DELETE: it gives the table new, empty storage, so SET NOT NULL has nothing to scan.',
      setNotNull: 'Validate first, lock briefly: (1) {{step1}}(2) in a later migration: `ALTER TABLE {{table}} VALIDATE CONSTRAINT {{check}};` (3) then `ALTER TABLE {{table}} ALTER COLUMN {{column}} SET NOT NULL;` (Postgres 12+ uses the validated check and skips the scan) and `ALTER TABLE {{table}} DROP CONSTRAINT {{check}};` backfill the NULLs before (2), and make the field required in schema.prisma{{field}} when step (3) is generated.',
    },
  },
  create(context) {
    return {
      "alter-column"(op) {
        if (op.change.kind !== "set-not-null" || !context.existedBefore(op.table)) return;
        if (context.catalog.getColumn(op.table, op.column)?.notNull) return; // already NOT NULL: a no-op
        const copy = rebuildCopy(context, op.statement);
        if (copy) return reportCopy(context, op, copy);
        // TRUNCATEd in this transaction: nothing to scan, and TRUNCATE holds ACCESS EXCLUSIVE until the commit anyway
        const emptied = context.emptiedInTransaction(op.table, op.statement);
        if (emptied?.truncated) return;
        const version = context.project.postgresVersion;
        if (version >= 12 && hasValidatedNotNullCheck(context, op.table, op.column)) return;
        // a CHECK (col IS NOT NULL) the history already holds NOT VALID: validate that one instead of adding another
        const existing = notNullChecks(context, op.table, op.column)[0];
        const check = quoteIdent(existing?.name ?? `${op.table.name}_${op.column}_not_null`);
        const add = `\`ALTER TABLE ${quoteName(op.table)} ADD CONSTRAINT ${check} CHECK (${quoteIdent(op.column)} IS NOT NULL) NOT VALID;\``;
        const data = {
          table: quoteName(op.table),
          column: quoteIdent(op.column),
          check,
          step1: existing ? `the CHECK ${check} is already there${existing.notValid ? ", NOT VALID" : ""}; ` : `${add} `,
          addCheck: existing ? `${check}, which the history already has, ` : `added NOT VALID (${add}) and `,
          version,
          field: fieldPlace(context, op.table, op.column, " (field {field}, {place})"),
        };
        if (emptied) return context.report({ node: op, messageId: "afterDelete", data: { ...data, line: emptied.line } });
        // the SET NOT NULL of "add nullable, fill with a constant, SET NOT NULL": one ADD COLUMN ... NOT NULL DEFAULT does it all
        const fill = version >= 11 ? constantFill(context, op.table, op.column) : null;
        if (fill) return context.report({ node: op, messageId: "setNotNull", data: { ...data, oneStatement: fill.sql, updateLine: fill.update.range.loc.start.line }, help: ONE_STATEMENT_HELP });
        context.report({ node: op, messageId: "setNotNull", data, ...(version < 12 ? { help: BEFORE_12 } : existing ? {} : checkDance(context, op, check)) });
      },
    };
  },
});

/** The CHECK ("col" IS NOT NULL) constraints on the table (the history keeps each check's expression). */
function notNullChecks(context: RuleContext, table: QualifiedName, column: string): ConstraintState[] {
  const quoted = column.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  const isNotNull = new RegExp(`^\\(*\\s*"?${quoted}"?\\s+IS\\s+NOT\\s+NULL\\s*\\)*$`, "i");
  return [...(context.table(table)?.constraints.values() ?? [])].filter((c) => c.kind === "check" && c.expression !== null && isNotNull.test(c.expression.trim()));
}

const hasValidatedNotNullCheck = (context: RuleContext, table: QualifiedName, column: string) => notNullChecks(context, table, column).some((c) => !c.notValid);

/** A nullable column copied into a NOT NULL one by a rebuild (SQLite): no lock to speak of, the copy fails on a NULL. */
function reportCopy(context: RuleContext, op: OperationOf<"alter-column">, copy: RebuildCopy): void {
  if (context.emptiedInTransaction(op.table, op.statement)) return;
  const data = { table: quoteName(op.table), column: quoteIdent(op.column), copyColumn: `${copy.rebuild.from.name}.${op.column}`, leftBehind: copy.leftBehind, field: fieldPlace(context, op.table, op.column, " on {field} ({place})") };
  context.report({ node: op, messageId: "copy", data });
}

/**
 * The help's steps as a suggestion (Postgres 12+, a statement that only sets this column NOT NULL): the CHECK added
 * NOT VALID here, and in a folder that runs next its VALIDATE (SHARE UPDATE EXCLUSIVE: reads and writes go on),
 * SET NOT NULL (which uses the validated check instead of scanning) and DROP of the check. Same end schema.
 */
function checkDance(context: RuleContext, op: OperationOf<"alter-column">, check: string): { suggest?: SuggestionDescriptor[] } {
  const later = op.statement.operations.length === 1 ? laterMigration(context, `set_${op.column}_not_null`) : null;
  if (!later) return {};
  const eol = lineBreakOf(context.migration.file.text);
  const table = quoteName(op.table);
  const column = quoteIdent(op.column);
  const text = [`-- ValidateConstraint`, `ALTER TABLE ${table} VALIDATE CONSTRAINT ${check};`, "", `-- AlterTable`, `ALTER TABLE ${table} ALTER COLUMN ${column} SET NOT NULL;`, "", `-- DropCheck`, `ALTER TABLE ${table} DROP CONSTRAINT ${check};`, ""].join(eol);
  const fix = (fixer: RuleFixer) => fixer.replaceText(op.statement, `ALTER TABLE ${table} ADD CONSTRAINT ${check} CHECK (${column} IS NOT NULL) NOT VALID`);
  return { suggest: [{ messageId: "checkDance", data: { folder: later.name }, fix, files: [{ filePath: later.filePath, text }] }] };
}
