/**
 * rollback-mismatch: the schema before a migration compared with the schema
 * after migration.sql followed by its down.sql. Every difference is one item
 * naming the object; the caller turns each into a finding on down.sql.
 */
import type { ParsedSqlFile } from "../types.js";
import { displayName, type DbColumn, type DbRelation, type DbSnapshot } from "./introspect.js";
import { LINE_ONE, rangePosition, statementOnTable, type MessageInput } from "./messages.js";

/** The rollback-mismatch findings on `down` (of migration `name`): one per difference, at the first statement about its table. */
export function rollbackFindings(name: string, down: ParsedSqlFile, before: DbSnapshot, after: DbSnapshot): MessageInput[] {
  return diffSnapshots(before, after).map((difference) => {
    const statement = difference.table ? statementOnTable(down, difference.table.name) : null;
    return {
      ruleId: "rollback-mismatch",
      severity: 2,
      message: `down.sql does not restore the schema from before this migration: ${difference.message}.`,
      help: "Make down.sql undo exactly what migration.sql does (`prisma migrate diff --from-migrations ... --to-migrations ...` can generate it), then check it with replay.",
      position: statement ? rangePosition(statement.range) : LINE_ONE,
      key: [name, "rollback-mismatch", difference.key],
      migration: name,
    };
  });
}

export interface SchemaDifference {
  /** What differs, as a sentence fragment naming the object. */
  message: string;
  /** Stable key for the fingerprint, e.g. `column:public.User.email`. */
  key: string;
  /** The table the difference is on, when there is one (to point at a down.sql statement about it). */
  table: { schema: string; name: string } | null;
}

const KIND_NAMES: Record<string, string> = {
  r: "table",
  p: "partitioned table",
  v: "view",
  m: "materialized view",
  S: "sequence",
  f: "foreign table",
};

/** Differences between the schema before the migration and after up + down. */
export function diffSnapshots(before: DbSnapshot, after: DbSnapshot): SchemaDifference[] {
  const out: SchemaDifference[] = [];

  for (const [key, was] of before.relations) {
    const now = after.relations.get(key);
    const kind = KIND_NAMES[was.kind] ?? "relation";
    const name = displayName(was.schema, was.name);
    const table = { schema: was.schema, name: was.name };
    if (!now) {
      // A serial column's sequence goes with its table or column, reported on its own.
      if (was.kind === "S" && isOwnedSequence(was.name, before)) continue;
      out.push({ message: `${kind} ${name} is missing: it existed before the migration and down.sql does not restore it`, key: `relation:${key}:missing`, table });
      continue;
    }
    if (now.kind !== was.kind) {
      out.push({ message: `${name} is a ${KIND_NAMES[now.kind] ?? "relation"}, before the migration it was a ${kind}`, key: `relation:${key}:kind`, table });
    }
    diffRelation(was, now, out);
  }
  for (const [key, now] of after.relations) {
    if (before.relations.has(key)) continue;
    // A serial column's sequence is reported with its table.
    if (now.kind === "S" && isOwnedSequence(now.name, after)) continue;
    out.push({
      message: `${KIND_NAMES[now.kind] ?? "relation"} ${displayName(now.schema, now.name)} still exists: the migration created it and down.sql does not drop it`,
      key: `relation:${key}:extra`,
      table: { schema: now.schema, name: now.name },
    });
  }

  for (const [key, was] of before.enums) {
    const now = after.enums.get(key);
    const name = displayName(was.schema, was.name);
    if (!now) {
      out.push({ message: `enum ${name} is missing: it existed before the migration and down.sql does not restore it`, key: `enum:${key}:missing`, table: null });
    } else if (now.values.join("\0") !== was.values.join("\0")) {
      out.push({
        message: `enum ${name} has the values ${list(now.values)}, before the migration it had ${list(was.values)}`,
        key: `enum:${key}:values`,
        table: null,
      });
    }
  }
  for (const [key, now] of after.enums) {
    if (!before.enums.has(key)) {
      out.push({ message: `enum ${displayName(now.schema, now.name)} still exists: the migration created it and down.sql does not drop it`, key: `enum:${key}:extra`, table: null });
    }
  }

  for (const [key, was] of before.functions) {
    const now = after.functions.get(key);
    const name = `function ${displayName(was.schema, was.name)}(${was.args})`;
    if (!now) out.push({ message: `${name} is missing: it existed before the migration and down.sql does not restore it`, key: `function:${key}:missing`, table: null });
    else if (now.hash !== was.hash) out.push({ message: `${name} has a different body or result type than before the migration`, key: `function:${key}:changed`, table: null });
  }
  for (const [key, now] of after.functions) {
    if (!before.functions.has(key)) {
      out.push({
        message: `function ${displayName(now.schema, now.name)}(${now.args}) still exists: the migration created it and down.sql does not drop it`,
        key: `function:${key}:extra`,
        table: null,
      });
    }
  }

  for (const name of before.extensions) {
    if (!after.extensions.has(name)) out.push({ message: `extension "${name}" is missing: it existed before the migration`, key: `extension:${name}:missing`, table: null });
  }
  for (const name of after.extensions) {
    if (!before.extensions.has(name)) {
      out.push({ message: `extension "${name}" still exists: the migration created it and down.sql does not drop it`, key: `extension:${name}:extra`, table: null });
    }
  }
  return out;
}

function diffRelation(was: DbRelation, now: DbRelation, out: SchemaDifference[]): void {
  const key = `${was.schema}.${was.name}`;
  const table = { schema: was.schema, name: was.name };
  const name = displayName(was.schema, was.name);
  if (was.kind === "S") return;
  if ((was.kind === "v" || was.kind === "m") && was.definition !== now.definition) {
    out.push({ message: `view ${name} has a different definition than before the migration`, key: `view:${key}:definition`, table });
  }

  const nowColumns = new Map(now.columns.map((c) => [c.name, c]));
  for (const column of was.columns) {
    const current = nowColumns.get(column.name);
    if (!current) {
      out.push({ message: `column ${name}."${column.name}" is missing (before the migration: ${describeColumn(column)})`, key: `column:${key}.${column.name}:missing`, table });
      continue;
    }
    const changes = columnChanges(column, current);
    if (changes.length) {
      out.push({ message: `column ${name}."${column.name}" differs from before the migration: ${changes.join("; ")}`, key: `column:${key}.${column.name}:changed`, table });
    }
  }
  const wasColumns = new Set(was.columns.map((c) => c.name));
  for (const column of now.columns) {
    if (!wasColumns.has(column.name)) {
      out.push({ message: `column ${name}."${column.name}" still exists: the migration added it and down.sql does not drop it`, key: `column:${key}.${column.name}:extra`, table });
    }
  }

  diffNamed("index", name, key, table, was.indexes.map((i) => [i.name, i.definition]), now.indexes.map((i) => [i.name, i.definition]), out);
  // Not-null constraints (Postgres 18 lists them in pg_constraint) are the columns' nullability, compared above.
  const constraints = (r: DbRelation) => r.constraints.filter((c) => c.type !== "n").map((c): [string, string] => [c.name, c.definition]);
  diffNamed("constraint", name, key, table, constraints(was), constraints(now), out);
  diffNamed("trigger", name, key, table, was.triggers.map((t) => [t.name, t.definition]), now.triggers.map((t) => [t.name, t.definition]), out);
}

function diffNamed(
  kind: string,
  tableName: string,
  tableKey: string,
  table: SchemaDifference["table"],
  was: Array<[string, string]>,
  now: Array<[string, string]>,
  out: SchemaDifference[],
): void {
  const nowByName = new Map(now);
  const wasByName = new Map(was);
  for (const [name, definition] of was) {
    const current = nowByName.get(name);
    if (current === undefined) {
      out.push({ message: `${kind} "${name}" on ${tableName} is missing (before the migration: ${definition})`, key: `${kind}:${tableKey}.${name}:missing`, table });
    } else if (current !== definition) {
      out.push({ message: `${kind} "${name}" on ${tableName} is ${current}; before the migration it was ${definition}`, key: `${kind}:${tableKey}.${name}:changed`, table });
    }
  }
  for (const [name, definition] of now) {
    if (!wasByName.has(name)) {
      out.push({ message: `${kind} "${name}" on ${tableName} still exists (${definition}): the migration created it and down.sql does not drop it`, key: `${kind}:${tableKey}.${name}:extra`, table });
    }
  }
}

function columnChanges(was: DbColumn, now: DbColumn): string[] {
  const changes: string[] = [];
  if (was.type !== now.type) changes.push(`type ${now.type}, was ${was.type}`);
  if (was.notNull !== now.notNull) changes.push(now.notNull ? "NOT NULL, was nullable" : "nullable, was NOT NULL");
  if (was.default !== now.default) changes.push(`default ${now.default ?? "none"}, was ${was.default ?? "none"}`);
  if (was.identity !== now.identity) changes.push(`identity ${identityName(now.identity)}, was ${identityName(was.identity)}`);
  if (was.generated !== now.generated) changes.push(now.generated ? "generated, was a plain column" : "a plain column, was generated");
  if (!!was.autoIncrement !== !!now.autoIncrement) changes.push(now.autoIncrement ? "auto-increment, was not" : "not auto-increment, was");
  return changes;
}

const identityName = (code: string) => (code === "a" ? "ALWAYS" : code === "d" ? "BY DEFAULT" : "none");

export function describeColumn(column: DbColumn): string {
  return [column.type, column.notNull ? "NOT NULL" : null, column.default !== null ? `DEFAULT ${column.default}` : null, column.autoIncrement ? "AUTO_INCREMENT" : null].filter(Boolean).join(" ");
}

function isOwnedSequence(sequence: string, snapshot: DbSnapshot): boolean {
  for (const relation of snapshot.relations.values()) {
    for (const column of relation.columns) if (column.default?.includes(`'${sequence}'`) || column.default?.includes(`"${sequence}"`)) return true;
  }
  return false;
}

const list = (values: string[]) => `[${values.join(", ")}]`;
