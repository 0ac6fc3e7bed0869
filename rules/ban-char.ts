import { defineRule } from "../src/engine/rule.js";
import { columnVisitors } from "../src/engine/columns.js";

export default defineRule({
  meta: {
    id: "ban-char",
    type: "suggestion",
    docs: { description: "char(n) / character(n) (bpchar) columns (Prisma's @db.Char(n)): blank-padded; prefer text or varchar.", preset: "all" },
    defaultSeverity: "warn",
    dialects: ["postgresql"],
    messages: {
      char:
        'Column "{{column}}" of {{table}} is {{display}}{{field}}: shorter values are padded with spaces to {{length}} characters, trailing spaces are ignored in comparisons but not by LIKE, regular expressions or the application, and it takes no less space than text.',
    },
    help: {
      char: "Use text (plain `String` in schema.prisma, without `@db.Char`), with a CHECK (char_length(\"{{column}}\") = {{length}}) constraint if the length is fixed.",
    },
  },
  create(context) {
    return columnVisitors(context, (site) => {
      if (site.type.name !== "bpchar") return;
      const length = String(site.type.modifiers[0] ?? 1);
      context.report({ range: site.range, messageId: "char", data: { ...site.data, length, display: `char(${length})${"[]".repeat(site.type.arrayDims)}` } });
    });
  },
});
