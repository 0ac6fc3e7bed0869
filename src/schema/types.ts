import type { SourceRange } from "../types.js";

/** A Prisma schema location: file plus range (1-based lines). */
export interface SchemaLocation {
  /** Absolute path of the .prisma file. */
  file: string;
  range: SourceRange;
}

export interface PrismaAttribute {
  /** e.g. `id`, `unique`, `default`, `map`, `relation`, `db.VarChar` (without the `@`). */
  name: string;
  /** Raw argument texts as written, e.g. [`"old_name"`] or [`fields: [userId]`, `references: [id]`]. */
  args: string[];
}

export interface PrismaField {
  name: string;
  /** Database column name: the `@map("...")` value, else `name`. */
  columnName: string;
  /** Prisma type, e.g. `String`, `Int`, `DateTime`, `Role` (enum), `User` (relation). */
  type: string;
  optional: boolean;
  list: boolean;
  /** `@db.VarChar(255)` and the like, as written without `@db.` (e.g. `VarChar(255)`), or null. */
  nativeType: string | null;
  /** The `@default(...)` argument text, or null. */
  default: string | null;
  id: boolean;
  unique: boolean;
  /** True when the field is a relation (its type is another model). Relation fields have no column. */
  relation: { name: string | null; fields: string[]; references: string[]; onDelete: string | null; onUpdate: string | null } | null;
  attributes: PrismaAttribute[];
  location: SchemaLocation;
}

export interface PrismaBlockIndex {
  kind: "index" | "unique" | "id" | "fulltext";
  fields: string[];
  /** `map:` / `name:` argument, if any. */
  name: string | null;
  location: SchemaLocation;
}

export interface PrismaModel {
  name: string;
  /** Database table name: `@@map("...")` value, else `name`. */
  tableName: string;
  /** `@@schema("...")` (multiSchema), or null. */
  schema: string | null;
  fields: PrismaField[];
  indexes: PrismaBlockIndex[];
  location: SchemaLocation;
}

export interface PrismaEnum {
  name: string;
  /** Database type name: `@@map` value, else `name`. */
  dbName: string;
  schema: string | null;
  values: Array<{ name: string; dbName: string; location: SchemaLocation }>;
  location: SchemaLocation;
}

export interface PrismaSchemaModel {
  /** Absolute paths of the .prisma files read. */
  files: string[];
  /** `provider` of the datasource block (e.g. `postgresql`), or null. */
  provider: string | null;
  /** File holding the datasource block, or null. */
  datasourceFile: string | null;
  /** Schemas listed in `datasource.schemas` (multiSchema), empty otherwise. */
  schemas: string[];
  models: PrismaModel[];
  enums: PrismaEnum[];
  /** Files that did not parse: reported as findings, never thrown. */
  errors: Array<{ file: string; message: string; line: number; column: number }>;
  /** Find the model whose table is `table` (matching `@@map`). */
  modelForTable(table: string, schema?: string | null): PrismaModel | undefined;
}
