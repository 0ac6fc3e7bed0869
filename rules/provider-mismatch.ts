import path from "node:path";
import { defineRule } from "../src/engine/rule.js";

/** Prisma writes `postgresql`; `postgres` is accepted in schema files as the same provider. */
const normalize = (provider: string) => (provider === "postgres" ? "postgresql" : provider);

export default defineRule({
  meta: {
    id: "provider-mismatch",
    type: "problem",
    docs: { description: "migration_lock.toml names a different provider than the schema's datasource.", preset: "recommended" },
    defaultSeverity: "error",
    messages: {
      mismatch:
        'migration_lock.toml says provider "{{lock}}" but the datasource in {{schemaFile}} says "{{schema}}": `prisma migrate deploy` refuses to run (P3019), and the migrations in this folder were written for {{lock}}.',
    },
    help: {
      mismatch:
        "Switching databases needs a new migration history: move the old migrations folder away, create a baseline with `prisma migrate diff --from-empty --to-schema-datamodel prisma/schema.prisma --script`, and let Prisma write a new migration_lock.toml. If the schema's provider is the mistake, fix the datasource block instead.",
    },
  },
  create(context) {
    return {
      "Project:exit"(migration) {
        const lock = context.project.lockProvider;
        const schema = context.project.schema;
        if (!lock || !schema?.provider || normalize(lock) === normalize(schema.provider)) return;
        context.report({
          messageId: "mismatch",
          file: path.join(path.dirname(migration.entry.dir), "migration_lock.toml"),
          data: { lock, schema: schema.provider, schemaFile: path.basename(schema.datasourceFile ?? "schema.prisma") },
        });
      },
    };
  },
});
