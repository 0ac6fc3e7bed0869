import fs from "node:fs";
import path from "node:path";
import { describe, it, expect } from "vitest";
import { parsePrismaSchema, unpackSchema } from "../../src/schema/parse-schema.js";
import type { PrismaSchemaModel, SchemaLocation } from "../../src/schema/types.js";

const SCHEMA = `// Main schema
datasource db {
  provider = "postgresql"
  url      = env("DATABASE_URL")
  schemas  = ["public", "auth"]
}

generator client {
  provider        = "prisma-client-js"
  previewFeatures = ["multiSchema", "fullTextIndex"]
}

/// A person who signs in.
model User {
  id        String   @id @default(dbgenerated("gen_random_uuid()")) @db.Uuid
  email     String   @unique @db.VarChar(255)
  fullName  String?  @map("full_name")
  role      Role     @default(USER)
  posts     Post[]   @relation("authored")
  createdAt DateTime @default(now(), map: "users_created_default") @map("created_at") @db.Timestamptz(6) // set by the database
  tags      String[]
  search    Unsupported("tsvector")?

  @@index([email, createdAt(sort: Desc)], map: "users_email_created_idx")
  @@map("users")
  @@schema("auth")
}

model Post {
  id       Int    @id @default(autoincrement())
  title    String @default("untitled")
  body     String
  authorId String @map("author_id") @db.Uuid
  author   User   @relation("authored", fields: [authorId], references: [id], onDelete: Cascade, onUpdate: NoAction, map: "posts_author_fkey")

  @@unique([authorId, title], name: "author_title")
  @@index([authorId])
  @@fulltext([title, body])
  @@map(name: "posts")
  @@schema("public")
}

model Membership {
  userId String
  teamId String

  @@id([userId, teamId], map: "membership_pkey")
  @@schema("public")
}

enum Role {
  USER
  ADMIN @map("administrator")

  @@map("user_role")
  @@schema("auth")
}
`;

/** 1-based line of the first line of `text` containing `needle`. */
function lineOf(text: string, needle: string): number {
  const index = text.indexOf(needle);
  if (index === -1) throw new Error(`not in text: ${needle}`);
  return text.slice(0, index).split(/\r\n|\n/).length;
}

/** The source text a location covers. */
function textAt(text: string, location: SchemaLocation): string {
  return text.slice(location.range.start, location.range.end);
}

function parseOne(text: string, file = "/repo/prisma/schema.prisma"): PrismaSchemaModel {
  return parsePrismaSchema([{ path: file, text }]);
}

function model(schema: PrismaSchemaModel, name: string) {
  const found = schema.models.find((m) => m.name === name);
  if (!found) throw new Error(`no model ${name}`);
  return found;
}

function field(schema: PrismaSchemaModel, modelName: string, fieldName: string) {
  const found = model(schema, modelName).fields.find((f) => f.name === fieldName);
  if (!found) throw new Error(`no field ${modelName}.${fieldName}`);
  return found;
}

describe("parsePrismaSchema: a single schema", () => {
  const schema = parseOne(SCHEMA);

  it("reads the datasource", () => {
    expect(schema.errors).toEqual([]);
    expect(schema.files).toEqual(["/repo/prisma/schema.prisma"]);
    expect(schema.provider).toBe("postgresql");
    expect(schema.datasourceFile).toBe("/repo/prisma/schema.prisma");
    expect(schema.schemas).toEqual(["public", "auth"]);
  });

  it("reads models with @@map and @@schema", () => {
    expect(schema.models.map((m) => [m.name, m.tableName, m.schema])).toEqual([
      ["User", "users", "auth"],
      ["Post", "posts", "public"],
      ["Membership", "Membership", "public"],
    ]);
  });

  it("reads scalar fields: @map, optional, list, native type, default, @id, @unique", () => {
    expect(field(schema, "User", "id")).toMatchObject({
      columnName: "id",
      type: "String",
      optional: false,
      list: false,
      nativeType: "Uuid",
      default: 'dbgenerated("gen_random_uuid()")',
      id: true,
      unique: false,
      relation: null,
    });
    expect(field(schema, "User", "email")).toMatchObject({ nativeType: "VarChar(255)", unique: true, id: false, default: null });
    expect(field(schema, "User", "fullName")).toMatchObject({ columnName: "full_name", optional: true, nativeType: null });
    expect(field(schema, "User", "role")).toMatchObject({ type: "Role", default: "USER", relation: null });
    expect(field(schema, "User", "createdAt")).toMatchObject({
      columnName: "created_at",
      nativeType: "Timestamptz(6)",
      // The value only, not the constraint name.
      default: "now()",
    });
    expect(field(schema, "User", "tags")).toMatchObject({ type: "String", list: true, optional: false });
    expect(field(schema, "User", "search")).toMatchObject({ type: 'Unsupported("tsvector")', optional: true });
    expect(field(schema, "Post", "title").default).toBe('"untitled"');
    expect(field(schema, "Post", "id").default).toBe("autoincrement()");
  });

  it("keeps every attribute with its arguments as written", () => {
    expect(field(schema, "User", "createdAt").attributes).toEqual([
      { name: "default", args: ["now()", 'map: "users_created_default"'] },
      { name: "map", args: ['"created_at"'] },
      { name: "db.Timestamptz", args: ["6"] },
    ]);
    expect(field(schema, "User", "tags").attributes).toEqual([]);
  });

  it("reads relations, with or without @relation", () => {
    expect(field(schema, "Post", "author").relation).toEqual({
      name: "authored",
      fields: ["authorId"],
      references: ["id"],
      onDelete: "Cascade",
      onUpdate: "NoAction",
    });
    expect(field(schema, "User", "posts")).toMatchObject({
      type: "Post",
      list: true,
      relation: { name: "authored", fields: [], references: [], onDelete: null, onUpdate: null },
    });
    // A scalar with the same attributes is not a relation.
    expect(field(schema, "Post", "authorId")).toMatchObject({ columnName: "author_id", relation: null });
  });

  it("reads @@index, @@unique, @@id and @@fulltext", () => {
    expect(model(schema, "User").indexes.map(({ kind, fields, name }) => ({ kind, fields, name }))).toEqual([
      { kind: "index", fields: ["email", "createdAt"], name: "users_email_created_idx" },
    ]);
    expect(model(schema, "Post").indexes.map(({ kind, fields, name }) => ({ kind, fields, name }))).toEqual([
      { kind: "unique", fields: ["authorId", "title"], name: "author_title" },
      { kind: "index", fields: ["authorId"], name: null },
      { kind: "fulltext", fields: ["title", "body"], name: null },
    ]);
    expect(model(schema, "Membership").indexes.map(({ kind, fields, name }) => ({ kind, fields, name }))).toEqual([
      { kind: "id", fields: ["userId", "teamId"], name: "membership_pkey" },
    ]);
  });

  it("reads enums with @@map, @@schema and value @map", () => {
    expect(schema.enums).toHaveLength(1);
    const [role] = schema.enums;
    expect(role).toMatchObject({ name: "Role", dbName: "user_role", schema: "auth" });
    expect(role!.values.map((v) => [v.name, v.dbName])).toEqual([
      ["USER", "USER"],
      ["ADMIN", "administrator"],
    ]);
  });

  it("finds a model by table name, honouring the schema", () => {
    expect(schema.modelForTable("users")?.name).toBe("User");
    expect(schema.modelForTable("users", "auth")?.name).toBe("User");
    expect(schema.modelForTable("users", "public")).toBeUndefined();
    expect(schema.modelForTable("User")).toBeUndefined();
    expect(schema.modelForTable("posts", null)?.name).toBe("Post");
  });
});

describe("parsePrismaSchema: locations", () => {
  const schema = parseOne(SCHEMA);

  it("gives models, fields, indexes, enums and enum values their 1-based lines", () => {
    const user = model(schema, "User");
    expect(user.location.file).toBe("/repo/prisma/schema.prisma");
    expect(user.location.range.loc.start).toEqual({ line: 14, column: 1 });
    expect(user.location.range.loc.start.line).toBe(lineOf(SCHEMA, "model User {"));
    expect(user.location.range.loc.end.line).toBe(lineOf(SCHEMA, '  @@schema("auth")\n}') + 1);
    for (const m of schema.models) {
      expect(m.location.range.loc.start.line).toBe(lineOf(SCHEMA, `model ${m.name} {`));
      for (const f of m.fields) {
        const line = lineOf(SCHEMA.slice(m.location.range.start), `  ${f.name} `) + m.location.range.loc.start.line - 1;
        expect(f.location.range.loc.start).toEqual({ line, column: 3 });
      }
    }
    expect(field(schema, "User", "email").location.range.loc.start.line).toBe(16);
    expect(model(schema, "User").indexes[0]!.location.range.loc.start).toEqual({ line: lineOf(SCHEMA, "@@index([email"), column: 3 });
    expect(model(schema, "Post").indexes.map((i) => i.location.range.loc.start.line)).toEqual([
      lineOf(SCHEMA, "@@unique([authorId"),
      lineOf(SCHEMA, "@@index([authorId])"),
      lineOf(SCHEMA, "@@fulltext"),
    ]);
    const [role] = schema.enums;
    expect(role!.location.range.loc.start.line).toBe(lineOf(SCHEMA, "enum Role {"));
    expect(role!.values.map((v) => v.location.range.loc.start)).toEqual([
      { line: lineOf(SCHEMA, "  USER\n"), column: 3 },
      { line: lineOf(SCHEMA, "  ADMIN"), column: 3 },
    ]);
  });

  it("covers exactly the declaration (a trailing comment is not part of a field)", () => {
    expect(textAt(SCHEMA, model(schema, "Membership").location)).toBe(
      'model Membership {\n  userId String\n  teamId String\n\n  @@id([userId, teamId], map: "membership_pkey")\n  @@schema("public")\n}',
    );
    expect(textAt(SCHEMA, field(schema, "User", "email").location)).toBe("email     String   @unique @db.VarChar(255)");
    expect(textAt(SCHEMA, field(schema, "User", "createdAt").location)).toBe(
      'createdAt DateTime @default(now(), map: "users_created_default") @map("created_at") @db.Timestamptz(6)',
    );
    expect(textAt(SCHEMA, field(schema, "User", "search").location)).toBe('search    Unsupported("tsvector")?');
    expect(textAt(SCHEMA, field(schema, "User", "tags").location)).toBe("tags      String[]");
    expect(textAt(SCHEMA, model(schema, "Post").indexes[2]!.location)).toBe("@@fulltext([title, body])");
    expect(textAt(SCHEMA, schema.enums[0]!.values[1]!.location)).toBe('ADMIN @map("administrator")');
  });

  it("reads CRLF text with the same lines and ranges without the line breaks", () => {
    const crlf = SCHEMA.replace(/\n/g, "\r\n");
    const parsed = parseOne(crlf);
    expect(parsed.errors).toEqual([]);
    expect(parsed.models.map((m) => m.location.range.loc.start.line)).toEqual(schema.models.map((m) => m.location.range.loc.start.line));
    const lines = (s: PrismaSchemaModel) =>
      s.models.flatMap((m) => [...m.fields, ...m.indexes].map((x) => x.location.range.loc.start.line));
    expect(lines(parsed)).toEqual(lines(schema));
    expect(textAt(crlf, field(parsed, "User", "email").location)).toBe("email     String   @unique @db.VarChar(255)");
    expect(field(parsed, "Post", "author").relation?.fields).toEqual(["authorId"]);
  });

  it("ignores a byte order mark: offsets are into the text without it", () => {
    const parsed = parseOne(`\uFEFF${SCHEMA}`);
    expect(parsed.errors).toEqual([]);
    expect(model(parsed, "User").location.range.loc.start).toEqual({ line: 14, column: 1 });
    expect(textAt(SCHEMA, field(parsed, "User", "email").location)).toBe("email     String   @unique @db.VarChar(255)");
  });
});

const DATASOURCE_FILE = `datasource db {
  provider = "postgresql"
  url      = env("DATABASE_URL")
}

model Account {
  id    Int    @id
  owner User   @relation(fields: [ownerId], references: [id])
  ownerId Int
}
`;

const USER_FILE = `enum Plan {
  FREE
  PAID
}

model User {
  id       Int       @id
  plan     Plan
  accounts Account[]
}
`;

describe("parsePrismaSchema: several files", () => {
  const schema = parsePrismaSchema([
    { path: "/repo/prisma/schema/main.prisma", text: DATASOURCE_FILE },
    { path: "/repo/prisma/schema/user.prisma", text: USER_FILE },
  ]);

  it("merges models and enums, each located in its own file", () => {
    expect(schema.errors).toEqual([]);
    expect(schema.files).toEqual(["/repo/prisma/schema/main.prisma", "/repo/prisma/schema/user.prisma"]);
    expect(schema.provider).toBe("postgresql");
    expect(schema.datasourceFile).toBe("/repo/prisma/schema/main.prisma");
    expect(schema.schemas).toEqual([]);
    expect(schema.models.map((m) => [m.name, m.location.file, m.location.range.loc.start.line])).toEqual([
      ["Account", "/repo/prisma/schema/main.prisma", 6],
      ["User", "/repo/prisma/schema/user.prisma", 6],
    ]);
    expect(schema.enums.map((e) => [e.name, e.location.file, e.location.range.loc.start.line])).toEqual([
      ["Plan", "/repo/prisma/schema/user.prisma", 1],
    ]);
    expect(field(schema, "User", "plan").location).toMatchObject({ file: "/repo/prisma/schema/user.prisma", range: { loc: { start: { line: 8 } } } });
    expect(schema.enums[0]!.values.map((v) => v.location.range.loc.start.line)).toEqual([2, 3]);
  });

  it("packs to JSON (the worker's answer, the cache) and back with the same locations", () => {
    // a file that does not parse comes first: packed locations name files by their place in the list given
    const files = [
      { path: "/repo/prisma/schema/broken.prisma", text: "model Broken {\n  id Int @id\n" },
      { path: "/repo/prisma/schema/main.prisma", text: DATASOURCE_FILE },
      { path: "/repo/prisma/schema/user.prisma", text: `\uFEFF${USER_FILE}` },
    ];
    const parsed = parsePrismaSchema(files);
    const { modelForTable: _lookup, ...data } = parsed;
    const packed = JSON.parse(JSON.stringify(data));
    expect(packed.models[1].location).toEqual([2, expect.any(Number), expect.any(Number)]);
    const unpacked = unpackSchema(packed, files);
    const everyLocation = (s: PrismaSchemaModel) => [
      ...s.models.flatMap((m) => [m.location, ...m.fields.map((f) => f.location), ...m.indexes.map((i) => i.location)]),
      ...s.enums.flatMap((e) => [e.location, ...e.values.map((v) => v.location)]),
    ].map((l) => [l.file, l.range]);
    expect(everyLocation(unpacked)).toEqual(everyLocation(parsed));
    expect(everyLocation(unpacked).length).toBeGreaterThan(8);
    expect(unpacked.errors).toEqual(parsed.errors);
    expect(unpacked.modelForTable("User")?.name).toBe("User");
    expect(() => unpackSchema({ ...packed, models: [{ ...packed.models[0], location: [9, 0, 1] }] }, files)).toThrow();
  });

  it("recognises relations to models of another file", () => {
    expect(field(schema, "Account", "owner").relation).toMatchObject({ fields: ["ownerId"], references: ["id"] });
    expect(field(schema, "User", "accounts").relation).toMatchObject({ fields: [], references: [] });
    expect(field(schema, "User", "plan").relation).toBeNull();
  });
});

describe("parsePrismaSchema: errors", () => {
  const BROKEN = `model Broken {
  id   Int @id
  name String oops
}
`;

  it("reports a file that does not parse and still reads the others", () => {
    const schema = parsePrismaSchema([
      { path: "/repo/a.prisma", text: BROKEN },
      { path: "/repo/b.prisma", text: USER_FILE },
    ]);
    expect(schema.errors).toEqual([{ file: "/repo/a.prisma", message: "Unexpected 'oops'", line: 3, column: 15 }]);
    expect(schema.files).toEqual(["/repo/a.prisma", "/repo/b.prisma"]);
    expect(schema.models.map((m) => m.name)).toEqual(["User"]);
    expect(schema.enums.map((e) => e.name)).toEqual(["Plan"]);
    // `accounts Account[]` pointed at the broken file's... nothing: Account is unknown, so it is not a relation.
    expect(field(schema, "User", "accounts").relation).toBeNull();
  });

  it("reports a missing closing brace at the end of the file", () => {
    const schema = parseOne("model A {\n  id Int @id\n");
    expect(schema.errors).toEqual([{ file: "/repo/prisma/schema.prisma", message: "Expecting '}' but found end of file", line: 3, column: 1 }]);
    expect(schema.models).toEqual([]);
  });

  it("reports the token of a mismatch with its line and column", () => {
    const schema = parseOne("model A {\n  id Int @id\n}\n\nmodel B\n  id Int\n}\n");
    expect(schema.errors).toHaveLength(1);
    expect(schema.errors[0]).toMatchObject({ message: "Expecting '{' but found a line break", line: 5, column: 8 });
  });

  it("reports an unterminated block comment", () => {
    const schema = parseOne("model A {\n  id Int @id\n}\n/* never closed\nmodel B {\n  id Int @id\n}\n");
    expect(schema.errors).toEqual([{ file: "/repo/prisma/schema.prisma", message: "Unterminated block comment", line: 4, column: 1 }]);
  });

  it("never throws, whatever the input", () => {
    for (const text of ["", "}", "{{{", "model", "model A {", '"', "@@@", "enum E {\n  @@\n}\n", "\u0000\u0001"]) {
      expect(() => parseOne(text)).not.toThrow();
    }
    expect(parseOne("").errors).toEqual([]);
  });
});

describe("parsePrismaSchema: text prisma-ast rejects but Prisma accepts", () => {
  it("reads block comments in any position, keeping lines", () => {
    const text = `/**
 * Error group state: the pattern of trigger.dev's schema.
 */
model ErrorGroupState {
  /**
   * The id.
   */
  id    String @id /* inline */ @default(cuid())
  state String @default("/* not a comment */") // nor /* this
  /* a */ note String?
}

/* between blocks */ enum Status { // trailing
  OPEN /* first */
  CLOSED
}
`;
    const schema = parseOne(text);
    expect(schema.errors).toEqual([]);
    expect(model(schema, "ErrorGroupState").location.range.loc.start.line).toBe(4);
    expect(field(schema, "ErrorGroupState", "id")).toMatchObject({ default: "cuid()", id: true, location: { range: { loc: { start: { line: 8 } } } } });
    expect(field(schema, "ErrorGroupState", "state")).toMatchObject({ default: '"/* not a comment */"', location: { range: { loc: { start: { line: 9 } } } } });
    expect(field(schema, "ErrorGroupState", "note")).toMatchObject({ optional: true, location: { range: { loc: { start: { line: 10, column: 11 } } } } });
    expect(schema.enums[0]).toMatchObject({ name: "Status", location: { range: { loc: { start: { line: 13, column: 22 } } } } });
    expect(schema.enums[0]!.values.map((v) => [v.name, v.location.range.loc.start.line])).toEqual([
      ["OPEN", 14],
      ["CLOSED", 15],
    ]);
    // Ranges still index the original text.
    expect(textAt(text, field(schema, "ErrorGroupState", "id").location)).toBe("id    String @id /* inline */ @default(cuid())");
  });

  it("reads a block opened by `{` followed by spaces or a comment", () => {
    const text = "datasource db {   \n  provider = \"mysql\"\n}\n\nmodel A { // the A\n  id Int @id\n}\n\nenum E {\t\r\n  X\r\n}\n";
    const schema = parseOne(text);
    expect(schema.errors).toEqual([]);
    expect(schema.provider).toBe("mysql");
    expect(model(schema, "A").location.range.loc.start.line).toBe(5);
    expect(field(schema, "A", "id").location.range.loc.start.line).toBe(6);
    expect(textAt(text, model(schema, "A").location)).toBe("model A { // the A\n  id Int @id\n}");
    expect(schema.enums[0]!.values[0]!.location.range.loc.start.line).toBe(10);
  });

  it("leaves a provider read from the environment unknown", () => {
    const schema = parseOne('datasource db {\n  provider = env("DB_PROVIDER")\n  url = env("DATABASE_URL")\n}\n');
    expect(schema.errors).toEqual([]);
    expect(schema.provider).toBeNull();
    expect(schema.datasourceFile).toBe("/repo/prisma/schema.prisma");
  });

  it("skips views, but a field typed by a view is still a relation", () => {
    const schema = parseOne(`model User {
  id    Int        @id
  stats UserStats?
}

view UserStats {
  userId Int  @unique
  user   User @relation(fields: [userId], references: [id])
}
`);
    expect(schema.errors).toEqual([]);
    expect(schema.models.map((m) => m.name)).toEqual(["User"]);
    expect(field(schema, "User", "stats").relation).not.toBeNull();
  });
});

const corpus = path.resolve(__dirname, "../../../shared/corpus");

function findSchemaFiles(dir: string): string[] {
  const found: string[] = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === "node_modules" || entry.name === ".git") continue;
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) found.push(...findSchemaFiles(full));
    else if (entry.isFile() && entry.name === "schema.prisma") found.push(full);
  }
  return found;
}

describe.skipIf(!fs.existsSync(corpus))("parsePrismaSchema: corpus schemas", () => {
  const files = fs.existsSync(corpus) ? findSchemaFiles(corpus) : [];

  it("finds the corpus schemas", () => {
    expect(files.length).toBeGreaterThan(0);
  });

  it.each(files.map((file) => [path.relative(corpus, file), file]))("parses %s", (_name, file) => {
    const text = fs.readFileSync(file, "utf8");
    const schema = parsePrismaSchema([{ path: file, text }]);
    expect(schema.errors).toEqual([]);
    expect(schema.models.length).toBeGreaterThan(0);
    expect(schema.provider).not.toBeNull();
    for (const m of schema.models) {
      // Every location points at the declaration it names.
      const source = new SourceLines(text);
      expect(source.line(m.location.range.loc.start.line)).toMatch(new RegExp(`^model\\s+${m.name}\\b`));
      for (const f of m.fields) expect(source.line(f.location.range.loc.start.line).trimStart().startsWith(f.name)).toBe(true);
      for (const i of m.indexes) expect(source.line(i.location.range.loc.start.line).trimStart().startsWith(`@@${i.kind}`)).toBe(true);
    }
    for (const e of schema.enums) {
      const source = new SourceLines(text);
      expect(source.line(e.location.range.loc.start.line)).toMatch(new RegExp(`^enum\\s+${e.name}\\b`));
      for (const v of e.values) expect(source.line(v.location.range.loc.start.line).trimStart().startsWith(v.name)).toBe(true);
    }
  });
});

describe("parsePrismaSchema: large schemas are parsed in chunks of whole blocks", () => {
  // over 16 KB, a file is cut after top-level blocks; braces in strings and comments must not cut it
  const model = (i: number) =>
    `/// doc comment with a } brace\nmodel M${i} {\n  id   Int    @id\n  note String @default("}{ ${i}") // } in a comment\n  tag  String @map("tag_${i}")\n\n  @@map("m_${i}")\n}\n\n`;
  const big = Array.from({ length: 400 }, (_, i) => model(i)).join("");

  it("keeps every block and every location", () => {
    expect(big.length).toBeGreaterThan(3 * 16 * 1024);
    const schema = parsePrismaSchema([{ path: "/p/schema.prisma", text: big }]);
    expect(schema.errors).toEqual([]);
    expect(schema.models.map((m) => m.name)).toEqual(Array.from({ length: 400 }, (_, i) => `M${i}`));
    const lines = new SourceLines(big);
    for (const m of schema.models) {
      expect(lines.line(m.location.range.loc.start.line)).toBe(`model ${m.name} {`);
      expect(textAt(big, m.fields[1]!.location)).toBe(`note String @default("}{ ${m.name.slice(1)}")`);
      expect(m.fields[2]!.columnName).toBe(`tag_${m.name.slice(1)}`);
    }
  });

  it("reports a syntax error in a late chunk at its own line", () => {
    const broken = big + "model Broken {\n  id Int @id\n  oops oops oops\n}\n";
    const schema = parsePrismaSchema([{ path: "/p/schema.prisma", text: broken }]);
    expect(schema.errors).toHaveLength(1);
    expect(schema.errors[0]!.line).toBe(big.split("\n").length + 2);
    // the blocks of the chunks that parsed before it do not count either: a file counts whole or not at all
    expect(schema.models).toEqual([]);
  });

  it("knows relations to models of a later chunk and a later file", () => {
    const first = big + "model Owner {\n  id   Int  @id\n  pets Pet[]\n  boss Boss @relation(fields: [id], references: [id])\n}\n";
    const schema = parsePrismaSchema([
      { path: "/p/a.prisma", text: "model Pet {\n  id      Int   @id\n  ownerId Int\n  owner   Owner @relation(fields: [ownerId], references: [id])\n}\n" + first },
      { path: "/p/b.prisma", text: "model Boss {\n  id Int @id\n}\n" },
    ]);
    expect(schema.errors).toEqual([]);
    expect(field(schema, "Pet", "owner").relation).toMatchObject({ fields: ["ownerId"], references: ["id"] });
    expect(field(schema, "Owner", "pets").relation).toEqual({ name: null, fields: [], references: [], onDelete: null, onUpdate: null });
    expect(field(schema, "Owner", "boss").relation).toMatchObject({ fields: ["id"], references: ["id"] });
    expect(field(schema, "Pet", "ownerId").relation).toBeNull();
  });
});

class SourceLines {
  private readonly lines: string[];
  constructor(text: string) {
    this.lines = text.split(/\r\n|\n/);
  }
  line(n: number): string {
    return this.lines[n - 1] ?? "";
  }
}
