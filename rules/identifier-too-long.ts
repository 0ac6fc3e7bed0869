import { defineRule, type RuleContext, type RuleVisitors } from "../src/engine/rule.js";
import type { IdentifierLimit } from "../src/dialects/dialect.js";
import { DIALECT_NAMES } from "../src/dialects/capabilities.js";
import { tokenize } from "../src/dialects/postgres/lexer.js";
import { DEFAULT_SCHEMA } from "../src/history/catalog.js";
import type { Operation, QualifiedName, SourceRange } from "../src/types.js";

const MAX = 63; // NAMEDATALEN - 1

/** A name's UTF-8 length: its length where it is ASCII (every name Prisma writes), without a call into Buffer for each. */
const bytes = (s: string) => {
  for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) > 0x7f) return Buffer.byteLength(s, "utf8");
  return s.length;
};
/** What Postgres keeps of a name: at most 63 bytes, never splitting a character. */
function truncate(name: string): string {
  let out = "";
  for (const ch of name) {
    if (bytes(out + ch) > MAX) break;
    out += ch;
  }
  return out;
}

export default defineRule({
  meta: {
    id: "identifier-too-long",
    type: "problem",
    docs: { description: "Names longer than the database takes in CREATE TABLE, ADD COLUMN, CREATE INDEX, ADD CONSTRAINT, CREATE TYPE and RENAME: Postgres silently truncates them to 63 bytes (and truncated names can collide), MySQL rejects them over 64 characters.", preset: "recommended" },
    defaultSeverity: "error",
    requires: { capabilities: ["identifier-limit"] },
    messages: {
      rejected: 'The {{what}} name "{{name}}" is {{length}} {{unit}}: {{database}} takes at most {{max}} and rejects the statement ({{error}}), so `prisma migrate deploy` fails here.',
      tooLong: 'The {{what}} name "{{name}}" is {{bytes}} bytes: Postgres keeps only the first 63 and silently names it "{{truncated}}", so the database no longer matches the SQL and schema.prisma, and the next `prisma migrate dev` sees drift.',
      collision: 'The {{what}} name "{{name}}" and "{{other}}"{{where}} are the same to Postgres after truncation to 63 bytes ("{{truncated}}"): this statement fails with "already exists"{{ifNotExists}}.',
    },
    help: {
      tooLong: "Use a name of at most 63 bytes. In schema.prisma set it explicitly: `map: \"short_name\"` on @@index / @@unique / @@id / @relation, or @map / @@map for a column or table.",
      collision: "Give one of them a shorter, distinct name: in schema.prisma `map: \"distinct_name\"` on its @@index / @@unique / @relation.",
      rejected: "Use a name of at most {{max}} {{unit}}. In schema.prisma set it explicitly: `map: \"short_name\"` on @@index / @@unique / @@id / @relation, or @map / @@map for a column or table.",
    },
  },
  create(context) {
    const limit = context.project.identifierLimit;
    // a database that refuses a longer name: nothing is truncated, so nothing can collide; the statement fails
    if (limit?.over === "rejected") return rejectedNames(context, limit);
    const file = context.migration.file;
    /** Original spelling of every name defined in this migration, by namespace key of its truncated form. */
    const originals = new Map<string, string>();
    /** Tokens already matched to a definition (two long columns of one CREATE TABLE truncate to the same name). */
    const used = new Set<number>();

    /** The source token of a defined name: its full (untruncated) spelling and where it is. libpg-query hands us the truncated name. */
    const spelled = (op: Operation, name: string): { original: string; range: SourceRange } => {
      // a name Postgres did not truncate is spelled as it is (a truncated one is at least 60 bytes: 63 less a split character)
      if (bytes(name) < MAX - 3) return { original: name, range: op.range };
      const base = op.range.start;
      for (const t of tokenize(file.text.slice(base, op.range.end))) {
        const raw = file.text.slice(base + t.start, base + t.end);
        const value = t.kind === "quoted-ident" ? raw.slice(1, -1).replace(/""/g, '"') : t.kind === "word" ? raw.toLowerCase() : null;
        if (value === null || bytes(value) <= MAX || truncate(value) !== name || used.has(base + t.start)) continue;
        used.add(base + t.start);
        return { original: value, range: file.rangeOf(base + t.start, base + t.end) };
      }
      return { original: name, range: op.range };
    };

    /** `exists` (whether the name is taken before this statement) is a function: it is asked only about truncated names. */
    const check = (op: Operation, what: string, name: string | null, key: string | null, exists: () => boolean, ifNotExists = false) => {
      if (!name) return;
      const { original, range } = spelled(op, name);
      if (bytes(original) > MAX) context.report({ range, messageId: "tooLong", data: { what, name: original, bytes: bytes(original), truncated: name } });
      if (!key) return;
      const previous = originals.get(key);
      // a collision caused by truncation: here (a long name), or earlier (Prisma cuts its default names to 63 bytes itself)
      const truncated = previous !== undefined ? previous !== original || bytes(original) > MAX : bytes(original) > MAX || (bytes(name) >= MAX - 3 && !ifNotExists);
      if (truncated && !(previous === original && ifNotExists) && exists()) {
        const where = previous === undefined ? " (defined by an earlier migration)" : "";
        const skip = ifNotExists ? ", or with IF NOT EXISTS is silently skipped, leaving the object you meant to create missing" : "";
        context.report({ range, messageId: "collision", data: { what, name: original, other: previous ?? name, where, truncated: name, ifNotExists: skip } });
      }
      originals.set(key, original);
    };

    const schemaOf = (ref: QualifiedName) => ref.schema ?? DEFAULT_SCHEMA;
    /** Tables, indexes and the indexes behind UNIQUE / PRIMARY KEY constraints share one namespace per schema. */
    const relationKey = (schema: string, name: string) => `rel:${schema}.${name}`;
    const relationExists = (schema: string, name: string) =>
      !!context.catalog.getTable({ schema, name }) ||
      !!context.catalog.getIndex({ schema, name }) ||
      [...context.catalog.tables()].some((t) => t.schema === schema && [...t.constraints.values()].some((c) => c.name === name && (c.kind === "unique" || c.kind === "primary-key" || c.kind === "exclusion")));
    const constraintExists = (table: QualifiedName, name: string) => !!context.table(table)?.constraints.has(name);
    const constraint = (op: Operation, table: QualifiedName, name: string | null, kind: string) => {
      if (!name) return;
      const indexBacked = kind === "unique" || kind === "primary-key" || kind === "exclusion";
      const key = indexBacked ? relationKey(schemaOf(table), name) : `con:${schemaOf(table)}.${table.name}.${name}`;
      check(op, "constraint", name, key, () => (indexBacked ? relationExists(schemaOf(table), name) : constraintExists(table, name)));
    };

    return {
      "create-table"(op) {
        const schema = schemaOf(op.table);
        check(op, "table", op.table.name, relationKey(schema, op.table.name), () => relationExists(schema, op.table.name), op.ifNotExists);
        const seen = new Set<string>();
        for (const c of op.columns) {
          check(op, "column", c.name, `col:${schema}.${op.table.name}.${c.name}`, () => seen.has(c.name));
          seen.add(c.name);
        }
        for (const c of op.constraints) constraint(op, op.table, c.name, c.kind);
      },
      "add-column"(op) {
        const name = op.column.name;
        check(op, "column", name, `col:${schemaOf(op.table)}.${op.table.name}.${name}`, () => !!context.catalog.getColumn(op.table, name), op.ifNotExists);
      },
      "create-index"(op) {
        const schema = schemaOf(op.table);
        const name = op.name;
        if (name) check(op, "index", name, relationKey(schema, name), () => relationExists(schema, name), op.ifNotExists);
      },
      "add-constraint"(op) {
        constraint(op, op.table, op.constraint.name, op.constraint.kind);
      },
      "create-enum"(op) {
        check(op, "type", op.type.name, null, () => false);
      },
      "rename-table"(op) {
        check(op, "table", op.newName, relationKey(schemaOf(op.table), op.newName), () => relationExists(schemaOf(op.table), op.newName));
      },
      "rename-column"(op) {
        check(op, "column", op.newName, null, () => false);
      },
      "rename-index"(op) {
        check(op, "index", op.newName, relationKey(schemaOf(op.index), op.newName), () => relationExists(schemaOf(op.index), op.newName));
      },
      "rename-constraint"(op) {
        check(op, "constraint", op.newName, `con:${schemaOf(op.table)}.${op.table.name}.${op.newName}`, () => constraintExists(op.table, op.newName));
      },
      "rename-type"(op) {
        check(op, "type", op.newName, null, () => false);
      },
    };
  },
});


/** Where names over the limit are an error (MySQL): each defined name over it, at its spelling in the statement. */
function rejectedNames(context: RuleContext, limit: IdentifierLimit): RuleVisitors {
  const file = context.migration.file;
  const size = (name: string) => (limit.unit === "bytes" ? bytes(name) : [...name].length);
  const check = (op: Operation, what: string, name: string | null) => {
    if (!name || size(name) <= limit.max) return;
    const at = file.text.indexOf(name, op.range.start);
    const quoted = at > 0 && /["`]/.test(file.text[at - 1]!) ? at - 1 : at;
    const range = at >= 0 && at < op.range.end ? file.rangeOf(quoted, at + name.length + (quoted < at ? 1 : 0)) : op.range;
    const data = { what, name, length: size(name), unit: limit.unit, max: limit.max, database: DIALECT_NAMES[context.project.dialect], error: limit.error ?? "an error" };
    context.report({ range, messageId: "rejected", data });
  };
  return {
    "create-table"(op) {
      check(op, "table", op.table.name);
      for (const c of op.columns) check(op, "column", c.name);
      for (const c of op.constraints) check(op, "constraint", c.name);
    },
    "add-column": (op) => check(op, "column", op.column.name),
    "create-index": (op) => check(op, "index", op.name),
    "add-constraint": (op) => check(op, "constraint", op.constraint.name),
    "rename-table": (op) => check(op, "table", op.newName),
    "rename-column": (op) => check(op, "column", op.newName),
    "rename-index": (op) => check(op, "index", op.newName),
    "rename-constraint": (op) => check(op, "constraint", op.newName),
  };
}
