import { defineRule } from "../src/engine/rule.js";

export default defineRule({
  meta: {
    id: "migration-order",
    type: "problem",
    docs: { description: "A new migration sorts before the newest migration at the base, so it runs out of order (or not at all).", preset: "recommended" },
    defaultSeverity: "error",
    requires: { git: true },
    messages: {
      outOfOrder:
        "New migration {{migration}} sorts before {{newest}}, the newest migration at {{base}}. Databases that already applied {{newest}} run {{migration}} after it, out of the order it was written for, and `prisma migrate dev` reports the history as diverged.",
    },
    help: {
      outOfOrder:
        "Rebase the branch and regenerate the migration so it gets a newer timestamp: move its SQL aside, run `prisma migrate dev --create-only --name {{suffix}}`, and put the SQL back into the new folder.",
    },
  },
  create(context) {
    const git = context.git;
    return {
      Migration(migration) {
        if (!git || git.changes.get(migration.name) !== "added") return;
        const newest = [...git.baseMigrations].sort().at(-1);
        if (!newest || migration.name >= newest) return;
        const suffix = migration.name.replace(/^\d+_/, "");
        context.report({ messageId: "outOfOrder", data: { migration: migration.name, newest, base: git.baseLabel, suffix } });
      },
    };
  },
});
