import { describe, expect, it } from "vitest";
import { dbError } from "../../src/replay/driver.js";
import { extensionNames } from "../../src/replay/extensions.js";
import type { DbColumn, DbRelation, DbSnapshot } from "../../src/replay/introspect.js";
import { indexOfCharPosition } from "../../src/replay/messages.js";
import { expectedDefault, expectedType, normalizeType, normalizeUnsupported } from "../../src/replay/prisma-types.js";
import { diffSnapshots } from "../../src/replay/rollback.js";
import { redactUrl, scrub } from "../../src/replay/target.js";
import { replayRuleIds } from "../../src/replay/index.js";
import type { PrismaEnum, PrismaField } from "../../src/schema/types.js";

const location = { file: "/s.prisma", range: { start: 0, end: 0, loc: { start: { line: 1, column: 1 }, end: { line: 1, column: 1 } } } };
const field = (over: Partial<PrismaField>): PrismaField => ({
  name: "f",
  columnName: "f",
  type: "String",
  optional: false,
  list: false,
  nativeType: null,
  default: null,
  id: false,
  unique: false,
  relation: null,
  attributes: [],
  location,
  ...over,
});
const role: PrismaEnum = {
  name: "Role",
  dbName: "role",
  schema: null,
  values: [
    { name: "USER", dbName: "user", location },
    { name: "ADMIN", dbName: "ADMIN", location },
  ],
  location,
};
const enums = new Map([["Role", role]]);

describe("replay: Prisma's PostgreSQL type mapping", () => {
  it.each([
    [{ type: "String" }, "text"],
    [{ type: "Int" }, "integer"],
    [{ type: "BigInt" }, "bigint"],
    [{ type: "Float" }, "double precision"],
    [{ type: "Decimal" }, "numeric(65,30)"],
    [{ type: "Boolean" }, "boolean"],
    [{ type: "DateTime" }, "timestamp(3) without time zone"],
    [{ type: "Json" }, "jsonb"],
    [{ type: "Bytes" }, "bytea"],
    [{ type: "String", nativeType: "VarChar(255)" }, "character varying(255)"],
    [{ type: "String", nativeType: "Char(2)" }, "character(2)"],
    [{ type: "String", nativeType: "Uuid" }, "uuid"],
    [{ type: "DateTime", nativeType: "Timestamptz(6)" }, "timestamp(6) with time zone"],
    [{ type: "DateTime", nativeType: "Timestamptz" }, "timestamp(6) with time zone"],
    [{ type: "DateTime", nativeType: "Date" }, "date"],
    [{ type: "DateTime", nativeType: "Time(3)" }, "time(3) without time zone"],
    [{ type: "Decimal", nativeType: "Decimal(10, 1)" }, "numeric(10,1)"],
    [{ type: "Int", nativeType: "SmallInt" }, "smallint"],
    [{ type: "Float", nativeType: "Real" }, "real"],
    [{ type: "Json", nativeType: "Json" }, "json"],
  ])("%o -> %s", (over, type) => {
    expect(expectedType(field(over), enums)).toMatchObject({ kind: "exact", type });
  });

  it("maps enums and Unsupported types", () => {
    expect(expectedType(field({ type: "Role" }), enums)).toMatchObject({ kind: "enum", enum: role });
    expect(expectedType(field({ type: 'Unsupported("tsvector")' }), enums)).toMatchObject({ kind: "unsupported", type: "tsvector" });
    expect(normalizeUnsupported("TIMESTAMPTZ(3)")).toBe("timestamp(3) with time zone");
    expect(normalizeUnsupported("varchar( 10 )[]")).toBe("character varying(10)[]");
  });

  it("treats a timestamp without precision like precision 6 (what Postgres stores)", () => {
    expect(normalizeType("timestamp without time zone")).toBe("timestamp(6) without time zone");
    expect(normalizeType("time with time zone")).toBe("time(6) with time zone");
  });

  it("reads @default the way Prisma Migrate renders it (values, sent as bind parameters, never SQL)", () => {
    expect(expectedDefault(field({ default: "autoincrement()" }), enums)).toEqual({ kind: "autoincrement" });
    expect(expectedDefault(field({ default: "now()" }), enums)).toEqual({ kind: "now" });
    expect(expectedDefault(field({ default: "cuid()" }), enums)).toEqual({ kind: "client", text: "cuid()" });
    expect(expectedDefault(field({ default: 'dbgenerated("gen_random_uuid()")' }), enums)).toEqual({ kind: "dbgenerated", expression: "gen_random_uuid()" });
    expect(expectedDefault(field({ default: '"it\'s \\"x\\""' }), enums)).toMatchObject({ kind: "literal", value: `it's "x"` });
    expect(expectedDefault(field({ type: "Role", default: "USER" }), enums)).toMatchObject({ kind: "literal", value: "user" });
    expect(expectedDefault(field({ type: "Role", list: true, default: "[USER, ADMIN]" }), enums)).toMatchObject({ kind: "literal", value: `{"user","ADMIN"}` });
    expect(expectedDefault(field({ list: true, default: "[]" }), enums)).toMatchObject({ kind: "literal", value: "{}" });
    expect(expectedDefault(field({ type: "Bytes", default: '"AAE="' }), enums)).toMatchObject({ kind: "literal", value: "AAE=", base64: true });
    expect(expectedDefault(field({ type: "Int", default: "-5" }), enums)).toMatchObject({ kind: "literal", value: "-5" });
  });
});

describe("replay: helpers", () => {
  it("maps Postgres's character positions (code points) to string indexes", () => {
    // Postgres (and PGlite) report position 14 for `nope` here: the emoji counts as one character.
    const text = "SELECT '😀é', nope";
    expect(text.slice(indexOfCharPosition(text, 14))).toBe("nope");
    expect(indexOfCharPosition("abc", 1)).toBe(0);
    expect(indexOfCharPosition("abc", 99)).toBe(3);
  });

  it("finds CREATE EXTENSION names outside comments, quoted or not", () => {
    expect(extensionNames(`-- Create Extension\nCREATE EXTENSION IF NOT EXISTS pg_trgm;\n/* create extension nope */ create extension "uuid-ossp" WITH SCHEMA public;\nDO $$ BEGIN EXECUTE 'CREATE EXTENSION citext'; END $$;`)).toEqual([
      "pg_trgm",
      "uuid-ossp",
      "citext",
    ]);
  });

  it("redacts passwords from URLs and messages", () => {
    const url = "postgresql://app:s3cr%40t@db.example.com:5432/prod?schema=app";
    expect(redactUrl(url)).toBe("postgresql://app:***@db.example.com:5432/prod?schema=app");
    expect(scrub(`failed for ${url} with s3cr@t and s3cr%40t`, url)).toBe("failed for postgresql://app:***@db.example.com:5432/prod?schema=app with *** and ***");
    // what does not parse is never shown, not even redacted: which part is the password cannot be known
    expect(redactUrl("not a url://u:p@h")).toBe("(a connection string that is not a plain URL; not shown, as it may hold a password)");
  });

  it("reads database errors and ignores other errors", () => {
    expect(dbError(Object.assign(new Error("boom"), { code: "42P01", position: "12", severity: "ERROR" }))).toMatchObject({ code: "42P01", position: 12 });
    expect(dbError(new Error("Connection terminated"))).toBeNull();
  });

  it("exports the rule ids", () => {
    expect(replayRuleIds).toEqual(["replay-failed", "lock-trace", "rollback-mismatch", "schema-drift"]);
  });
});

describe("replay: schema comparison for rollback-mismatch", () => {
  const column = (name: string, over: Partial<DbColumn> = {}): DbColumn => ({
    name,
    type: "text",
    elemType: "text",
    isArray: false,
    typeName: "text",
    typeSchema: "pg_catalog",
    typeKind: "b",
    notNull: false,
    default: null,
    identity: "",
    generated: "",
    ...over,
  });
  const table = (name: string, columns: DbColumn[], over: Partial<DbRelation> = {}): DbRelation => ({
    oid: 1,
    schema: "public",
    name,
    kind: "r",
    partition: false,
    columns,
    indexes: [],
    constraints: [],
    triggers: [],
    definition: null,
    ...over,
  });
  const snap = (relations: DbRelation[], enumValues: string[] = ["A"]): DbSnapshot => ({
    relations: new Map(relations.map((r) => [`${r.schema}.${r.name}`, r])),
    enums: new Map([["public.Role", { schema: "public", name: "Role", values: enumValues }]]),
    functions: new Map(),
    extensions: new Set(["plpgsql"]),
  });

  it("names each difference", () => {
    const before = snap([table("User", [column("id", { type: "integer", notNull: true }), column("bio")])]);
    const after = snap(
      [
        table("User", [column("id", { type: "bigint", notNull: true }), column("nick")], {
          indexes: [{ name: "User_nick_key", unique: true, primary: false, method: "btree", columns: ["nick"], descending: [false], partial: false, definition: "CREATE UNIQUE INDEX ...", constraint: null }],
        }),
        table("Post", []),
      ],
      ["A", "B"],
    );
    expect(diffSnapshots(before, after).map((d) => d.message)).toEqual([
      'column "User"."id" differs from before the migration: type bigint, was integer',
      'column "User"."bio" is missing (before the migration: text)',
      'column "User"."nick" still exists: the migration added it and down.sql does not drop it',
      'index "User_nick_key" on "User" still exists (CREATE UNIQUE INDEX ...): the migration created it and down.sql does not drop it',
      'table "Post" still exists: the migration created it and down.sql does not drop it',
      'enum "Role" has the values [A, B], before the migration it had [A]',
    ]);
  });

  it("finds no difference between equal schemas", () => {
    const make = () => snap([table("User", [column("id")])]);
    expect(diffSnapshots(make(), make())).toEqual([]);
  });
});
