import { defineRule } from "../src/engine/rule.js";
import { changesDatabase, concurrentCommand } from "../src/model/queries.js";
import type { Statement } from "../src/types.js";

/** Statements that only set the session or frame a transaction (or change rows) make the file fail, but change no schema when it half-applies. */
const changesSchema = (s: Statement) => changesDatabase(s, { data: false });

export default defineRule({
  meta: {
    id: "concurrently-in-transaction",
    type: "problem",
    docs: { description: "A CONCURRENTLY statement inside BEGIN ... COMMIT, or sharing its migration file with other statements: the migration fails (or, on Prisma 7.4+, the file is no longer atomic).", preset: "recommended" },
    defaultSeverity: "error",
    requires: { capabilities: ["concurrent-index"] },
    messages: {
      inBlock: '{{command}} inside BEGIN ... COMMIT: Postgres rejects it with "{{command}} cannot run inside a transaction block", so `prisma migrate deploy` fails on this migration (P3018) and every later deploy stops on it (P3009) until it is resolved by hand.',
      sharedFile: '{{command}} shares its migration file with {{count}} other statement(s){{why}}: Postgres runs a multi-statement script as one implicit transaction and rejects it with "{{command}} cannot run inside a transaction block", so `prisma migrate deploy` fails on this migration (P3018) and later deploys stop on it (P3009).',
      notAtomic: "{{command}} shares its migration file with {{count}} other schema-changing statement(s). Prisma {{version}} sends them one by one, so this works, but the file is not atomic: if a later statement fails, the earlier ones stay applied, the migration is marked failed, and the database must be repaired by hand before `prisma migrate resolve`.",
    },
    help: {
      inBlock: "Remove BEGIN/COMMIT around it and put the statement in a migration file of its own (prisma migrate dev --create-only, then move it): one CONCURRENTLY statement per file, nothing else, not even a SET.",
      sharedFile: "Move the statement into a migration file of its own (prisma migrate dev --create-only, then move it): one CONCURRENTLY statement per file, nothing else, not even SET lock_timeout. Migrations run in folder-name order, so the index can follow the migration that creates its columns.",
      notAtomic: "Put the CONCURRENTLY statement in a migration file of its own, so each file either applies completely or not at all (and it also works with Prisma before 7.4, and with migrate dev's shadow database).",
    },
  },
  create(context) {
    const statements = context.migration.file.statements;
    const perStatement = context.project.runner.model === "per-statement";
    let reportedNotAtomic = false;
    return {
      Statement(statement) {
        const command = statement.operations.map(concurrentCommand).find((c) => c !== null);
        if (!command) return;
        if (context.inTransactionBlock(statement)) {
          context.report({ node: statement, messageId: "inBlock", data: { command } });
          return;
        }
        const others = statements.filter((s) => s !== statement);
        if (!others.length) return;
        // Prisma 7.4+'s splitter cannot parse DROP INDEX CONCURRENTLY and falls back to the whole-file script (prisma-engines #5847)
        if (!perStatement || command === "DROP INDEX CONCURRENTLY") {
          const why = perStatement ? " (Prisma 7.4+ cannot split a file holding DROP INDEX CONCURRENTLY and sends it whole)" : "";
          context.report({ node: statement, messageId: "sharedFile", data: { command, count: others.length, why } });
          return;
        }
        const changing = others.filter(changesSchema);
        if (!changing.length || reportedNotAtomic) return;
        reportedNotAtomic = true;
        context.report({ node: statement, messageId: "notAtomic", data: { command, count: changing.length, version: context.project.runner.prismaVersion ?? "7.4+" } });
      },
    };
  },
});
