import { defineRule } from "../src/engine/rule.js";
import type { Operation } from "../src/types.js";

export default defineRule({
  meta: {
    id: "transaction-balance",
    type: "problem",
    docs: { description: "Explicit transaction blocks that do not balance: BEGIN without COMMIT, BEGIN inside a block, COMMIT or ROLLBACK without BEGIN.", preset: "recommended" },
    defaultSeverity: "error",
    messages: {
      unclosed: "BEGIN has no matching COMMIT: the transaction is still open when the script ends, so whether its changes are kept depends on what the connection does next (closing it rolls them back) while Prisma records the migration as applied.",
      nested: "BEGIN inside an open transaction block (opened on line {{line}}) {{nested}}.",
      stray: "{{action}} without a BEGIN before it: it does not close a block of its own but {{effect}}.",
    },
    help: {
      unclosed: "Add COMMIT; after the last statement of the block.",
      nested: "Remove the inner BEGIN (and its COMMIT), or close the first block before opening the next one.",
      stray: "Remove it, or add the BEGIN; that was meant to open the block.",
    },
  },
  create(context) {
    let open: Operation | null = null;
    return {
      transaction(op) {
        if (op.action === "begin") {
          if (open) context.report({ node: op, messageId: "nested", data: { line: open.range.loc.start.line, nested: context.project.transactionControl.nestedBegin } });
          else open = op;
        } else if (op.action === "commit" || op.action === "rollback") {
          if (open) open = null;
          else {
            const effect =
              context.project.runner.model === "script-transaction"
                ? `ends the transaction the whole file runs in: what came before is ${op.action === "commit" ? "committed" : "rolled back"} there, and the rest runs in a new one`
                : context.project.transactionControl.strayEnd;
            context.report({ node: op, messageId: "stray", data: { action: op.action.toUpperCase(), effect } });
          }
        }
      },
      "Migration:exit"() {
        if (open) context.report({ node: open, messageId: "unclosed" });
      },
    };
  },
});
