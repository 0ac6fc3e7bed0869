/**
 * Reads Prisma schema files (one `schema.prisma` or a folder of `*.prisma`)
 * into the `PrismaSchemaModel` of ./types.ts, with a 1-based location for every
 * model, field, enum, enum value and block attribute.
 *
 * Parsing is done by `@mrleebo/prisma-ast` (a chevrotain grammar). Two of its
 * gaps are worked around on the text before it sees it, always keeping every
 * offset (and so every line) unchanged; see `prepareForPrismaAst`.
 *
 * `view` blocks are skipped: they are not tables, so no migration operation
 * maps onto them. Their names still mark fields as relations. Composite
 * `type` blocks (MongoDB) and `generator` blocks are skipped too.
 */
import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import type * as PrismaAst from "@mrleebo/prisma-ast";
import { SourceText } from "../parse/source-text.js";
import type { SourceRange } from "../types.js";
import type {
  PrismaAttribute,
  PrismaBlockIndex,
  PrismaEnum,
  PrismaField,
  PrismaModel,
  PrismaSchemaModel,
  SchemaLocation,
} from "./types.js";

export interface PrismaSchemaFile {
  /** Absolute path of the file; copied as is into locations and errors. */
  path: string;
  text: string;
}

export function parsePrismaSchema(files: PrismaSchemaFile[]): PrismaSchemaModel {
  const errors: PrismaSchemaModel["errors"] = [];
  const models: PrismaModel[] = [];
  const enums: PrismaEnum[] = [];
  // A field is a relation when its type is a model (or view) of any file, which is known once every file is read:
  // each field's `@relation(...)` is read as its block is built, and `relation` is set at the end (the fields of a
  // file that does not parse are never read from `relations`: their models are dropped with it).
  const relationTargets = new Set<string>();
  const relations = new Map<PrismaField, PrismaRelation>();
  let datasource: { file: string; provider: string | null; schemas: string[] } | null = null;

  for (const [index, file] of files.entries()) {
    const source = new SourceText(file.text);
    const origin: SchemaOrigin = { path: file.path, index, source };
    const locate = (extent: Extent): SchemaLocation => new SchemaSpan(origin, extent.start, extent.end);
    // A file counts only when all of it parses. Its blocks are built chunk by chunk, so that prisma-ast's tree of a
    // chunk is garbage before the next chunk is parsed (on a 1.4 MB schema, holding all of them peaked 100 MB higher).
    const built: ParsedFile = { models: [], enums: [], targets: [], datasource: null };
    let buildError: unknown;
    const onBlock = (block: PrismaAst.Block) => {
      try {
        buildBlock(block, built, relations, locate);
      } catch (error) {
        throw (buildError = error);
      }
    };
    try {
      parseBlocks(source.text, onBlock);
    } catch (error) {
      if (error === buildError) throw error; // a bug here, not a syntax error of the schema
      errors.push(describeParseError(file.path, source, error));
      continue;
    }
    models.push(...built.models);
    enums.push(...built.enums);
    for (const name of built.targets) relationTargets.add(name);
    if (datasource === null && built.datasource !== null) datasource = { file: file.path, ...built.datasource };
  }

  for (const model of models) {
    for (const field of model.fields) {
      if (relationTargets.has(field.type)) field.relation = relations.get(field) ?? readRelation(undefined);
    }
  }
  const { provider = null, schemas = [], file: datasourceFile = null } = datasource ?? {};
  return withTableLookup({ files: files.map((file) => file.path), provider, datasourceFile, schemas, models, enums, errors });
}

/** What one schema file's blocks build (parsePrismaSchema). */
interface ParsedFile {
  models: PrismaModel[];
  enums: PrismaEnum[];
  /** Names of models and views: a field of one of these types is a relation. */
  targets: string[];
  /** The file's first datasource block. */
  datasource: { provider: string | null; schemas: string[] } | null;
}

function buildBlock(block: PrismaAst.Block, built: ParsedFile, relations: Map<PrismaField, PrismaRelation>, locate: Locate): void {
  if (block.type === "model" || block.type === "view") built.targets.push(block.name);
  if (block.type === "datasource") {
    // Prisma allows one datasource; if a broken schema has more, the first wins.
    built.datasource ??= readDatasource(block);
  } else if (block.type === "model") {
    built.models.push(buildModel(block as Located<PrismaAst.Model>, relations, locate));
  } else if (block.type === "enum") {
    built.enums.push(buildEnum(block as Located<PrismaAst.Enum>, locate));
  }
}

/** The schema data as plain values, without the lookup function. */
export type PrismaSchemaData = Omit<PrismaSchemaModel, "modelForTable">;

/** The file a `SchemaSpan` points into: its path, its place in the list of files parsed, and its text. */
interface SchemaOrigin {
  readonly path: string;
  readonly index: number;
  readonly source: SourceText;
}

/** A location as JSON carries it: the file's index in the list of files parsed, then the offsets. */
export type PackedLocation = [file: number, start: number, end: number];
type Packed<T> = T extends SchemaLocation ? PackedLocation : T extends Array<infer U> ? Array<Packed<U>> : T extends object ? { [K in keyof T]: Packed<T[K]> } : T;
/** The schema data as JSON (the worker thread's answer, the cache): every location packed. */
export type PackedSchemaData = Packed<PrismaSchemaData>;

/**
 * A location in a schema file. A 1,000-model schema has some 30,000 of them,
 * so each keeps two offsets and its file; line and column are worked out when
 * `range` is read (rules read a handful, to point a fix at a field). Measured
 * on a 1.4 MB schema: 29 MB for the model with ranges as objects, 12 MB so.
 */
export class SchemaSpan implements SchemaLocation {
  constructor(
    private readonly origin: SchemaOrigin,
    readonly start: number,
    readonly end: number,
  ) {}

  get file(): string {
    return this.origin.path;
  }

  get range(): SourceRange {
    return this.origin.source.rangeOf(this.start, this.end);
  }

  toJSON(): PackedLocation {
    return [this.origin.index, this.start, this.end];
  }
}

/**
 * The model back from its JSON (see `SchemaSpan.toJSON`), given the same files
 * in the same order as were parsed. Throws on data of another shape.
 */
export function unpackSchema(data: PackedSchemaData, files: PrismaSchemaFile[]): PrismaSchemaModel {
  const origins = files.map((file, index): SchemaOrigin => ({ path: file.path, index, source: new SourceText(file.text) }));
  const span = (packed: PackedLocation): SchemaLocation => {
    const origin = Array.isArray(packed) ? origins[packed[0]] : undefined;
    if (!origin || !Number.isInteger(packed[1]) || !Number.isInteger(packed[2])) throw new Error("not a packed schema location");
    return new SchemaSpan(origin, packed[1], packed[2]);
  };
  const models = data.models.map((model): PrismaModel => ({
    ...model,
    fields: model.fields.map((field) => ({ ...field, location: span(field.location) })),
    indexes: model.indexes.map((index) => ({ ...index, location: span(index.location) })),
    location: span(model.location),
  }));
  const enums = data.enums.map((prismaEnum): PrismaEnum => ({
    ...prismaEnum,
    values: prismaEnum.values.map((value) => ({ ...value, location: span(value.location) })),
    location: span(prismaEnum.location),
  }));
  return withTableLookup({ ...data, models, enums });
}

/** Adds `modelForTable` to plain schema data. */
function withTableLookup(data: PrismaSchemaData): PrismaSchemaModel {
  const modelsByTable = new Map<string, PrismaModel[]>();
  for (const model of data.models) {
    const sameTable = modelsByTable.get(model.tableName);
    if (sameTable) sameTable.push(model);
    else modelsByTable.set(model.tableName, [model]);
  }
  return {
    ...data,
    modelForTable(table, schema) {
      const candidates = modelsByTable.get(table);
      if (!candidates) return undefined;
      if (schema == null) return candidates[0];
      // A model without @@schema lives in the default schema, which only the
      // database knows: it matches any schema, after an exact match.
      return candidates.find((model) => model.schema === schema) ?? candidates.find((model) => model.schema === null);
    },
  };
}

// ---------------------------------------------------------------------------
// Building the model from the prisma-ast blocks

type Locate = (extent: Extent) => SchemaLocation;

function readDatasource(block: PrismaAst.Datasource): { provider: string | null; schemas: string[] } {
  let provider: string | null = null;
  let schemas: string[] = [];
  for (const item of block.assignments) {
    if (item?.type !== "assignment") continue;
    // `provider = env("X")` is only known at run time: it stays null.
    if (item.key === "provider") provider = stringValue(item.value);
    else if (item.key === "schemas") schemas = arrayItems(item.value).flatMap((value) => stringValue(value) ?? []);
  }
  return { provider, schemas };
}

function buildModel(block: Located<PrismaAst.Model>, relations: Map<PrismaField, PrismaRelation>, locate: Locate): PrismaModel {
  const fields: PrismaField[] = [];
  const indexes: PrismaBlockIndex[] = [];
  let tableName = block.name;
  let schema: string | null = null;
  // `item` can be undefined at run time: prisma-ast visits a `key = value`
  // line inside a model to nothing.
  for (const item of block.properties) {
    if (item?.type === "field") {
      fields.push(buildField(item as LocatedField, relations, locate));
    } else if (item?.type === "attribute") {
      const attribute = item as LocatedAttribute;
      const name = attributeName(attribute);
      if (name === "map") tableName = stringValue(namedOrFirstArg(attribute, "name")) ?? tableName;
      else if (name === "schema") schema = stringValue(namedOrFirstArg(attribute, "name"));
      else if (isBlockIndexKind(name)) indexes.push(buildBlockIndex(name, attribute, locate));
    }
  }
  return { name: block.name, tableName, schema, fields, indexes, location: locate(block.extent) };
}

/** The field with `relation: null`; its `@relation(...)`, if any, is read into `relations` (see parsePrismaSchema). */
function buildField(field: LocatedField, relations: Map<PrismaField, PrismaRelation>, locate: Locate): PrismaField {
  const attributes = (field.attributes ?? []) as LocatedAttribute[];
  let columnName = field.name;
  let nativeType: string | null = null;
  let defaultText: string | null = null;
  let id = false;
  let unique = false;
  let relationAttribute: LocatedAttribute | undefined;
  for (const attribute of attributes) {
    if (attribute.group === "db") {
      // As written after `@db.`, e.g. `VarChar(255)`.
      nativeType = attribute.nativeTypeText;
      continue;
    }
    if (attribute.group !== undefined) continue;
    switch (attribute.name) {
      case "map":
        columnName = stringValue(namedOrFirstArg(attribute, "name")) ?? columnName;
        break;
      case "default": {
        // The value only: a `map: "..."` argument names the constraint.
        const valueIndex = (attribute.args ?? []).findIndex((arg) => !isKeyValue(arg.value));
        defaultText = valueIndex === -1 ? null : (attribute.argTexts[valueIndex] ?? null);
        break;
      }
      case "id":
        id = true;
        break;
      case "unique":
        unique = true;
        break;
      case "relation":
        relationAttribute = attribute;
        break;
    }
  }

  const built: PrismaField = {
    name: field.name,
    columnName,
    type: field.typeText,
    optional: field.optional === true,
    list: field.array === true,
    nativeType,
    default: defaultText,
    id,
    unique,
    relation: null,
    attributes: attributes.map(
      (attribute): PrismaAttribute => ({ name: attributeName(attribute), args: attribute.argTexts }),
    ),
    location: locate(field.extent),
  };
  if (relationAttribute) relations.set(built, readRelation(relationAttribute));
  return built;
}

type PrismaRelation = NonNullable<PrismaField["relation"]>;

function readRelation(attribute: LocatedAttribute | undefined): PrismaRelation {
  const relation: PrismaRelation = { name: null, fields: [], references: [], onDelete: null, onUpdate: null };
  if (!attribute) return relation;
  for (const arg of attribute.args ?? []) {
    const value = arg.value;
    if (!isKeyValue(value)) {
      // `@relation("Name", ...)`: the positional argument is the name.
      relation.name ??= stringValue(value as PrismaAst.Value);
      continue;
    }
    switch (value.key) {
      case "name":
        relation.name = stringValue(value.value);
        break;
      case "fields":
        relation.fields = fieldNames(value.value);
        break;
      case "references":
        relation.references = fieldNames(value.value);
        break;
      case "onDelete":
        relation.onDelete = identifierValue(value.value);
        break;
      case "onUpdate":
        relation.onUpdate = identifierValue(value.value);
        break;
    }
  }
  return relation;
}

const BLOCK_INDEX_KINDS = ["index", "unique", "id", "fulltext"] as const;
type BlockIndexKind = (typeof BLOCK_INDEX_KINDS)[number];
const isBlockIndexKind = (name: string): name is BlockIndexKind => (BLOCK_INDEX_KINDS as readonly string[]).includes(name);

function buildBlockIndex(kind: BlockIndexKind, attribute: LocatedAttribute, locate: Locate): PrismaBlockIndex {
  // `map:` is the database name; `name:` is the client name of @@id/@@unique
  // and the database name of an @@index written before Prisma 2.30.
  const name = stringValue(keyedArg(attribute, "map")) ?? stringValue(keyedArg(attribute, "name"));
  return {
    kind,
    fields: fieldNames(namedOrFirstArg(attribute, "fields")),
    name,
    location: locate(attribute.extent),
  };
}

function buildEnum(block: Located<PrismaAst.Enum>, locate: Locate): PrismaEnum {
  let dbName = block.name;
  let schema: string | null = null;
  const values: PrismaEnum["values"] = [];
  for (const item of block.enumerators) {
    if (item?.type === "enumerator") {
      const enumerator = item as Located<PrismaAst.Enumerator>;
      const map = enumerator.attributes?.find((attribute) => attribute.name === "map" && attribute.group === undefined);
      values.push({
        name: enumerator.name,
        dbName: (map && stringValue(namedOrFirstArg(map, "name"))) ?? enumerator.name,
        location: locate(enumerator.extent),
      });
    } else if (item?.type === "attribute") {
      const name = attributeName(item);
      if (name === "map") dbName = stringValue(namedOrFirstArg(item, "name")) ?? dbName;
      else if (name === "schema") schema = stringValue(namedOrFirstArg(item, "name"));
    }
  }
  return { name: block.name, dbName, schema, values, location: locate(block.extent) };
}

// ---------------------------------------------------------------------------
// Reading prisma-ast values

type AnyAttribute = PrismaAst.Attribute | PrismaAst.BlockAttribute;
type ArgValue = PrismaAst.AttributeArgument["value"];

const attributeName = (attribute: AnyAttribute) =>
  attribute.group ? `${attribute.group}.${attribute.name}` : attribute.name;

function isKeyValue(value: ArgValue): value is PrismaAst.KeyValue {
  return typeof value === "object" && value !== null && !Array.isArray(value) && value.type === "keyValue";
}

function keyedArg(attribute: AnyAttribute, key: string): PrismaAst.Value | undefined {
  for (const arg of attribute.args ?? []) {
    if (isKeyValue(arg.value) && arg.value.key === key) return arg.value.value;
  }
  return undefined;
}

/** `@@map("x")` or `@@map(name: "x")`: the keyed argument, else the first positional one. */
function namedOrFirstArg(attribute: AnyAttribute, key: string): PrismaAst.Value | undefined {
  const keyed = keyedArg(attribute, key);
  if (keyed !== undefined) return keyed;
  const positional = attribute.args?.find((arg) => !isKeyValue(arg.value));
  return positional?.value as PrismaAst.Value | undefined;
}

/** The content of a string literal (prisma-ast keeps the quotes), or null for anything else. */
function stringValue(value: PrismaAst.Value | undefined): string | null {
  if (typeof value !== "string" || !value.startsWith('"')) return null;
  try {
    return JSON.parse(value) as string;
  } catch {
    return value.slice(1, -1);
  }
}

/** An unquoted identifier argument such as `Cascade` (tolerating a quoted one). */
function identifierValue(value: PrismaAst.Value | undefined): string | null {
  if (typeof value !== "string") return null;
  return stringValue(value) ?? value;
}

function arrayItems(value: PrismaAst.Value | undefined): PrismaAst.Value[] {
  if (Array.isArray(value)) return value;
  if (typeof value === "object" && value !== null && value.type === "array") return value.args ?? [];
  return [];
}

/** `[a, b(sort: Desc), c(ops: JsonbPathOps)]` -> `["a", "b", "c"]`; a bare `a` -> `["a"]`. */
function fieldNames(value: PrismaAst.Value | undefined): string[] {
  const items = typeof value === "string" ? [value] : arrayItems(value);
  return items.flatMap((item) => {
    if (typeof item === "string") return [stringValue(item) ?? item];
    if (typeof item === "object" && item !== null && !Array.isArray(item) && item.type === "function") return [item.name];
    return [];
  });
}

// ---------------------------------------------------------------------------
// Errors

function describeParseError(
  file: string,
  source: SourceText,
  error: unknown,
): PrismaSchemaModel["errors"][number] {
  const offset = errorOffset(error, source.text.length);
  const { line, column } = offset === null ? { line: 1, column: 1 } : source.positionAt(offset);
  return { file, message: errorMessage(error), line, column };
}

interface ChevrotainToken {
  image: string;
  startOffset: number;
  endOffset?: number;
  tokenType?: { name: string };
}

function errorToken(error: unknown): ChevrotainToken | undefined {
  const token = (error as { token?: ChevrotainToken } | null)?.token;
  return token && typeof token.startOffset === "number" ? token : undefined;
}

function errorOffset(error: unknown, textLength: number): number | null {
  if (error instanceof PrismaSyntaxError) return error.offset;
  const token = errorToken(error);
  if (!token) return null;
  // The end-of-file token has NaN offsets.
  return Number.isFinite(token.startOffset) ? token.startOffset : textLength;
}

/** chevrotain's messages, made one line: "Expecting '{' but found 'state'". */
function errorMessage(error: unknown): string {
  const raw = error instanceof Error ? error.message : String(error);
  const token = errorToken(error);
  if (!token) return raw.split("\n", 1)[0]!;
  const found =
    token.tokenType?.name === "EOF" || token.image === ""
      ? "end of file"
      : /^[\r\n]+$/.test(token.image)
        ? "a line break"
        : `'${token.image}'`;
  const expected = /^Expecting (?:token of type )?--> (.*?) <-- but found/.exec(raw)?.[1];
  if (expected !== undefined) return `Expecting ${expected === "LineBreak" ? "a line break" : expected} but found ${found}`;
  return `Unexpected ${found}`;
}

/** A syntax error found before prisma-ast runs (an unterminated block comment). */
class PrismaSyntaxError extends Error {
  constructor(
    message: string,
    readonly offset: number,
  ) {
    super(message);
  }
}

// ---------------------------------------------------------------------------
// Running prisma-ast

/** `{ start, end }` string offsets (end exclusive) of a node's whole source text. */
interface Extent {
  start: number;
  end: number;
}
type Located<T> = T & { extent: Extent };
type LocatedAttribute = Located<AnyAttribute> & {
  /** Each argument as written, e.g. `fields: [userId]`. */
  argTexts: string[];
  /** The attribute from its name on, e.g. `VarChar(255)` for `@db.VarChar(255)`. */
  nativeTypeText: string;
};
type LocatedField = Located<PrismaAst.Field> & {
  /** The type as written, e.g. `String` or `Unsupported("tsvector")`. */
  typeText: string;
};

/** The parts of chevrotain's CST this file reads (the CST itself is untyped in prisma-ast). */
interface CstLocation {
  startOffset: number;
  endOffset?: number;
}
interface CstNode {
  location?: CstLocation;
}
type CstChildren = Record<string, Array<CstNode & ChevrotainToken> | undefined>;
/** The visitor methods of prisma-ast that LocatingVisitor extends. */
interface PrismaAstVisitor {
  component(ctx: CstChildren): Record<string, unknown>;
  field(ctx: CstChildren): Record<string, unknown>;
  fieldAttribute(ctx: CstChildren): Record<string, unknown>;
  blockAttribute(ctx: CstChildren): Record<string, unknown>;
  enum(ctx: CstChildren): Record<string, unknown>;
}

interface PrismaAstRuntime {
  getSchema: typeof PrismaAst.getSchema;
  parser: PrismaAst.PrismaParser;
  visitor: PrismaAstVisitor & { source: string; base: number };
}

let runtime: PrismaAstRuntime | undefined;

/**
 * prisma-ast (with chevrotain) takes ~200 ms to load, so it is required on the
 * first schema parse rather than imported: commands that never read a schema
 * do not pay for it. Its own default parser tracks no locations, so we build
 * one that does, and a visitor that adds each node's full extent and the
 * source text of arguments and types (prisma-ast only locates names).
 */
function prismaAst(): PrismaAstRuntime {
  if (runtime) return runtime;
  const require = createRequire(import.meta.url);
  // the compiled package ships a one-file bundle of prisma-ast, dist/vendor/prisma-ast.cjs (scripts/bundle.mjs):
  // ~10x faster to load. It is one level up from the CLI bundle (dist/cli), two from dist/src/schema.
  const bundled = ["../vendor/prisma-ast.cjs", "../../vendor/prisma-ast.cjs"].find((candidate) => existsSync(new URL(candidate, import.meta.url)));
  const lib = require(bundled ?? "@mrleebo/prisma-ast") as typeof PrismaAst;
  const parser = new lib.PrismaParser({ nodeLocationTracking: "full" });
  const BaseVisitor = lib.VisitorClassFactory(parser) as unknown as new () => PrismaAstVisitor;

  class LocatingVisitor extends BaseVisitor {
    /** Text being parsed, set before each run (parsing is synchronous). */
    source = "";
    /** Offset of `source` in the file (a schema is parsed in chunks of whole blocks): added to every extent. */
    base = 0;

    override component(ctx: CstChildren) {
      const block = super.component(ctx);
      const keyword = ctx.type![0]!;
      return Object.assign(block, { extent: { start: this.base + keyword.startOffset, end: this.base + endOf(ctx.block![0]!) } });
    }

    override field(ctx: CstChildren) {
      const field = super.field(ctx);
      const typeNode = ctx.fieldType![0]!;
      // The field ends with its last attribute; a trailing comment is not part of it.
      const last = ctx.attributeList?.at(-1) ?? ctx.array?.at(-1) ?? ctx.optional?.[0] ?? typeNode;
      return Object.assign(field, {
        extent: { start: this.base + ctx.fieldName![0]!.startOffset, end: this.base + endOf(last) },
        typeText: this.source.slice(startOf(typeNode), endOf(typeNode)),
      });
    }

    override fieldAttribute(ctx: CstChildren) {
      return this.locateAttribute(super.fieldAttribute(ctx), ctx, ctx.fieldAttribute![0]!);
    }

    override blockAttribute(ctx: CstChildren) {
      return this.locateAttribute(super.blockAttribute(ctx), ctx, ctx.blockAttribute![0]!);
    }

    override enum(ctx: CstChildren) {
      const enumerator = super.enum(ctx);
      const name = ctx.enumName![0]!;
      const last = ctx.attributeList?.at(-1) ?? name;
      return Object.assign(enumerator, { extent: { start: this.base + name.startOffset, end: this.base + endOf(last) } });
    }

    private locateAttribute(attribute: Record<string, unknown>, ctx: CstChildren, at: ChevrotainToken) {
      const name = ctx.attributeName![0]!;
      const end = endOf(ctx.RRound?.[0] ?? name);
      return Object.assign(attribute, {
        extent: { start: this.base + at.startOffset, end: this.base + end },
        argTexts: (ctx.attributeArg ?? []).map((arg) => this.source.slice(startOf(arg), endOf(arg))),
        nativeTypeText: this.source.slice(name.startOffset, end),
      });
    }
  }

  runtime = { getSchema: lib.getSchema, parser, visitor: new LocatingVisitor() };
  return runtime;
}

/** chevrotain offsets: a token has them itself, a CST node in `location`; `endOffset` is inclusive. */
function startOf(node: CstNode & Partial<ChevrotainToken>): number {
  return node.location?.startOffset ?? node.startOffset ?? 0;
}
function endOf(node: CstNode & Partial<ChevrotainToken>): number {
  const inclusiveEnd = node.location?.endOffset ?? node.endOffset;
  return inclusiveEnd === undefined || Number.isNaN(inclusiveEnd) ? startOf(node) : inclusiveEnd + 1;
}

/**
 * Blocks of a schema file, parsed in chunks of whole top-level blocks (about
 * CHUNK_CHARS each) rather than in one call: chevrotain holds the tokens and
 * the syntax tree of everything it parses at once, which for a 1.4 MB schema
 * of 1,100 models peaked near 300 MB; in chunks only one chunk's are alive.
 * Each chunk's blocks go to `onBlock`, in order, before the next chunk is
 * parsed. A syntax error is thrown as a PrismaSyntaxError with its offset in
 * the whole file; what `onBlock` throws passes through as it is.
 */
function parseBlocks(text: string, onBlock: (block: PrismaAst.Block) => void): void {
  const { getSchema, parser, visitor } = prismaAst();
  const prepared = prepareForPrismaAst(text);
  const options = { parser, visitor } as unknown as Parameters<typeof getSchema>[1];
  for (const [start, end] of blockChunks(prepared)) {
    let list: Array<PrismaAst.Block | null | undefined>;
    visitor.source = prepared.slice(start, end);
    visitor.base = start;
    try {
      list = getSchema(visitor.source, options).list;
    } catch (error) {
      const offset = errorOffset(error, end - start);
      throw new PrismaSyntaxError(errorMessage(error), offset === null ? start : start + offset);
    } finally {
      visitor.source = "";
      visitor.base = 0;
    }
    for (const block of list) if (block != null) onBlock(block);
  }
}

/** Chunks of a schema are at least this long (one parser call has a fixed cost), and end after a block. */
const CHUNK_CHARS = 16 * 1024;

/**
 * `[start, end)` chunks covering `text`, each cut at the end of the line where
 * a top-level block closes (braces counted outside strings and comments).
 * Text with unbalanced braces ends up in the last chunk, whose parse reports it.
 */
function blockChunks(text: string): Array<[number, number]> {
  if (text.length <= CHUNK_CHARS) return [[0, text.length]];
  const chunks: Array<[number, number]> = [];
  let chunkStart = 0;
  let depth = 0;
  scanCode(text, (i, c) => {
    if (c === LBRACE) depth++;
    if (c !== RBRACE || depth === 0 || --depth > 0 || i + 1 - chunkStart < CHUNK_CHARS) return i + 1;
    // the chunk takes the rest of the line and its line break (the grammar wants one after `}`)
    let end = lineEnd(text, i + 1);
    if (text.charCodeAt(end) === CR) end++;
    if (text.charCodeAt(end) === LF) end++;
    chunks.push([chunkStart, end]);
    return (chunkStart = end);
  });
  if (chunkStart < text.length || chunks.length === 0) chunks.push([chunkStart, text.length]);
  return chunks;
}

// ---------------------------------------------------------------------------
// Text fixes for prisma-ast; each keeps the text's length and line breaks

/**
 * prisma-ast has no block-comment token and its whitespace token swallows
 * line breaks, so Prisma-valid schemas fail in two ways:
 * - `/* ... *\/` comments: the lexer drops `/` and `*` and parses the words
 *   inside ("Expecting '{' but found 'state'"). They are blanked with spaces.
 * - `model X {` followed by spaces or a `//` comment: the grammar wants a line
 *   break right after `{`. The `{` is moved to the end of its line.
 */
function prepareForPrismaAst(text: string): string {
  return moveOpeningBracesToLineEnd(blankBlockComments(text));
}

const QUOTE = 34;
const SLASH = 47;
const STAR = 42;
const BACKSLASH = 92;
const LF = 10;
const CR = 13;
const SPACE = 32;
const TAB = 9;
const LBRACE = 123;
const RBRACE = 125;

/**
 * Walks `text` outside string literals and `//` comments: `visit` gets each
 * other character's offset and code, and returns where to go on.
 */
function scanCode(text: string, visit: (i: number, c: number) => number): void {
  let i = 0;
  while (i < text.length) {
    const c = text.charCodeAt(i);
    if (c === QUOTE) i = stringEnd(text, i);
    else if (c === SLASH && text.charCodeAt(i + 1) === SLASH) i = lineEnd(text, i);
    else i = visit(i, c);
  }
}

function blankBlockComments(text: string): string {
  if (!text.includes("/*")) return text;
  const pieces: string[] = [];
  let copiedUpTo = 0;
  scanCode(text, (i, c) => {
    if (c !== SLASH || text.charCodeAt(i + 1) !== STAR) return i + 1;
    const close = text.indexOf("*/", i + 2);
    if (close === -1) throw new PrismaSyntaxError("Unterminated block comment", i);
    const end = close + 2;
    pieces.push(text.slice(copiedUpTo, i), text.slice(i, end).replace(/[^\r\n]/g, " "));
    return (copiedUpTo = end);
  });
  pieces.push(text.slice(copiedUpTo));
  return pieces.join("");
}

function moveOpeningBracesToLineEnd(text: string): string {
  let pieces: string[] | undefined;
  let copiedUpTo = 0;
  scanCode(text, (i, c) => {
    if (c !== LBRACE) return i + 1;
    let restEnd = i + 1;
    while (text.charCodeAt(restEnd) === SPACE || text.charCodeAt(restEnd) === TAB) restEnd++;
    if (text.charCodeAt(restEnd) === SLASH && text.charCodeAt(restEnd + 1) === SLASH) restEnd = lineEnd(text, restEnd);
    const atLineEnd = restEnd === text.length || text.charCodeAt(restEnd) === LF || text.charCodeAt(restEnd) === CR;
    if (atLineEnd && restEnd > i + 1) {
      (pieces ??= []).push(text.slice(copiedUpTo, i), " ".repeat(restEnd - i - 1), "{");
      copiedUpTo = restEnd;
    }
    return restEnd;
  });
  if (!pieces) return text;
  pieces.push(text.slice(copiedUpTo));
  return pieces.join("");
}

/** Offset just past the string literal opening at `start` (or at its line's end when unterminated). */
function stringEnd(text: string, start: number): number {
  let i = start + 1;
  while (i < text.length) {
    const c = text.charCodeAt(i);
    if (c === BACKSLASH) i += 2;
    else if (c === QUOTE) return i + 1;
    else if (c === LF || c === CR) return i;
    else i++;
  }
  return text.length;
}

function lineEnd(text: string, from: number): number {
  let i = from;
  while (i < text.length) {
    const c = text.charCodeAt(i);
    if (c === LF || c === CR) return i;
    i++;
  }
  return i;
}
