import { defineRule } from "../src/engine/rule.js";
import type { SqlComment, Statement } from "../src/types.js";
import { riskOf } from "../src/engine/risk.js";

/** Comments Prisma writes itself: `-- CreateTable` headers, the empty-migration line and the enum note. */
const PRISMA_HEADER = /^\s*[A-Z][A-Za-z]+\s*$/;
const PRISMA_LINES = new Set([
  "This is an empty migration.",
  "This migration adds more than one value to an enum.",
  "With PostgreSQL versions 11 and earlier, this is not possible",
  "in a single migration. This can be worked around by creating",
  "multiple migrations, each migration adding only one value to",
  "the enum.",
]);

/** A comment a person wrote: not empty, not one of Prisma's generated headers or its Warnings block. */
export function isHumanComment(comment: SqlComment): boolean {
  const text = comment.text.trim();
  if (!text || /^[-=*#\s]+$/.test(text)) return false;
  if (comment.kind === "block") return !/^Warnings:/.test(text);
  return !PRISMA_HEADER.test(text) && !PRISMA_LINES.has(text);
}

export default defineRule({
  meta: {
    id: "migration-doc",
    type: "suggestion",
    docs: { description: "Risky migrations (data loss, or a blocking lock held on an existing table) without a comment on their purpose and impact.", preset: "strict" },
    defaultSeverity: "warn",
    messages: {
      undocumented: "This migration {{risk}} but has no comment saying why and what it does to production (only Prisma's generated headers): reviewers and whoever deploys or rolls it back cannot tell whether the loss or the blocking was intended.",
    },
    help: {
      undocumented:
        "Add a comment above the statement: what the change is for, its impact (data lost, how long the table is locked, the table's size), and how it was made safe, e.g. `-- Drops Order.legacyCode: unused since release 2024.05, backed up to order_legacy_code_backup.`",
    },
  },
  create(context) {
    let first: { statement: Statement; risk: string } | null = null;
    return {
      Statement(statement) {
        if (first) return;
        const risk = riskOf(context, statement);
        if (risk) first = { statement, risk };
      },
      "Migration:exit"({ file }) {
        if (!first || file.comments.some(isHumanComment)) return;
        context.report({ node: first.statement, messageId: "undocumented", data: { risk: first.risk } });
      },
    };
  },
});
