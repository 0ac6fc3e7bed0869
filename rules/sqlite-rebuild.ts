import { defineRule, quoteIdent, quoteName } from "../src/engine/rule.js";

const list = (names: string[]) => names.map(quoteIdent).join(", ");

export default defineRule({
  meta: {
    id: "sqlite-rebuild",
    type: "suggestion",
    docs: { description: "A SQLite table rebuild (`-- RedefineTables`) of an existing table: every row is copied under the database's write lock; names the columns the copy leaves behind, renames or cannot fill.", preset: "strict" },
    defaultSeverity: "warn",
    dialects: ["sqlite"],
    messages: {
      rebuild:
        "Rebuilds {{table}}: SQLite cannot make this change with ALTER TABLE, so the migration copies every row into {{copy}} (the INSERT on line {{copyLine}}), drops {{table}} and renames the copy, holding the database's write lock until the copy is done: every other write waits, and on a large table the deploy takes as long as the copy.{{changes}}",
    },
    help: {
      rebuild:
        "Time the migration on a copy of the production database and deploy it when writes can pause. Read the INSERT ... SELECT column lists: a column left out is lost, one copied under another name is renamed for the app, and a NOT NULL column the copy does not fill makes the INSERT fail on the first row. If the migration fails part way, `{{copy}}` stays behind and the retry fails on CREATE TABLE: drop it by hand before `prisma migrate resolve`.",
    },
  },
  create(context) {
    return {
      "rebuild-table"(op) {
        if (!context.existedBefore(op.table)) return;
        const renamed = op.copied.filter((c) => c.column !== c.from);
        const required = op.added.filter((name) => {
          const column = context.catalog.getColumn(op.from, name);
          return column?.notNull && !column.default;
        });
        const changes = [
          op.dropped.length ? ` The copy leaves out ${list(op.dropped)}: ${op.dropped.length === 1 ? "its" : "their"} data is lost.` : "",
          renamed.length ? ` It copies ${renamed.map((c) => `${quoteIdent(c.from)} into ${quoteIdent(c.column)}`).join(", ")}: app instances still running the previous release use the old name.` : "",
          required.length ? ` ${list(required)} ${required.length === 1 ? "is" : "are"} NOT NULL without a default and not filled by the copy: the INSERT fails on the first row (NOT NULL constraint failed) unless the table is empty.` : "",
        ].join("");
        const copyLine = context.migration.file.statements[op.copyStatement]?.range.loc.start.line ?? op.statement.range.loc.start.line;
        context.report({ node: op, messageId: "rebuild", data: { table: quoteName(op.table), copy: quoteName(op.from), copyLine, changes } });
      },
    };
  },
});
