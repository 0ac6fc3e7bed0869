import { appendStatement, defineRule, prependStatement, quoteName, type RuleContext } from "../src/engine/rule.js";
import { blockedBy, isStrongLock, type TableLock } from "../src/dialects/postgres/locks.js";
import type { Operation } from "../src/types.js";

/** The lock_timeout `--fix` sets: long enough for a brief lock once granted, short enough that the queue behind it does not take the application down. */
const TIMEOUT = "5s";

/** `0`, `'0'`, `'0ms'`: a lock_timeout of zero waits for ever. */
const DISABLED = /^\s*0+(\.0*)?\s*(us|ms|s|min|h|d)?\s*$/i;

export default defineRule({
  meta: {
    id: "lock-timeout",
    type: "problem",
    docs: { description: "Statements that take a lock blocking writes (or reads) on an existing table with no `SET lock_timeout` before them in the migration.", preset: "strict" },
    defaultSeverity: "warn",
    requires: { capabilities: ["lock-timeout"] },
    fixable: "code",
    messages: {
      missing:
        'Takes {{mode}} lock on {{table}} with no lock_timeout set ({{count}} in this migration, this is the first). If a long query or an open transaction holds a conflicting lock, the statement waits in the lock queue, and every query on {{table}} queues behind it ({{blocked}} stop) for as long as it waits{{statementTimeout}}.',
    },
    help: {
      missing:
        "Put `SET lock_timeout = '5s';` at the top of migration.sql (inside a BEGIN ... COMMIT block, `SET LOCAL lock_timeout = '5s';`) and retry the deploy when it times out. `statement_timeout` is no substitute: it must cover the statement's whole work (an index build, a rewrite), so the queue can stay blocked that long; set it too, to bound the work itself.",
    },
  },
  create(context) {
    let session = false; // SET lock_timeout (session-wide, survives COMMIT)
    let local = false; // SET LOCAL lock_timeout (ends with the transaction)
    // SET statement_timeout bounds the wait in the lock queue too, but it must also cover the statement's own work
    let statementTimeout: { session: Operation | null; local: Operation | null } = { session: null, local: null };
    let inBlock = false;
    const unguarded: Array<{ op: Operation; lock: TableLock; statementTimeout: Operation | null }> = [];
    const wholeFileTransaction = context.project.runner.model === "script-transaction";
    // what stops the fix: a file that already says something about lock_timeout (the fix would stack headers),
    // CONCURRENTLY (alone in its file under the whole-file runner; a lock timeout cancelling the build leaves an
    // INVALID index), and BEGIN / COMMIT under the whole-file runner (SET LOCAL would end at the first COMMIT)
    let unfixable = false;

    return {
      Statement(statement) {
        for (const op of statement.operations) {
          if (("concurrently" in op && op.concurrently) || (op.kind === "set" && op.name === "lock_timeout") || (op.kind === "transaction" && wholeFileTransaction)) unfixable = true;
          if (op.kind === "other" && op.nodeType === "VariableSetStmt") unfixable = true;
          if (op.kind === "transaction") {
            if (op.action === "begin") inBlock = true;
            else if (op.action === "commit" || op.action === "rollback") {
              inBlock = false;
              local = false;
              statementTimeout.local = null;
            }
          } else if (op.kind === "set" && op.name === "statement_timeout") {
            const on = op.value !== null && !DISABLED.test(op.value) ? op : null;
            if (!op.local) statementTimeout.session = on;
            else if (inBlock || wholeFileTransaction) statementTimeout.local = on;
          } else if (op.kind === "set" && op.name === "lock_timeout") {
            const on = op.value !== null && !DISABLED.test(op.value);
            if (!op.local) session = on;
            else if (inBlock || wholeFileTransaction) local = on; // outside any transaction SET LOCAL has no effect
          } else if (op.kind === "other" && op.nodeType === "VariableSetStmt") {
            const body = (op.node as { VariableSetStmt?: { kind?: string; name?: string } }).VariableSetStmt;
            if (body?.kind === "VAR_RESET_ALL" || (body?.kind === "VAR_RESET" && body.name === "lock_timeout")) session = local = false;
            if (body?.kind === "VAR_RESET_ALL" || (body?.kind === "VAR_RESET" && body.name === "statement_timeout")) statementTimeout = { session: null, local: null };
          } else if (!session && !local) {
            const lock = strongLocks(context, op)[0];
            const bound = statementTimeout.local ?? statementTimeout.session;
            // a brief lock under a statement_timeout: the timeout bounds the wait as a lock_timeout would
            if (lock && !(bound && strongLocks(context, op).every((l) => l.duration === "instant"))) unguarded.push({ op, lock, statementTimeout: bound });
          }
        }
      },
      "Migration:exit"() {
        const first = unguarded[0];
        if (!first) return;
        const count = new Set(unguarded.map((u) => u.op.statement.index)).size;
        context.report({
          node: first.op,
          messageId: "missing",
          data: {
            mode: `${/^[AE]/.test(first.lock.mode) ? "an" : "a"} ${first.lock.mode}`,
            table: quoteName(first.lock.table),
            blocked: blockedBy(first.lock.mode),
            count: `${count} unguarded ${count === 1 ? "statement" : "statements"}`,
            statementTimeout: first.statementTimeout?.kind === "set" ? ` (at most the statement_timeout of ${first.statementTimeout.value} set on line ${first.statementTimeout.range.loc.start.line}, which must also cover the statement's own work, so the queue can stay blocked that long)` : "",
          },
          // the whole-file runner runs the file as one transaction: SET LOCAL ends with it. Sent statement by
          // statement, the session's setting would outlive the file: RESET it at the end
          ...(unfixable
            ? {}
            : {
                fix: () => {
                  const file = context.migration.file;
                  return wholeFileTransaction ? prependStatement(file, `SET LOCAL lock_timeout = '${TIMEOUT}';`) : [prependStatement(file, `SET lock_timeout = '${TIMEOUT}';`), appendStatement(file, "RESET lock_timeout;")];
                },
              }),
        });
      },
    };
  },
});

/** Locks that block writes on tables that existed before the migration (context.locks finds a dropped index's table). */
function strongLocks(context: RuleContext, op: Operation): TableLock[] {
  if (op.kind === "drop-table" && op.ifExists && !context.table(op.table)) return []; // a defensive drop of a table no migration created
  return context.locks(op).filter((l) => isStrongLock(l.mode) && context.existedBefore(l.table));
}
