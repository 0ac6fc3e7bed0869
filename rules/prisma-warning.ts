import { defineRule, quoteName, type RuleContext } from "../src/engine/rule.js";
import type { Operation, SourceRange, Statement } from "../src/types.js";

/** One line of Prisma's `Warnings:` block: its kind, the operations it is about, and whether another built-in rule already reports them. */
interface WarningKind {
  id: string;
  pattern: RegExp;
  /** Reported by another built-in rule (destructive-change, add-required-column, unique-constraint, set-not-null, column-type-change): only its absence is news. */
  covered: boolean;
  /** Is `op` the statement the warning is about, or the safe replacement we recommend for it (a RENAME instead of DROP + ADD)? */
  matches(op: Operation, a: string, b: string, typeOf: (table: string, column: string) => string | undefined): boolean;
  /** The warned change is made elsewhere: in place when the migration ends (read from the catalog, at the migration's end). */
  holds?(context: RuleContext, a: string, b: string): boolean;
  /**
   * schema.prisma declares the warned change, so the statement moved to a migration of its own (CREATE UNIQUE INDEX
   * CONCURRENTLY, which refuses a transaction). Asked once the schema is parsed (RuleContext.whenSchema).
   */
  declared?(context: RuleContext, a: string, b: string): boolean;
  /** The table the warning is about, for the warnings about one table's columns or key. */
  table?(args: string[]): string;
}

const secondArg = (args: string[]) => args[1]!;

const col = (op: Operation, column: string, table: string) =>
  (op.kind === "drop-column" || op.kind === "add-column" || op.kind === "alter-column") && op.table.name === table && (op.kind === "add-column" ? op.column.name : op.column) === column;
const setType = (op: Operation, column: string, table: string) => op.kind === "alter-column" && op.change.kind === "set-type" && op.table.name === table && op.column === column;
const sameColumns = (a: string[], b: string[]) => a.length === b.length && a.every((c) => b.includes(c));
/** The author replaced DROP + ADD by the rename it stood for (breaking-rename reports the rename). */
const renamedFrom = (op: Operation, column: string, table: string) => op.kind === "rename-column" && op.table.name === table && op.column === column;
const renamedTo = (op: Operation, column: string, table: string) => op.kind === "rename-column" && op.table.name === table && op.newName === column;

/**
 * A SQLite table rebuild of `table` (`-- RedefineTables`) whose new table has `column` (or, `has` false, lacks it): where
 * Prisma's column warnings happen there, whatever the author's copy does with the values (fills a required column, maps
 * it by hand); the copy's own operations (drop-column, add-column, set-not-null, set-type) match first.
 */
const rebuilt = (op: Operation, table: string, column: string | null, has = true) => op.kind === "rebuild-table" && op.table.name === table && (column === null || op.columns.includes(column) === has);

const KINDS: WarningKind[] = [
  { id: "drop-column", covered: true, table: secondArg, pattern: /^You are about to drop the column `([^`]+)` on the `([^`]+)` table/, matches: (op, c, t) => (op.kind === "drop-column" && col(op, c, t)) || renamedFrom(op, c, t) || rebuilt(op, t, c, false) },
  { id: "drop-table", covered: true, pattern: /^You are about to drop the `([^`]+)` table/, matches: (op, t) => (op.kind === "drop-table" || op.kind === "rename-table") && op.table.name === t },
  { id: "required-column", covered: true, table: secondArg, pattern: /^(?:Added the required column|The required column) `([^`]+)` (?:to|was added to) the `([^`]+)` table/, matches: (op, c, t) => (op.kind === "add-column" && col(op, c, t)) || renamedTo(op, c, t) || rebuilt(op, t, c) },
  { id: "recreated-column", covered: true, table: secondArg, pattern: /^(?:Changed the type of `([^`]+)` on the `([^`]+)` table\. No cast|The `([^`]+)` column on the `([^`]+)` table would be dropped and recreated)/,
    // an enum renamed in place (ALTER TYPE ... RENAME TO) instead of the column dropped and recreated
    matches: (op, c, t, typeOf) => col(op, c, t) || renamedFrom(op, c, t) || (op.kind === "rename-type" && typeOf(t, c) === op.type.name),
  },
  {
    id: "unique", covered: true, table: secondArg, pattern: /^A unique constraint covering the columns `\[([^\]]*)\]` on the table `([^`]+)`/,
    matches: (op, cols, t) => {
      const columns = cols.split(",").map((c) => c.trim());
      if (op.kind === "create-index") return op.unique && op.table.name === t && sameColumns(op.columns, columns);
      return op.kind === "add-constraint" && op.table.name === t && op.constraint.kind === "unique" && sameColumns(op.constraint.columns, columns);
    },
    holds: (context, cols, t) => {
      const columns = cols.split(",").map((c) => c.trim());
      const index = context.catalog.getIndex({ schema: null, name: `${t}_${columns.join("_")}_key` });
      const constraints = [...(context.catalog.getTable({ schema: null, name: t })?.constraints.values() ?? [])];
      return (!!index?.unique && sameColumns(index.columns, columns)) || constraints.some((c) => (c.kind === "unique" || c.kind === "primary-key") && sameColumns(c.columns, columns));
    },
    declared: (context, cols, t) => {
      const columns = cols.split(",").map((c) => c.trim());
      const model = context.prismaModel({ schema: null, name: t });
      const columnOf = (field: string) => model?.fields.find((f) => f.name === field)?.columnName ?? field;
      return !!model?.indexes.some((i) => (i.kind === "unique" || i.kind === "id") && sameColumns(i.fields.map(columnOf), columns)) || (columns.length === 1 && !!model?.fields.some((f) => f.unique && f.columnName === columns[0]));
    },
  },
  {
    id: "enum-values", covered: true, pattern: /^The values? \[[^\]]*\] on the enum `([^`]+)` will be removed/,
    matches: (op, e) =>
      ((op.kind === "create-enum" || op.kind === "rename-type" || op.kind === "drop-type") && [e, `${e}_new`, `${e}_old`].includes(op.type.name)) ||
      // MySQL: the enum is the column's own ENUM(...) type, which Prisma names <table>_<column>
      (op.kind === "alter-column" && op.change.kind === "set-type" && op.change.type.name === "enum" && `${op.table.name}_${op.column}` === e),
  },
  { id: "made-required", covered: true, table: secondArg, pattern: /^Made the column `([^`]+)` on table `([^`]+)` required/, matches: (op, c, t) => (op.kind === "alter-column" && op.change.kind === "set-not-null" && col(op, c, t)) || rebuilt(op, t, c) },
  { id: "cast", covered: true, table: secondArg, pattern: /^You are about to alter the column `([^`]+)` on the `([^`]+)` table/, matches: (op, c, t) => setType(op, c, t) || rebuilt(op, t, c) },
  { id: "list", covered: true, table: secondArg, pattern: /^Changed the column `([^`]+)` on the `([^`]+)` table from a scalar field to a list field/, matches: (op, c, t) => setType(op, c, t) || col(op, c, t) },
  {
    id: "primary-key", covered: false, table: (args) => args[0]!, pattern: /^The primary key for the `([^`]+)` table will be changed/,
    matches: (op, t) => (op.kind === "drop-constraint" && op.table.name === t && (op.name.endsWith("_pkey") || op.name === "PRIMARY")) || (op.kind === "add-constraint" && op.table.name === t && op.constraint.kind === "primary-key") || rebuilt(op, t, null),
  },
];

export default defineRule({
  meta: {
    id: "prisma-warning",
    type: "problem",
    docs: { description: "Prisma's own `Warnings:` block: warnings whose statement was edited away, hand-added drops it does not mention, and a primary key change Prisma 7.4+ would run outside a transaction.", preset: "recommended" },
    defaultSeverity: "warn",
    messages: {
      stale: "Prisma warned \"{{warning}}\" but no statement of this migration does that any more: the SQL was edited after it was generated, so the warning (and the review it got) no longer describes what runs.",
      unmentioned: "{{what}} is not among the warnings Prisma wrote above: it was added by hand after generation (or Prisma saw an empty table in the development database), so a reviewer reading the warnings does not see this loss.",
      primaryKey: "Prisma warned: \"{{warning}}\" With Prisma {{version}} the statements of this file run one by one, not in one transaction: if adding the new key fails (duplicates, NULLs), the old key is already gone and the table is left without a primary key.",
    },
    help: {
      stale: "Remove the warning line if the edit was intended (and say in a comment what the SQL does instead), or regenerate the migration with `prisma migrate dev --create-only`.",
      unmentioned: "Add a comment that says why the data may go, or move the drop to its own migration so it is reviewed as such.",
      primaryKey: 'Wrap the key change in BEGIN; ... COMMIT; so that it applies completely or not at all, and check for duplicates and NULLs first. On a large table build the index first (CREATE UNIQUE INDEX CONCURRENTLY, its own migration) and swap with ADD CONSTRAINT ... PRIMARY KEY USING INDEX.',
    },
  },
  create(context) {
    const file = context.migration.file;
    const ops = file.statements.flatMap((s) => s.operations);
    const warnings: Array<{ kind: WarningKind; args: string[]; text: string; range: SourceRange }> = [];
    for (const comment of file.comments) {
      if (comment.kind !== "block" || !/^\s*Warnings:/.test(comment.text)) continue;
      const textStart = comment.range.start + 2;
      for (const m of comment.text.matchAll(/^[ \t]*- (.+)$/gm)) {
        const text = m[1]!.trim();
        const kind = KINDS.find((k) => k.pattern.test(text));
        if (!kind) continue;
        const args = kind.pattern.exec(text)!.slice(1).filter((a): a is string => a !== undefined);
        const start = textStart + m.index! + m[0].indexOf("- ");
        warnings.push({ kind, args, text, range: file.rangeOf(start, start + m[0].trimEnd().length - m[0].indexOf("- ")) });
      }
    }
    // column types as the migration found them (an ALTER TYPE ... RENAME TO in it retypes the columns)
    const typesBefore = new Map<string, string | undefined>();
    const typeOf = (table: string, column: string) => typesBefore.get(`${table}.${column}`);
    const mentioned = (op: Operation) => warnings.some((w) => w.kind.matches(op, w.args[0]!, w.args[1] ?? "", typeOf));
    const perStatement = context.project.runner.model === "per-statement";
    const blocks = file.comments.filter((c) => c.kind === "block" && /^\s*Warnings:/.test(c.text));
    // a block holding a line Prisma never writes ("- THIS IS BREAKING") is the author's own account of the change
    const prismasBlock = blocks.length > 0 && blocks.every((c) => [...c.text.matchAll(/^[ \t]*- (.+)$/gm)].every((m) => KINDS.some((k) => k.pattern.test(m[1]!.trim()))));
    // statements the model does not look into (DO blocks, functions): a warning may be about what they run
    const opaque = file.statements.filter((s) => s.operations.every((o) => o.kind === "other"));
    const inOpaque = (args: string[]) => opaque.some((s) => args.every((a) => a.split(",").every((name) => s.text.includes(name.trim()))));
    const dropped = new Set(ops.flatMap((o) => (o.kind === "drop-table" ? [o.table.name] : [])));
    const droppedWhole = (w: { kind: WarningKind; args: string[] }) => {
      const table = w.kind.table?.(w.args);
      return table !== undefined && dropped.has(table);
    };
    const unmentioned = (op: Operation) => prismasBlock && !mentioned(op) && !explained(file.comments, op.statement, op.range.loc.start.line);

    return {
      Migration() {
        for (const [column, table] of warnings.map((w) => w.args)) {
          if (column && table) typesBefore.set(`${table}.${column}`, context.catalog.getColumn({ schema: null, name: table }, column)?.type?.name);
        }
      },
      "Migration:exit"() {
        const stale: typeof warnings = [];
        for (const w of warnings) {
          const op = ops.find((o) => w.kind.matches(o, w.args[0]!, w.args[1] ?? "", typeOf));
          if (!op) {
            // a table the migration drops whole takes the warned change with it (a rebuild whose copy was edited out, a
            // DROP + CREATE written by hand): the warning understates the loss, which `unmentioned` and destructive-change report
            if (!inOpaque(w.args) && !w.kind.holds?.(context, w.args[0]!, w.args[1] ?? "") && !droppedWhole(w)) stale.push(w);
          } else if (!w.kind.covered && perStatement && !context.inTransactionBlock(op.statement) && op.kind !== "rebuild-table") {
            // (a rebuild's new key is built by its copy: a failure leaves the old table and its key in place)
            context.report({ node: op, messageId: "primaryKey", data: { warning: w.text, version: context.project.runner.prismaVersion ?? "" } });
          }
        }
        // all of them once schema.prisma is parsed (one may be declared there), in order: their fingerprints count them
        if (stale.length) {
          context.whenSchema(() => {
            for (const w of stale) if (!w.kind.declared?.(context, w.args[0]!, w.args[1] ?? "")) context.report({ range: w.range, messageId: "stale", data: { warning: w.text } });
          });
        }
      },
      "drop-table"(op) {
        if (context.existedBefore(op.table) && !(op.ifExists && !context.table(op.table)) && unmentioned(op)) {
          context.report({ node: op, messageId: "unmentioned", data: { what: `Dropping table ${quoteName(op.table)}` } });
        }
      },
      "drop-column"(op) {
        const column = context.catalog.getColumn(op.table, op.column);
        if (!context.existedBefore(op.table) || column?.addedIn === context.migration.index || !unmentioned(op)) return;
        context.report({ node: op, messageId: "unmentioned", data: { what: `Dropping column "${op.column}" of ${quoteName(op.table)}` } });
      },
    };
  },
});

/** Prisma's own section comments (`-- AlterTable`, `-- DropForeignKey`) say what, never why. */
const SECTION = /^\s*[A-Z][A-Za-z]+\s*$/;

/** A comment of the author's right above the statement or the clause: the drop is explained where it is made. */
function explained(comments: Array<{ kind: string; text: string; range: SourceRange }>, statement: Statement, line: number): boolean {
  const above = new Set([line - 1, statement.range.loc.start.line - 1]);
  return comments.some((c) => above.has(c.range.loc.end.line) && !SECTION.test(c.text) && !/^\s*Warnings:/.test(c.text));
}
