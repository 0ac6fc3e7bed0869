import path from "node:path";
import { defineRule } from "../src/engine/rule.js";
import { riskOf } from "../src/engine/risk.js";
import type { Statement } from "../src/types.js";

interface Options {
  /** `risky` (default): only migrations that destroy data or hold a blocking lock on an existing table; `all`: every migration. */
  only: "all" | "risky";
}

const ROLLBACK_COMMENT = /^\s*(rollback|roll back|down|revert)\b[^\n]*:/i;
const ROLLBACK_FILE = /^(down|rollback|revert)([._-].*)?\.sql$/i;
const README = /^readme(\.\w+)?$/i;
const MENTIONS_ROLLBACK = /roll\s*-?back|revert|down\.sql|down migration/i;

export default defineRule<Options>({
  meta: {
    id: "missing-rollback",
    type: "suggestion",
    docs: { description: "Migrations without a rollback plan: no down.sql, no `-- Rollback:` comment, no README.md about rolling back (by default only risky migrations).", preset: "strict" },
    defaultSeverity: "warn",
    schema: { type: "object", properties: { only: { enum: ["all", "risky"] } }, additionalProperties: false },
    defaultOptions: { only: "risky" },
    messages: {
      risky: "This migration {{risk}}, and nothing in its folder says how to undo it: no down.sql, no `-- Rollback:` comment, no README.md about rolling back. If the release has to be rolled back, the way back is improvised under pressure.",
      any: "This migration has no rollback plan: no down.sql, no `-- Rollback:` comment, no README.md about rolling back.",
    },
    help: {
      risky:
        "Generate the reverse script beside it: `npx prisma migrate diff --from-schema-datamodel prisma/schema.prisma --to-schema-datamodel <previous schema.prisma> --script > {{folder}}/down.sql` (roll back with `prisma db execute --file down.sql` and `prisma migrate resolve --rolled-back {{folder}}`). Where data is lost, say how it is restored (backup table, {{dump}}) in a `-- Rollback:` comment.",
      any: "Add {{folder}}/down.sql (`npx prisma migrate diff --from-schema-datamodel prisma/schema.prisma --to-schema-datamodel <previous schema.prisma> --script`), or a `-- Rollback:` comment that says how to undo it.",
    },
  },
  create(context) {
    let risk: string | null = null;
    return {
      Statement(statement) {
        risk ??= riskOf(context, statement);
      },
      "Migration:exit"({ entry, file }) {
        if (context.options.only !== "all" && !risk) return;
        if (entry.downPath || file.comments.some((c) => ROLLBACK_COMMENT.test(c.text))) return;
        if (entry.extraFiles.some((f) => ROLLBACK_FILE.test(path.basename(f)) || (README.test(path.basename(f)) && MENTIONS_ROLLBACK.test(entry.extraTexts?.[f] ?? "")))) return;
        context.report({ range: file.rangeOf(0, 0), messageId: risk ? "risky" : "any", data: { risk: risk ?? "", folder: `prisma/migrations/${entry.name}`, dump: context.project.backup.tool } });
      },
    };
  },
});
