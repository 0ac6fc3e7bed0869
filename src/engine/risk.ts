/** What makes a migration risky, for the rules that ask for a plan or a comment on risky ones. */
import { formatName, type RuleContext } from "./rule.js";
import { isStrongLock } from "../model/locks.js";
import type { Statement } from "../types.js";

const HELD_FOR = { scan: "a full scan", rewrite: "a full rewrite", "index-build": "an index build", data: "the data change", instant: "" } as const;

/** Why a statement is risky: it destroys data, or holds a write-blocking lock on an existing table for longer than an instant. */
export function riskOf(context: RuleContext<any>, statement: Statement): string | null { // eslint-disable-line @typescript-eslint/no-explicit-any
  for (const op of statement.operations) {
    if (op.kind === "drop-table" && context.existedBefore(op.table) && !(op.ifExists && !context.table(op.table))) return `drops table "${formatName(op.table)}"`;
    if (op.kind === "drop-column" && context.existedBefore(op.table) && context.catalog.getColumn(op.table, op.column)?.addedIn !== context.migration.index) return `drops column "${op.column}" of "${formatName(op.table)}"`;
    if (op.kind === "truncate" && op.tables.some((t) => context.existedBefore(t))) return `truncates ${op.tables.map((t) => `"${formatName(t)}"`).join(", ")}`;
    if (op.kind === "data-change" && op.action === "delete" && context.existedBefore(op.table)) return `deletes rows of "${formatName(op.table)}"`;
    if (op.kind === "drop-schema") return `drops schema "${op.schema}"`;
    // a constraint or index on a table created in this migration scans nothing that holds data
    if ("table" in op && op.table && !context.existedBefore(op.table)) continue;
    const lock = context.locks(op).find((l) => isStrongLock(l.mode) && l.duration !== "instant" && context.existedBefore(l.table));
    if (lock) return `holds ${/^[AE]/.test(lock.mode) ? "an" : "a"} ${lock.mode} lock on "${formatName(lock.table)}" for ${HELD_FOR[lock.duration]}`;
  }
  return null;
}
