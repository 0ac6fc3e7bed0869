import { abbreviate, defineRule, fieldPlace, quoteIdent, quoteName } from "../src/engine/rule.js";
import { exampleConstant, serialSequence } from "../src/engine/columns.js";
import { typeSql } from "../src/model/ast.js";
import { rebuildCopy } from "../src/engine/rebuild.js";
import { DIALECT_NAMES } from "../src/dialects/capabilities.js";
import type { Capability } from "../src/dialects/dialect.js";

/** Which failure a required column without a default meets, by what the database does with it. */
function requiredMessage(capabilities: ReadonlySet<Capability>, copied: boolean, emptied: boolean): string {
  if (emptied) return "requiredEmptied";
  if (copied) return "requiredCopy"; // a rebuild's copy cannot fill it (SQLite)
  if (!capabilities.has("add-not-null-column")) return "refused"; // SQLite refuses the ALTER itself
  return capabilities.has("not-null-check") ? "required" : "requiredInserts"; // MySQL fills the old rows (mysql-zero-fill)
}

/** A serial or identity column: the type alone, then a sequence default for new rows (still no rewrite), then the old rows in batches. */
const SEQUENCE_HELP =
  'Add the column as a plain {{type}} (`ALTER TABLE {{table}} ADD COLUMN {{column}} {{type}};`), give new rows a sequence (`CREATE SEQUENCE {{sequence}} OWNED BY {{table}}.{{column}};` `ALTER TABLE {{table}} ALTER COLUMN {{column}} SET DEFAULT nextval({{sequenceLiteral}});`), which rewrites nothing, then number the old rows in batches outside the migration (UPDATE ... SET {{column}} = nextval({{sequenceLiteral}}) WHERE {{column}} IS NULL, a batch at a time) before making it NOT NULL or a key.';
/** A stored generated column has no form that skips the rewrite. */
const GENERATED_HELP =
  "A stored generated column cannot be added without computing every row. On a large table, compute the value in the application or in a view, or add a plain column, fill it in batches outside the migration and keep it current with a trigger.";


export default defineRule({
  meta: {
    id: "add-required-column",
    type: "problem",
    docs: { description: "A required column added to an existing table without a default: the migration fails on its rows (Postgres; SQLite's rebuild copy, which leaves new_X behind) and the previous release's INSERTs fail (MySQL too); on Postgres also a default that rewrites the table (volatile, before 11, stored generated).", preset: "recommended" },
    defaultSeverity: "error",
    // the failure on existing rows where the database checks them (not-null-check), the rewrite where it has Postgres's
    // lock model (table-locks); on MySQL the filled rows are mysql-zero-fill's, the INSERTs of the previous release this rule's
    messages: {
      requiredCopy: 'Adds required column {{column}} ({{type}}) to {{table}} without a default, in a table rebuild whose copy (this INSERT) does not fill it: the INSERT fails on the first row if {{table}} has any (NOT NULL constraint failed: {{copyColumn}}){{leftBehind}}. Once it is applied, INSERTs from app instances still running the previous release (which do not set {{column}}) fail with a NOT NULL violation.',
      refused: 'Adds required column {{column}} ({{type}}) to {{table}} with ALTER TABLE and no default: {{database}} refuses that on every table, even an empty one (Cannot add a NOT NULL column with default value NULL), so the migration fails here.',
      requiredInserts: 'Adds required column {{column}} ({{type}}) to {{table}} without a default: once it is applied, INSERTs from app instances still running the previous release (which do not set {{column}}) fail under a strict sql_mode (error 1364, Field \'{{name}}\' doesn\'t have a default value) or, under a lax one, store the type\'s zero value in it.',
      required: 'Adds required column {{column}} ({{type}}) to {{table}} without a default: the migration fails if {{table}} has any row (ERROR: column {{column}} of relation {{table}} contains null values), and once it is applied, INSERTs from app instances still running the previous release (which do not set {{column}}) fail with a NOT NULL violation.',
      rewrite: 'Adds {{column}} to {{table}} with {{why}}: Postgres rewrites every row of {{table}} under an ACCESS EXCLUSIVE lock, which blocks reads and writes until the rewrite finishes.',
      requiredEmptied: 'Adds required column {{column}} ({{type}}) to {{table}} without a default. Line {{line}} emptied {{table}} in the same transaction, so the migration cannot fail on its rows, but once it is applied, INSERTs from app instances still running the previous release (which do not set {{column}}) fail with a NOT NULL violation.',
    },
    help: {
      requiredCopy: "Give it a default (@default(...) on the field{{field}}): the rebuild then creates the column with it and the copy fills every row; or make it optional first, release code that writes it, backfill the old rows, then make it required in a later migration.",
      refused: "Give it a constant default (`ALTER TABLE {{table}} ADD COLUMN {{column}} {{type}} NOT NULL DEFAULT ...;`, or @default(...) on the field{{field}}), or add it as optional (`ALTER TABLE {{table}} ADD COLUMN {{column}} {{type}};`), backfill it, and make it required in a later migration.",
      requiredInserts: "Give it a default (@default(...) on the field{{field}}), so that rows written without it get that value; or make it optional first, release code that writes it, backfill the old rows in batches, then make it required in a later migration.",
      required: 'Give it a default (@default(...) on the field{{field}}){{withDefault}}; or make it optional first (`ALTER TABLE {{table}} ADD COLUMN {{column}} {{type}};`), release code that writes it, backfill the old rows in batches, then make it required in a later migration (see set-not-null for the safe SET NOT NULL).',
      requiredEmptied: 'Give it a default (@default(...) on the field{{field}}) if old app instances keep writing {{table}} during the deploy, or deploy the migration when no instance of the previous release writes to {{table}}.',
      rewrite: 'Add the column without that default (`ALTER TABLE {{table}} ADD COLUMN {{column}} {{type}};`), backfill it in batches outside the migration, then set the default for new rows: `ALTER TABLE {{table}} ALTER COLUMN {{column}} SET DEFAULT {{default}};` Ids and random values are better generated by Prisma Client (@default(uuid()), @default(cuid()) on the field{{field}}), which adds no database default.',
    },
  },
  create(context) {
    return {
      "add-column"(op) {
        if (!context.existedBefore(op.table)) return;
        const c = op.column;
        // a serial/identity key column (inline, or with Prisma's ADD CONSTRAINT ... PRIMARY KEY beside it) is unique-constraint's finding
        const keyed = op.statement.operations.some((o) => o.kind === "add-constraint" && ["primary-key", "unique"].includes(o.constraint.kind) && o.constraint.columns.includes(c.name));
        if (c.identity && (c.primaryKey || c.unique || keyed)) return;
        // emptied by TRUNCATE in this transaction: no rows to write, and TRUNCATE holds ACCESS EXCLUSIVE already
        // (after DELETE the dead rows are still read by the rewrite, so that finding stays)
        const emptied = context.emptiedInTransaction(op.table, op.statement);
        const { capabilities } = context.project;
        const copy = rebuildCopy(context, op.statement);
        let why: string | null = null;
        if (!capabilities.has("table-locks")) {
          // no Postgres rewrite story; a sequence or generated value fills old and new rows by itself
          if (c.identity || c.generated || !c.notNull || c.default) return;
        } else if (c.generated) why = "a stored generated value (GENERATED ALWAYS AS ... STORED), computed for every existing row";
        else if (c.identity) why = "an identity/serial sequence, whose value is written into every existing row";
        else if (c.default?.volatile) why = `the volatile default ${abbreviate(c.default.text)}, evaluated and stored for every existing row`;
        else if (c.default && context.project.postgresVersion < 11) why = `a default (${abbreviate(c.default.text)}): before Postgres 11 (production is ${context.project.postgresVersion}) a default is written into every existing row`;
        if (why && emptied?.truncated) return;
        const messageId = why ? "rewrite" : c.notNull && !c.default ? requiredMessage(capabilities, !!copy, !!emptied) : null;
        if (!messageId) return; // the schema is read only for a finding
        const type = c.type ? typeSql(c.type) : "?";
        const constant = c.type && !c.references ? exampleConstant(context, c.type) : null;
        const data = {
          table: quoteName(op.table),
          column: quoteIdent(c.name),
          type,
          why: why ?? "",
          line: emptied?.line ?? 0,
          field: fieldPlace(context, op.table, c.name, " {field} ({place})"),
          withDefault: constant ? `, e.g. \`ALTER TABLE ${quoteName(op.table)} ADD COLUMN ${quoteIdent(c.name)} ${type} NOT NULL DEFAULT ${constant};\` (instant on Postgres 11+)` : " (a constant default is instant on Postgres 11+)",
          ...(c.identity ? serialSequence(op.table, c.name) : { default: c.default?.text ?? "" }),
          name: c.name,
          database: DIALECT_NAMES[context.project.dialect],
          copyColumn: copy ? `${copy.rebuild.from.name}.${c.name}` : "",
          leftBehind: copy?.leftBehind ?? "",
        };
        const help = c.generated ? GENERATED_HELP : c.identity ? SEQUENCE_HELP : undefined;
        context.report({ node: op, messageId, data, ...(help ? { help } : {}) });
      },
    };
  },
});
