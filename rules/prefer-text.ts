import { defineRule } from "../src/engine/rule.js";
import { columnVisitors } from "../src/engine/columns.js";

export default defineRule({
  meta: {
    id: "prefer-text",
    type: "suggestion",
    docs: { description: "varchar(n) columns (Prisma's @db.VarChar(n)): prefer text with a CHECK constraint on the length.", preset: "all" },
    defaultSeverity: "warn",
    dialects: ["postgresql"],
    messages: {
      varchar:
        'Column "{{column}}" of {{table}} is {{type}}{{field}}: the length limit lives in the type, so changing it later is an ALTER COLUMN TYPE under an ACCESS EXCLUSIVE lock (and lowering it scans the table and fails on longer values), while inserts over {{limit}} characters fail at run time. Postgres stores text and varchar the same way.',
    },
    help: {
      varchar:
        'Drop `@db.VarChar({{limit}})` from the field in schema.prisma (String maps to text) and enforce the length in the application, or with a constraint you can change without blocking: `ALTER TABLE {{table}} ADD CONSTRAINT "{{tableName}}_{{column}}_length" CHECK (char_length("{{column}}") <= {{limit}}) NOT VALID;` then, in a later migration, `ALTER TABLE {{table}} VALIDATE CONSTRAINT "{{tableName}}_{{column}}_length";`',
    },
  },
  create(context) {
    return columnVisitors(context, (site) => {
      const limit = site.type.modifiers[0];
      if (site.type.name !== "varchar" || limit === undefined) return;
      context.report({ range: site.range, messageId: "varchar", data: { ...site.data, limit } });
    });
  },
});
