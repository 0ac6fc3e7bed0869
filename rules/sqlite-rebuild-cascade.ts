import { defineRule, quoteName } from "../src/engine/rule.js";

/** The ON DELETE actions SQLite's implicit DELETE of a DROP TABLE carries out on the referencing rows. */
const ACTIONS = new Set(["CASCADE", "SET NULL", "SET DEFAULT"]);
const OFF = new Set(["off", "0", "false", "no"]);

export default defineRule({
  meta: {
    id: "sqlite-rebuild-cascade",
    type: "problem",
    docs: { description: "A SQLite table rebuild (`-- RedefineTables`) that drops a table other tables reference with ON DELETE CASCADE / SET NULL while foreign keys are enforced: in a transaction (a transactional runner such as D1, or BEGIN in the file) or without PRAGMA foreign_keys=OFF.", preset: "recommended" },
    defaultSeverity: "error",
    dialects: ["sqlite"],
    messages: {
      cascade:
        "This rebuild drops {{table}} while {{references}} {{verb}} it with ON DELETE {{actions}}, and {{why}}. SQLite's DROP TABLE first deletes every row of {{table}} as a DELETE would, and that fires the foreign-key actions: every referencing row is deleted (CASCADE) or loses its reference (SET NULL) before the copy takes the table's place. The migration succeeds and the data is gone.",
    },
    help: {
      cascade:
        "Apply SQLite migrations with `prisma migrate deploy`, which runs the file statement by statement, so that Prisma's `PRAGMA foreign_keys=OFF;` before the rebuild takes effect (keep it, and `PRAGMA foreign_keys=ON;` after). A runner that wraps the file in a transaction ignores that PRAGMA: there, save the referencing rows before the DROP TABLE (`CREATE TEMP TABLE ... AS SELECT`) and restore them after the RENAME, or make the change without a rebuild.",
    },
  },
  create(context) {
    const { file } = context.migration;
    return {
      "rebuild-table"(op) {
        const referencing = [...context.catalog.tables()].flatMap((table) =>
          table.name === op.table.name
            ? []
            : [...table.constraints.values()].filter((c) => c.kind === "foreign-key" && c.references?.name === op.table.name && c.onDelete && ACTIONS.has(c.onDelete)).map((c) => ({ table, action: c.onDelete! })),
        );
        if (!referencing.length) return;
        const why = whyEnforced(op.statement);
        if (!why) return;
        const names = [...new Set(referencing.map((r) => quoteName({ schema: null, name: r.table.name })))];
        context.report({
          node: op,
          messageId: "cascade",
          data: {
            table: quoteName(op.table),
            references: names.join(", "),
            verb: names.length === 1 ? "references" : "reference",
            actions: [...new Set(referencing.map((r) => r.action))].join(" / "),
            why,
          },
        });
      },
    };

    /** Why foreign keys are enforced when the DROP TABLE runs, or null when Prisma's PRAGMA foreign_keys=OFF is in effect. */
    function whyEnforced(statement: (typeof file.statements)[number]): string | null {
      if (context.project.runner.model === "script-transaction") {
        return `the project's runner (${context.project.runner.source}) applies the file in one transaction, where PRAGMA foreign_keys=OFF does nothing`;
      }
      if (context.inTransactionBlock(statement)) return "the file runs it inside BEGIN ... COMMIT, where PRAGMA foreign_keys=OFF does nothing";
      // the last PRAGMA foreign_keys before the DROP TABLE (a `set` operation)
      let value: string | null = null;
      for (const s of file.statements) {
        if (s.index >= statement.index) break;
        for (const o of s.operations) if (o.kind === "set" && o.name === "foreign_keys" && o.value !== null) value = o.value.toLowerCase();
      }
      return value !== null && OFF.has(value) ? null : "foreign keys are on (Prisma opens SQLite with foreign_keys=ON, and no PRAGMA foreign_keys=OFF comes before it in this file)";
    }
  },
});
