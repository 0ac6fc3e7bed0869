/** SQL exactly as Prisma Migrate writes it, for rule and catalog tests. */

export interface EnumRecreation {
  /** `""` as Prisma 5 writes names, `'"public".'` as Prisma 6 and 7 qualify them. */
  schema?: string;
  type?: string;
  /** The new values, as SQL literals: `'USER', 'ADMIN'`. */
  values: string;
  /** The enum's columns: `[table, column]`, with `[]` appended to the column for an array of the enum. */
  columns?: Array<[string, string]>;
  /** The column default Prisma drops before the change and sets again after it. */
  defaultValue?: string;
}

/** Prisma's migration for an enum that loses or reorders values: a new type, the columns moved to it, renames, DROP TYPE. */
export function enumRecreation({ schema = "", type = "Role", values, columns = [["User", "role"]], defaultValue }: EnumRecreation): string {
  const q = schema;
  const lines = ["-- AlterEnum", "BEGIN;", `CREATE TYPE ${q}"${type}_new" AS ENUM (${values});`];
  const [defaultTable, defaultColumn] = columns[0]!;
  if (defaultValue) lines.push(`ALTER TABLE ${q}"${defaultTable}" ALTER COLUMN "${defaultColumn}" DROP DEFAULT;`);
  for (const [table, column] of columns) {
    const array = column.endsWith("[]") ? "[]" : "";
    const name = column.replace(/\[\]$/, "");
    lines.push(`ALTER TABLE ${q}"${table}" ALTER COLUMN "${name}" TYPE ${q}"${type}_new"${array} USING ("${name}"::text::${q}"${type}_new"${array});`);
  }
  lines.push(`ALTER TYPE ${q}"${type}" RENAME TO "${type}_old";`, `ALTER TYPE ${q}"${type}_new" RENAME TO "${type}";`, `DROP TYPE ${q}"${type}_old";`);
  if (defaultValue) lines.push(`ALTER TABLE ${q}"${defaultTable}" ALTER COLUMN "${defaultColumn}" SET DEFAULT ${defaultValue};`);
  lines.push("COMMIT;");
  return lines.join("\n");
}
