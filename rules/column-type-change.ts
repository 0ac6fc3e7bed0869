import { abbreviate, defineRule, fieldPlace, quoteIdent, quoteName, type RuleContext } from "../src/engine/rule.js";
import { enumRecreation } from "../src/engine/risk.js";
import { blockedBy, changesIndexOpclass, isBinaryCoercible, isNarrowing, widens } from "../src/dialects/postgres/locks.js";
import { storedType, typeSql } from "../src/model/ast.js";
import { castFailureNote, columnSwaps, dataDependentCasts, usingExpression } from "../src/model/queries.js";
import { rebuildCopy } from "../src/engine/rebuild.js";

/** Types whose values are free text: a cast out of them depends on every row's value. */
const TEXTUAL = new Set(["text", "varchar", "bpchar", "citext", "json", "jsonb"]);
import type { OperationOf, QualifiedName, TypeSpec } from "../src/types.js";

export default defineRule({
  meta: {
    id: "column-type-change",
    type: "problem",
    docs: { description: "A column type change on an existing table: on Postgres a full rewrite under ACCESS EXCLUSIVE; a narrower type fails the migration or loses data (Postgres, MySQL by sql_mode), or leaves values Prisma Client cannot read (SQLite).", preset: "recommended" },
    defaultSeverity: "error",
    // Postgres: the rewrite under its lock (table-locks); MySQL: the values its type table says may not fit; SQLite: the
    // values a rebuild's copy keeps as they are (the copy itself is sqlite-rebuild's)
    messages: {
      kept: "Changes {{table}}.{{column}} from {{from}} to {{to}} in a table rebuild: its copy converts a value only where the new type can hold it without loss, and {{why}}. No data is lost and the migration does not fail, but Prisma Client may fail on every row holding such a value (P2023, Inconsistent column data: Could not convert value ...).",
      copyFails: "Changes {{table}}.{{column}} from {{from}} to {{to}} in a table rebuild, and {{why}}: the copy (this INSERT) fails on the first row whose value does not fit{{leftBehind}}.",
      narrowing: 'Changes {{table}}.{{column}} from {{from}} to {{to}}{{using}}: rows whose values do not fit the new type make the migration fail (too long, out of range, not castable) or lose data (rounded, truncated), and the table is rewritten under an {{mode}} lock on {{table}} that blocks {{blocked}} until it finishes. App instances still running the previous release may write values the new type rejects.{{casts}}',
      rewrite: 'Changes {{table}}.{{column}} from {{from}} to {{to}}{{using}}: Postgres rewrites the whole table and rebuilds its indexes under an {{mode}} lock on {{table}}, which blocks {{blocked}} until it finishes.{{casts}}',
      swap: 'Changes the type of {{table}}.{{column}} from {{from}} to {{to}} by swapping columns (ADD COLUMN "{{temp}}", UPDATE on line {{line}}, DROP COLUMN, RENAME): the data is kept, but the UPDATE fails, and the migration with it, on the first row whose value does not convert to {{to}}; it rewrites every row of {{table}}; and app instances still running the previous release keep writing {{from}} values, which fail where {{to}} does not accept them.',
      enumRecreation: 'Moves {{table}}.{{column}} from {{from}} to {{to}}{{using}}, an enum recreated in this migration{{removed}}: Postgres rewrites the whole table and rebuilds its indexes under an {{mode}} lock on {{table}}, which blocks {{blocked}} until it finishes.',
      lossy: "Changes {{table}}.{{column}} from {{from}} to {{to}}, and {{why}}: under a strict sql_mode (MySQL 8's default) the ALTER fails on the first such row, after the statements before it in the file are committed; under a lax sql_mode the value is converted without an error (truncated, clipped to the range, or '' for an enum) and its data is lost. App instances still running the previous release may write values the new type rejects.",
      indexRebuild: 'Changes {{table}}.{{column}} from {{from}} to {{to}}: the table is not rewritten ({{to}} and {{from}} are binary-coercible), but the comparison rules change, so Postgres rebuilds {{indexes}} under an ACCESS EXCLUSIVE lock on {{table}}, which blocks reads and writes until every index is built{{unique}}.',
    },
    help: {
      copyFails: "Check the values first (`SELECT {{column}}, typeof({{column}}) FROM {{table}};`) and convert the ones that do not fit in an earlier migration, or keep the old type{{field}}.",
      kept: "Look at how the values are stored before deploying (`SELECT {{column}}, typeof({{column}}) FROM {{table}};`) and convert or fix the ones that do not fit {{to}} with an UPDATE in an earlier migration (or a CAST in the copy), and release code that writes only values that fit first{{field}}.",
      lossy: "Find the rows that do not fit {{to}} before deploying and fix them (or keep the old type), and release code that only writes values that fit first. On a large table use expand and contract: add the new column (`ALTER TABLE {{table}} ADD COLUMN {{newColumn}} {{to}};`), backfill it in batches, switch the code, drop the old column in a later migration{{field}}.",
      swap: 'Check first that every value converts (SELECT {{column}} FROM {{table}} and try the cast). On a large table, backfill "{{temp}}" in batches outside the migration and release code that writes {{to}} before the swap; on a small one, ALTER TABLE {{table}} ALTER COLUMN {{column}} TYPE {{to}} USING ... does the same in one statement.',
      narrowing: 'Expand and contract: add a new column (`ALTER TABLE {{table}} ADD COLUMN {{newColumn}} {{to}};`), backfill it in batches outside the migration (fixing the values that do not fit), switch the code to it, then drop {{column}} in a later migration; in schema.prisma{{field}} the new field is added beside the old one and can take its name back with @map. Count the rows that do not fit {{to}} before.',
      enumRecreation: "To add values, prefer ALTER TYPE ... ADD VALUE (no rewrite; use the value in a later migration) over recreating the enum; a new sort order can often be had without a rewrite (ORDER BY array_position(...) or CASE). If the recreation is needed on a large table, run it with a lock_timeout at a quiet time.",
      indexRebuild: 'Find the values that would collide first: `SELECT lower({{column}}), count(*) FROM {{table}} GROUP BY lower({{column}}) HAVING count(*) > 1;` On a large table run the change at a quiet time with SET lock_timeout, or expand and contract: a new {{to}} column, its index built CONCURRENTLY in a migration of its own, backfilled in batches.',
      rewrite: 'On a large table, use expand and contract: add the new column (`ALTER TABLE {{table}} ADD COLUMN {{newColumn}} {{to}};`), backfill it in batches, switch the code, drop the old column later (schema.prisma{{field}}: a second field, renamed back with @map). Changes that need no rewrite: varchar(n) to a longer varchar or to text, numeric(p,s) to a larger precision with the same scale.',
    },
  },
  create(context) {
    return {
      "drop-column"(op) {
        const swap = columnSwaps(context.migration.file).find((s) => s.drop === op);
        const from = context.catalog.getColumn(op.table, op.column);
        if (!swap || !context.existedBefore(op.table) || !from || from.addedIn === context.migration.index) return;
        const data = { table: quoteName(op.table), column: quoteIdent(op.column), from: from.type ? typeSql(from.type) : "its previous type", to: swap.added.column.type ? typeSql(swap.added.column.type) : "?", temp: swap.added.column.name, line: swap.copy.statement.range.loc.start.line };
        context.report({ node: op, messageId: "swap", data });
      },
      "alter-column"(op) {
        if (op.change.kind !== "set-type" || !context.existedBefore(op.table)) return;
        // emptied in this transaction: no value can fail the cast or be cut; after TRUNCATE there is nothing to
        // rewrite either (and TRUNCATE holds ACCESS EXCLUSIVE already), after DELETE the rewrite still reads the dead rows
        const emptied = context.emptiedInTransaction(op.table, op.statement);
        if (emptied?.truncated) return;
        const { type: to, using } = op.change;
        const declared = context.catalog.getColumn(op.table, op.column)?.type;
        const from = declared ? storedType(declared) : null;
        if (!context.project.capabilities.has("table-locks")) {
          // no rewrite-and-lock model here (MySQL's table copy is mysql-table-copy's finding): only values that may not fit, by the dialect's type table
          // a rebuild's copy (SQLite) keeps what it cannot convert, or fails where the dialect says so; an ALTER (MySQL) fails or converts by sql_mode
          const copy = rebuildCopy(context, op.statement);
          const key = copy ? { primaryKey: isSoleKey(context, copy.rebuild.from.name, op.column) } : undefined;
          const verdict = from ? context.typeChange(from, to, key) : undefined;
          if (verdict?.kind !== "narrowing" || emptied) return;
          if (!copy) return reportRewrite(context, op, from, "lossy", { why: verdict.why });
          reportRewrite(context, op, from, verdict.fails ? "copyFails" : "kept", { why: verdict.why, leftBehind: copy.leftBehind });
          return;
        }
        const recreated = enumRecreation(context, from, to);
        if (recreated) {
          // every recreation rewrites the table; the removed values themselves (failed cast, lost values) are
          // destructive-change's finding on the DROP TYPE, so this one speaks of the rewrite only
          const removed = recreated.removed?.length ? `, removing ${recreated.removed.map((v) => `'${v}'`).join(", ")}` : recreated.removed ? ", keeping every old value" : "";
          reportRewrite(context, op, from, "enumRecreation", { removed });
          return;
        }
        if (from && using === null && changesIndexOpclass(from, to)) {
          const indexes = indexesOn(context, op.table, op.column);
          if (!indexes.length) return; // nothing to rebuild: a catalog change only
          const unique = indexes.filter((i) => i.unique).map((i) => quoteIdent(i.name));
          const data = {
            indexes: `${indexes.length === 1 ? "its index" : "its indexes"} ${indexes.map((i) => quoteIdent(i.name)).join(", ")}`,
            unique: unique.length && to.name === "citext" ? `, and ${unique.join(", ")} fails to build (and the migration with it) if two rows hold values that differ only in case` : "",
          };
          reportRewrite(context, op, from, "indexRebuild", data);
          return;
        }
        if (from && using === null && isBinaryCoercible(from, to)) return;
        // a USING that only casts the column (or shifts a time zone) loses nothing on a widening conversion
        const plainUsing = using !== null && new RegExp(`^\\(?\\s*"?${op.column.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}"?\\s*(\\)|::\\s*[\\w". ()\\[\\],]+|\\s+AT\\s+TIME\\s+ZONE\\s+'[^']*')*\\s*\\)?$`, "i").test(using.trim());
        // unknown previous type: a bounded target (varchar(n), numeric(p,s)) may cut values
        const narrowing = !from ? using !== null || to.modifiers.length > 0 : plainUsing ? isNarrowing(from, to, null) || !widens(from, to) : isNarrowing(from, to, using);
        reportRewrite(context, op, from, narrowing && !emptied ? "narrowing" : "rewrite", {});
      },
    };
  },
});

function reportRewrite(context: RuleContext, op: OperationOf<"alter-column">, from: TypeSpec | null, messageId: string, extra: Record<string, string>): void {
  if (op.change.kind !== "set-type") return;
  const { type: to, using } = op.change;
  const lock = context.locks(op)[0] ?? { mode: "ACCESS EXCLUSIVE" as const };
  context.report({
    node: op,
    messageId,
    data: {
      table: quoteName(op.table),
      column: quoteIdent(op.column),
      newColumn: quoteIdent(`${op.column}_new`),
      // a USING that casts text values into a checked type fails on the first row that does not convert
      casts: !from || TEXTUAL.has(from.name) ? castFailureNote(dataDependentCasts(usingExpression(op.statement, op.column))) : "",
      from: from ? typeSql(from) : "its previous type (unknown to the history)",
      to: typeSql(to),
      using: using ? ` USING ${abbreviate(using)}` : "",
      mode: lock.mode,
      blocked: blockedBy(lock.mode),
      field: fieldPlace(context, op.table, op.column, " (field {field}, {place})"),
      ...extra,
    },
  });
}

/** The indexes on a column the history knows: its indexes and the ones behind its primary key and unique constraints. */
function indexesOn(context: RuleContext, table: QualifiedName, column: string): Array<{ name: string; unique: boolean }> {
  const state = context.table(table);
  if (!state) return [];
  const indexes = [...context.catalog.indexes()].filter((i) => i.table === state.name && i.schema === state.schema && i.columns.includes(column));
  const constraints = [...state.constraints.values()].filter((c) => (c.kind === "primary-key" || c.kind === "unique") && c.columns.includes(column) && !indexes.some((i) => i.name === c.name));
  return [...indexes.map((i) => ({ name: i.name, unique: i.unique })), ...constraints.map((c) => ({ name: c.name, unique: true }))];
}

/** The column is the whole primary key of the table the rebuild creates (on SQLite, an INTEGER one is the rowid). */
function isSoleKey(context: RuleContext, newTable: string, column: string): boolean {
  const create = context.migration.file.statements.flatMap((s) => s.operations).find((o) => o.kind === "create-table" && o.table.name === newTable);
  if (create?.kind !== "create-table") return false;
  const keys = create.constraints.filter((c) => c.kind === "primary-key");
  return keys.length ? keys.length === 1 && keys[0]!.columns.length === 1 && keys[0]!.columns[0] === column : create.columns.some((c) => c.name === column && c.primaryKey);
}
