import { defineRule, formatName } from "../src/engine/rule.js";
import type { Operation, QualifiedName } from "../src/types.js";

interface Options {
  maxStatements: number;
  maxTables: number;
  maxBytes: number;
  /** The first migration of the history (the baseline) may be as large as it needs to be. */
  exemptFirst: boolean;
}

export default defineRule<Options>({
  meta: {
    id: "oversized-migration",
    type: "suggestion",
    docs: { description: "Migrations with too many statements, too many existing tables changed, or too many bytes to review and roll back as one unit.", preset: "strict" },
    defaultSeverity: "warn",
    schema: {
      type: "object",
      properties: {
        maxStatements: { type: "integer", minimum: 1 },
        maxTables: { type: "integer", minimum: 1 },
        maxBytes: { type: "integer", minimum: 1 },
        exemptFirst: { type: "boolean" },
      },
      additionalProperties: false,
    },
    defaultOptions: { maxStatements: 50, maxTables: 10, maxBytes: 65536, exemptFirst: true },
    messages: {
      oversized: "This migration is too large to review and deploy as one unit: {{details}}. It runs as one transaction, so it holds every lock it takes until the last statement is done, and when one statement fails all of it must be diagnosed and retried together.",
    },
    help: {
      oversized: "Split it into several migrations (`prisma migrate dev --create-only` for each step), each doing one thing; move data backfills to a script or job outside the migration. Raise the limits in the rule's options if this size is normal for the project.",
    },
  },
  create(context) {
    const { maxStatements, maxTables, maxBytes, exemptFirst } = context.options;
    const tables = new Map<string, QualifiedName>();
    let statements = 0;
    return {
      Statement(statement) {
        if (statement.operations.some((op) => op.kind === "transaction" || op.kind === "set")) return;
        statements++;
        for (const op of statement.operations) {
          // (the catalog does not hold a table until its CREATE TABLE was visited: unknown would count as existing)
          if (op.kind === "create-table" && !context.table(op.table)) continue;
          for (const t of tablesOf(op)) if (context.existedBefore(t)) tables.set(formatName(t), t);
        }
      },
      "Migration:exit"({ file, index }) {
        if (exemptFirst && index === 0) return;
        const bytes = Buffer.byteLength(file.text, "utf8");
        const details: string[] = [];
        if (statements > maxStatements) details.push(`${statements} statements (limit ${maxStatements})`);
        if (tables.size > maxTables) details.push(`${tables.size} existing tables changed (limit ${maxTables}: ${[...tables.keys()].slice(0, 5).join(", ")}, ...)`);
        if (bytes > maxBytes) details.push(`${Math.ceil(bytes / 1024)} KiB (limit ${Math.floor(maxBytes / 1024)} KiB)`);
        if (details.length) context.report({ range: file.rangeOf(0, 0), messageId: "oversized", data: { details: details.join(", ") } });
      },
    };
  },
});

function tablesOf(op: Operation): QualifiedName[] {
  if ("table" in op && op.table) return [op.table];
  if ("tables" in op) return op.tables;
  if (op.kind === "attach-partition" || op.kind === "detach-partition") return [op.table, op.partition];
  return [];
}
