import { defineRule } from "../src/engine/rule.js";
import { columnVisitors } from "../src/engine/columns.js";

export default defineRule({
  meta: {
    id: "prefer-timestamptz",
    type: "suggestion",
    docs: { description: "`timestamp without time zone` columns (Prisma's default TIMESTAMP(3) for DateTime): prefer timestamptz.", preset: "all" },
    defaultSeverity: "warn",
    dialects: ["postgresql"],
    messages: {
      timestamp:
        'Column "{{column}}" of {{table}} is {{type}}, timestamp without time zone{{field}}: it stores a wall-clock reading, not an instant. Prisma Client writes UTC, but database defaults (now(), CURRENT_TIMESTAMP) and other clients write in their session TimeZone, and nothing in the value says which one was used.',
    },
    help: {
      timestamp:
        "Declare the field `{{fieldName}} DateTime @db.Timestamptz(3)` in schema.prisma so Prisma generates TIMESTAMPTZ(3). An existing column converts, reading its values as UTC, with `SET LOCAL TimeZone = 'UTC';` then `ALTER TABLE {{table}} ALTER COLUMN \"{{column}}\" TYPE {{target}};` (without USING; on Postgres 12+ a plain column is then not rewritten, since the session TimeZone is UTC).",
    },
  },
  create(context) {
    return columnVisitors(context, (site) => {
      if (site.type.name !== "timestamp") return;
      const target = `timestamptz${site.type.modifiers.length ? `(${site.type.modifiers.join(",")})` : ""}${"[]".repeat(site.type.arrayDims)}`;
      context.report({ range: site.range, messageId: "timestamp", data: { ...site.data, target } });
    });
  },
});
