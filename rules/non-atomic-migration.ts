import { defineRule } from "../src/engine/rule.js";
import { failureOf, recordDrops, type PriorKey } from "../src/engine/risk.js";
import { changesDatabase, concurrentCommand, rerunsCleanly } from "../src/model/queries.js";
import { rebuildCopy } from "../src/engine/rebuild.js";
import type { Operation, Statement } from "../src/types.js";

const TIMEOUTS = ["lock_timeout", "statement_timeout"];
/** Committed statements whose loss cannot be undone by hand (a dropped enum type holds no rows: Prisma's block drops the old one). */
const DESTRUCTIVE: Array<Operation["kind"]> = ["drop-table", "drop-column", "drop-schema", "truncate"];
const destroys = (s: Statement) => s.operations.some((op) => DESTRUCTIVE.includes(op.kind) || (op.kind === "data-change" && op.action === "delete"));

export default defineRule({
  meta: {
    id: "non-atomic-migration",
    type: "problem",
    docs: { description: "A statement that can fail on production data, run after earlier changes of its file were already committed (after a COMMIT, on Prisma 7.4+ where each statement is its own transaction, on MySQL and SQLite always): a failure leaves the migration half applied.", preset: "recommended" },
    defaultSeverity: "warn",
    messages: {
      implicitCommit:
        "This statement {{why}}, and the database commits every DDL statement on its own (MySQL's implicit commit; Prisma sends the file as one script without a transaction that could undo DDL): the {{count}} change(s) before it (from line {{firstLine}}{{destructive}}) are already committed when it runs. If it fails, they stay applied while Prisma marks the migration failed: the database is half migrated, every later `prisma migrate deploy` stops on it (P3009), and it has to be repaired by hand before `prisma migrate resolve`.",
      afterCommit:
        "This statement {{why}}, and it runs after the COMMIT on line {{commitLine}}, which ends the transaction Prisma {{version}} runs the whole file in: the {{count}} change(s) before it (from line {{firstLine}}{{destructive}}) are already committed. If it fails, they stay applied while Prisma marks the migration failed: the database is half migrated, every later `prisma migrate deploy` stops on it (P3009), and it has to be repaired by hand before `prisma migrate resolve`.",
      runnerStatements:
        "This statement {{why}}, and {{runner}}: the {{count}} change(s) before it (from line {{firstLine}}{{destructive}}) are already committed when it runs. If it fails, they stay applied while Prisma marks the migration failed: the database is half migrated, every later `prisma migrate deploy` stops on it (P3009), and it has to be repaired by hand before `prisma migrate resolve`.",
      perStatement:
        "This statement {{why}}, and Prisma {{version}} runs every statement of this file in its own transaction: the {{count}} change(s) before it (from line {{firstLine}}{{destructive}}) are already committed when it runs. If it fails, they stay applied while Prisma marks the migration failed: the database is half migrated, every later `prisma migrate deploy` stops on it (P3009), and it has to be repaired by hand before `prisma migrate resolve`.",
    },
    help: {
      runnerStatements:
        "Move this statement into a migration of its own that runs first, so that a failure leaves a migration that changed nothing, and check the data first so that it cannot fail on deploy. BEGIN; ... COMMIT; around the file would make it atomic, but not when it rebuilds a table that others reference with ON DELETE CASCADE / SET NULL: inside a transaction PRAGMA foreign_keys=OFF does nothing, and the rebuild's DROP TABLE deletes or nulls their rows (sqlite-rebuild-cascade).",
      implicitCommit:
        "Move this statement into a migration of its own that runs first, so that a failure leaves a migration that changed nothing; BEGIN ... COMMIT does not help (each DDL statement commits the transaction it runs in). Check the data first so that it cannot fail on deploy.",
      afterCommit:
        "Make the file one transaction again: move BEGIN; to the top of the file and COMMIT; to its end (atomic with every Prisma version), or move the statements after the COMMIT into a migration of their own. Check the data first so that it cannot fail on deploy.",
      perStatement:
        "Put the file in one transaction: {{wrap}} (Prisma 7.4+ sends it on one connection, so the file applies completely or not at all), or move this statement into a migration of its own that runs first. Check the data first so that it cannot fail on deploy.",
    },
  },
  create(context) {
    const { statements } = context.migration.file;
    const { model, prismaVersion } = context.project.runner;
    const perStatement = model === "per-statement";
    // the changes of the file so far, in order; tx ids never decrease, so the committed ones are a prefix
    const applied: Statement[] = [];
    let committed = 0;
    let committedRerun = true;
    let lost: Statement | undefined;
    let timeout: { text: string; tx: number; local: boolean } | null = null;
    const dropped: PriorKey[] = [];
    let reported = false;
    return {
      Statement(statement) {
        if (reported) return;
        const here = context.transactionOf(statement);
        for (const op of statement.operations) {
          if (op.kind === "set" && TIMEOUTS.includes(op.name)) {
            const off = op.value === null || /^0+(\s*\w+)?$/.test(op.value.trim());
            timeout = off ? null : { text: `${op.name} = '${op.value}' (line ${statement.range.loc.start.line})`, tx: here, local: op.local };
          }
        }
        recordDrops(context, statement, dropped);
        if (!changesDatabase(statement, { data: true })) return;
        for (; committed < applied.length && context.transactionOf(applied[committed]!) < here; committed++) {
          committedRerun &&= rerunsCleanly(applied[committed]!);
          lost ??= destroys(applied[committed]!) ? applied[committed] : undefined;
        }
        applied.push(statement);
        // when everything committed before is guarded by IF [NOT] EXISTS, a plain re-run finishes the migration;
        // CONCURRENTLY beside other statements is concurrently-in-transaction's finding
        if (committedRerun || statement.operations.some((op) => concurrentCommand(op) !== null)) return;
        // a rebuild's copy that cannot fill a column: add-required-column / set-not-null say what its failure leaves behind
        if (rebuildCopy(context, statement)) return;
        const why = failureOf(context, statement, { timeout: timeout && (!timeout.local || timeout.tx === here) ? timeout.text : null, dropped });
        if (!why) return;
        reported = true;
        const data = {
          why,
          count: committed,
          firstLine: applied[0]!.range.loc.start.line,
          destructive: lost ? `, including the drop on line ${lost.range.loc.start.line}, whose data cannot be brought back` : "",
          version: prismaVersion ?? (perStatement ? "7.4+" : "up to 7.3"),
        };
        if (!context.project.capabilities.has("transactional-ddl")) {
          context.report({ node: statement, messageId: "implicitCommit", data });
          return;
        }
        if (perStatement && context.project.runner.statementByStatement) {
          context.report({ node: statement, messageId: "runnerStatements", data: { ...data, runner: context.project.runner.statementByStatement } });
          return;
        }
        if (perStatement) {
          const hasBlock = statements.some((s) => s.operations.some((op) => op.kind === "transaction" && op.action === "begin"));
          const wrap = hasBlock ? "move the BEGIN; of its block to the top of the file and the COMMIT; to its end" : "add BEGIN; at the top of the file and COMMIT; at its end";
          context.report({ node: statement, messageId: "perStatement", data: { ...data, wrap } });
          return;
        }
        const commit = [...statements.slice(0, statement.index)].reverse().find((s) => s.operations.some((op) => op.kind === "transaction" && (op.action === "commit" || op.action === "rollback")));
        context.report({ node: statement, messageId: "afterCommit", data: { ...data, commitLine: commit?.range.loc.start.line ?? "?" } });
      },
    };
  },
});
