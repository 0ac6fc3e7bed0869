import { defineRule, fieldPlace, quoteName } from "../src/engine/rule.js";

export default defineRule({
  meta: {
    id: "drop-not-null",
    type: "problem",
    docs: { description: "DROP NOT NULL on an existing column: app instances still running the previous release assume a value and break on the NULLs the new release writes.", preset: "strict" },
    defaultSeverity: "warn",
    messages: {
      dropNotNull:
        'Makes column "{{column}}" of {{table}} nullable{{field}}. App instances still running the previous release treat it as required: as soon as the new release writes NULL there, their Prisma Client fails reading those rows (P2032, "expected non-nullable type") and code that assumes a value breaks.',
    },
    help: {
      dropNotNull:
        "Ship it in two releases: first release code that copes with a missing value (the field read as optional) but still writes one, and let every instance run it; then make the field optional{{fix}} and start writing NULL. Until then keep the column NOT NULL, with a DEFAULT if the new code stops providing it.",
    },
  },
  create(context) {
    return {
      "alter-column"(op) {
        if (op.change.kind !== "drop-not-null" || !context.existedBefore(op.table)) return;
        const column = context.catalog.getColumn(op.table, op.column);
        if (column && (column.addedIn === context.migration.index || !column.notNull)) return; // new, or already nullable
        context.report({
          node: op,
          messageId: "dropNotNull",
          data: {
            column: op.column,
            table: quoteName(op.table),
            field: fieldPlace(context, op.table, op.column, " (field {field}, {place})"),
            fix: fieldPlace(context, op.table, op.column, " (`{name} {type}?` at {place})"),
          },
        });
      },
    };
  },
});
