import path from "node:path";
import { defineRule } from "../src/engine/rule.js";

/** Prisma writes `postgresql`; `postgres` is accepted in schema files as the same provider. */
const normalize = (provider: string) => (provider === "postgres" ? "postgresql" : provider);

/** The provider names Prisma knows, spelled as it requires (lower case). */
const KNOWN = new Set(["postgresql", "postgres", "mysql", "sqlite", "sqlserver", "mongodb", "cockroachdb"]);

export default defineRule({
  meta: {
    id: "provider-mismatch",
    type: "problem",
    docs: { description: "migration_lock.toml names a different provider than the schema's datasource.", preset: "recommended" },
    defaultSeverity: "error",
    messages: {
      mismatch:
        'migration_lock.toml says provider "{{lock}}" but the datasource in {{schemaFile}} says "{{schema}}": `prisma migrate deploy` refuses to run (P3019: "The datasource provider `{{schema}}` specified in your schema does not match the one specified in the migration_lock.toml, `{{lock}}`."), and the migrations in this folder were written for {{lock}}.',
      unknown:
        'The datasource in {{schemaFile}} says provider "{{schema}}", which Prisma does not know: every Prisma command rejects the schema (P1012: Datasource provider not known: "{{schema}}"). Provider names are lower case.',
    },
    help: {
      mismatch:
        "Switching databases needs a new migration history: move the old migrations folder away, create a baseline with `prisma migrate diff --from-empty --to-schema-datamodel prisma/schema.prisma --script`, and let Prisma write a new migration_lock.toml. If the schema's provider is the mistake, fix the datasource block instead.",
      unknown: 'Write the provider as Prisma spells it: provider = "{{suggestion}}".',
    },
  },
  create(context) {
    return {
      "Project:exit"(migration) {
        const lock = context.project.lockProvider;
        const schema = context.project.schema;
        if (!lock || !schema?.provider || normalize(lock) === normalize(schema.provider)) return;
        const schemaFile = path.basename(schema.datasourceFile ?? "schema.prisma");
        if (!KNOWN.has(schema.provider)) {
          // "PostgreSQL" is not another database: Prisma stops at the spelling, long before comparing with the lock file
          const lower = schema.provider.toLowerCase();
          const suggestion = KNOWN.has(lower) ? lower : normalize(lock);
          context.report({ messageId: "unknown", file: path.join(path.dirname(migration.entry.dir), "migration_lock.toml"), data: { schema: schema.provider, schemaFile, suggestion } });
          return;
        }
        context.report({
          messageId: "mismatch",
          file: path.join(path.dirname(migration.entry.dir), "migration_lock.toml"),
          data: { lock, schema: schema.provider, schemaFile: path.basename(schema.datasourceFile ?? "schema.prisma") },
        });
      },
    };
  },
});
