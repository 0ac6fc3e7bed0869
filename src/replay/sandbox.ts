/**
 * What replay does not run on a real server (`--database-url`): statements
 * whose effect reaches beyond its scratch database. A Postgres server is a
 * cluster: roles, databases, tablespaces, server settings and subscriptions
 * belong to all of its databases, so a migration's `CREATE ROLE`,
 * `DROP DATABASE other`, `ALTER SYSTEM` would act on the server replay was
 * pointed at (often a developer's or CI's shared Postgres), outside the
 * throwaway database it created. So would `COPY ... PROGRAM` and server
 * files, `dblink`, foreign servers, and functions that act on other
 * sessions or the server (`pg_terminate_backend`, `lo_export`, ...).
 *
 * The decision is made on libpg-query's AST, statement by statement, and
 * inside `DO` blocks and function bodies (PL/pgSQL parsed with libpg-query's
 * PL/pgSQL parser; SQL inside `EXECUTE '<constant>'` parsed too). A refused
 * statement is either `skippable` (its effect lies wholly outside the scratch
 * database, so replay goes on as if it had run) or not (replay cannot go on
 * soundly without it, and stops). PGlite runs everything: it is in-process
 * and thrown away.
 */
import { loadPostgresParser, parseSqlFile } from "../dialects/postgres/parse.js";
import { strings, unwrap, walk, type Body } from "../model/ast.js";
import type { Statement } from "../types.js";

export interface Refusal {
  statement: Statement;
  /** Why it is not run, as a sentence fragment: `DROP DATABASE "x" drops a database replay did not create`. */
  reason: string;
  /** True when leaving it out leaves the scratch database exactly as running it would (its effect is elsewhere). */
  skippable: boolean;
}

export interface GuardedScript {
  /** The script with refused statements blanked out (same length in characters, same lines). */
  text: string;
  refusals: Refusal[];
}

export interface SandboxState {
  /** The scratch database's name: `ALTER DATABASE` of it is allowed. */
  database: string;
  /** Roles that refused statements would have created: statements that use them are refused too. */
  skippedRoles: Set<string>;
}

interface Reach {
  reason: string;
  skippable: boolean;
  /** Roles this statement would create. */
  creates?: string[];
}

/** Function calls that act outside the scratch database (other sessions, the server, its files, other servers). */
const SERVER_FUNCTIONS: Record<string, string> = {
  lo_export: "writes a file on the database server",
  lo_import: "reads a file of the database server",
  pg_terminate_backend: "ends another session on the server",
  pg_cancel_backend: "cancels another session's query on the server",
  pg_reload_conf: "reloads the server's configuration",
  pg_rotate_logfile: "rotates the server's log file",
  pg_promote: "promotes a standby server",
  pg_switch_wal: "switches the server's WAL file",
  pg_create_restore_point: "writes a restore point into the server's WAL",
  pg_create_physical_replication_slot: "creates a replication slot, which belongs to the whole server",
  pg_create_logical_replication_slot: "creates a replication slot, which belongs to the whole server",
  pg_drop_replication_slot: "drops a replication slot of the server",
  pg_replication_origin_create: "creates a replication origin, which belongs to the whole server",
  pg_replication_origin_drop: "drops a replication origin of the server",
  pg_file_write: "writes a file on the database server",
  pg_file_rename: "renames a file on the database server",
  pg_file_unlink: "deletes a file on the database server",
  pg_stat_reset_shared: "resets server-wide statistics",
  // reading is touching too: a file's content would end up in a finding (an error quoting it), in a CI log or a PR comment
  pg_read_file: "reads a file of the database server",
  pg_read_binary_file: "reads a file of the database server",
  pg_stat_file: "reads a file's details on the database server",
  pg_ls_dir: "lists a directory of the database server",
  pg_ls_logdir: "lists the server's log directory",
  pg_ls_waldir: "lists the server's WAL directory",
  pg_ls_tmpdir: "lists the server's temporary directory",
  pg_ls_archive_statusdir: "lists the server's WAL archive status directory",
  pg_ls_logicalsnapdir: "lists a directory of the database server",
  pg_ls_logicalmapdir: "lists a directory of the database server",
  pg_ls_replslotdir: "lists a directory of the database server",
};

const SHARED_OBJECTS: Record<string, string> = { OBJECT_DATABASE: "database", OBJECT_ROLE: "role", OBJECT_TABLESPACE: "tablespace", OBJECT_PARAMETER_ACL: "server parameter" };

/** Languages whose code can do anything on the server (C libraries, untrusted PLs): replay cannot see what they do. */
const OPAQUE_LANGUAGE = /^(c|pl\w*u)$/i;

type PlParser = { parseSync(sql: string): { stmts?: Array<{ stmt?: Record<string, unknown> }> }; parsePlPgSQLSync(sql: string): unknown };

/** The parser instance dialects/postgres/parse.ts loaded (the libpg-query module, which has the PL/pgSQL parser too). */
async function plParser(): Promise<PlParser> {
  return (await loadPostgresParser()) as unknown as PlParser;
}

/**
 * Parses `text` and blanks out every statement that reaches beyond the scratch
 * database. Statements that do not parse are left to Postgres, which parses a
 * whole script before running any of it and rejects it.
 */
export async function guardScript(path: string, text: string, state: SandboxState): Promise<GuardedScript> {
  const parser = await plParser();
  // Most scripts have nothing to refuse: one libpg-query call decides that (on trigger.dev's 820 migrations,
  // 0.4 s instead of 4 s for parseSqlFile's statements, ranges and comments, which only blanking needs).
  if (nothingToRefuse(text, state, parser)) return { text, refusals: [] };
  const file = await parseSqlFile(path, text);
  const refusals: Refusal[] = [];
  for (const statement of file.statements) {
    if (!statement.node) continue;
    const reach = statementReach(statement.node, statement.text, state, parser, 0);
    if (!reach) continue;
    for (const role of reach.creates ?? []) state.skippedRoles.add(role);
    refusals.push({ statement, reason: reach.reason, skippable: reach.skippable });
  }
  if (refusals.length === 0) return { text: file.text, refusals };
  let out = "";
  let at = 0;
  for (const { statement } of refusals) {
    out += file.text.slice(at, statement.range.start) + blank(statement.text);
    at = statement.range.end;
  }
  return { text: out + file.text.slice(at), refusals };
}

/** True when the whole script parses and no statement of it reaches beyond the scratch database. */
function nothingToRefuse(text: string, state: SandboxState, parser: PlParser): boolean {
  if (text.includes("\0")) return false;
  let stmts: Array<{ stmt?: Record<string, unknown>; stmt_location?: number; stmt_len?: number }>;
  try {
    stmts = parser.parseSync(text).stmts ?? [];
  } catch {
    return false;
  }
  const bytes = Buffer.from(text, "utf8");
  return stmts.every(({ stmt, stmt_location = 0, stmt_len }) => {
    if (!stmt) return true;
    const own = bytes.subarray(stmt_location, stmt_len ? stmt_location + stmt_len : bytes.length).toString("utf8");
    return statementReach(stmt, own, state, parser, 0) === null;
  });
}

/** Spaces for every character (code point, the unit of Postgres's error positions), newlines kept. */
function blank(text: string): string {
  let out = "";
  for (const char of text) out += char === "\n" || char === "\r" ? char : " ";
  return out;
}

function statementReach(node: unknown, text: string, state: SandboxState, parser: PlParser, depth: number): Reach | null {
  const [type, body] = unwrap(node);
  if (!type || !body) return null;
  const own = ownReach(type, body, text, state, parser, depth);
  if (own) return own;
  // anywhere inside: calls of server functions, uses of roles replay did not create
  let found: Reach | null = null;
  const readOnly = type === "SelectStmt" && !body.intoClause;
  walk(body, (inner, innerBody) => {
    if (found) return;
    if (inner === "FuncCall") {
      const name = strings(innerBody.funcname).at(-1)?.toLowerCase() ?? "";
      const what = name.startsWith("dblink") ? "connects to another database through dblink" : SERVER_FUNCTIONS[name] ?? (name === "set_config" && setsIdentity(innerBody.args) ? "changes the role the session runs as" : null);
      if (what) found = { reason: `${name}() ${what}`, skippable: readOnly };
    }
  });
  const role = found ? undefined : skippedRoleIn(body, state.skippedRoles);
  if (role) found = { reason: `it uses the role "${role}", which replay did not create on the server (see the statement that creates it)`, skippable: roleUseSkippable(type, body) };
  return found;
}

/** A role named anywhere in the statement (a RoleSpec, wrapped or not: `newowner`, `authrole` are bare) that replay left uncreated. */
function skippedRoleIn(node: unknown, roles: ReadonlySet<string>): string | undefined {
  if (roles.size === 0) return undefined;
  const stack: unknown[] = [node];
  while (stack.length) {
    const current = stack.pop();
    if (Array.isArray(current)) stack.push(...current);
    else if (current && typeof current === "object") {
      const o = current as Body;
      if (typeof o.roletype === "string" && typeof o.rolename === "string" && roles.has(o.rolename)) return o.rolename;
      for (const value of Object.values(o)) if (value && typeof value === "object") stack.push(value);
    }
  }
  return undefined;
}

function ownReach(type: string, body: Body, text: string, state: SandboxState, parser: PlParser, depth: number): Reach | null {
  const otherDatabase = (name: unknown) => typeof name === "string" && name !== state.database;
  switch (type) {
    case "CreatedbStmt":
      return { reason: `CREATE DATABASE creates the database "${body.dbname}" on the server, beside replay's scratch database`, skippable: true };
    case "DropdbStmt":
      return { reason: `DROP DATABASE drops "${body.dbname}", a database replay did not create`, skippable: true };
    case "AlterDatabaseStmt":
    case "AlterDatabaseSetStmt":
    case "AlterDatabaseRefreshCollStmt":
      return otherDatabase(body.dbname) ? { reason: `ALTER DATABASE changes "${body.dbname}", a database replay did not create (the migration names production's database)`, skippable: true } : null;
    case "CreateRoleStmt":
      return { reason: `CREATE ${body.stmt_type === "ROLESTMT_USER" ? "USER" : body.stmt_type === "ROLESTMT_GROUP" ? "GROUP" : "ROLE"} creates "${body.role}", and roles belong to the whole server, not to one database`, skippable: true, creates: [body.role as string] };
    case "AlterRoleStmt":
    case "AlterRoleSetStmt":
      return { reason: "ALTER ROLE changes a role, and roles belong to the whole server, not to one database", skippable: true };
    case "DropRoleStmt":
      return { reason: "DROP ROLE drops a role, and roles belong to the whole server, not to one database", skippable: true };
    case "GrantRoleStmt":
      return { reason: `${body.is_grant ? "GRANT" : "REVOKE"} of role membership changes roles, which belong to the whole server`, skippable: true };
    case "DropOwnedStmt":
    case "ReassignOwnedStmt":
      return { reason: `${type === "DropOwnedStmt" ? "DROP OWNED" : "REASSIGN OWNED"} also acts on databases and tablespaces, which belong to the whole server`, skippable: false };
    case "AlterSystemStmt":
      return { reason: "ALTER SYSTEM changes the server's configuration file", skippable: true };
    case "CreateTableSpaceStmt":
    case "DropTableSpaceStmt":
    case "AlterTableSpaceOptionsStmt":
      return { reason: "tablespaces belong to the whole server and live in its file system", skippable: true };
    case "CreateSubscriptionStmt":
    case "AlterSubscriptionStmt":
    case "DropSubscriptionStmt":
      return { reason: "a subscription connects to another server (and creates or drops a replication slot there)", skippable: true };
    case "CreateForeignServerStmt":
    case "AlterForeignServerStmt":
    case "ImportForeignSchemaStmt":
      return { reason: "a foreign server reaches outside the scratch database (postgres_fdw connects to other servers, file_fdw reads the server's files)", skippable: false };
    case "VariableSetStmt":
      return (body.name === "role" || body.name === "session_authorization") && body.kind !== "VAR_RESET"
        ? { reason: `SET ${body.name === "role" ? "ROLE" : "SESSION AUTHORIZATION"} runs what follows as another role of the server`, skippable: true }
        : null;
    case "CopyStmt":
      if (body.is_program) return { reason: "COPY ... PROGRAM runs a shell command on the database server", skippable: true };
      return typeof body.filename === "string" ? { reason: `COPY ${body.is_from ? "FROM" : "TO"} a file ${body.is_from ? "reads" : "writes"} the database server's file system`, skippable: true } : null;
    case "RenameStmt":
    case "AlterOwnerStmt":
    case "CommentStmt":
    case "SecLabelStmt":
    case "GrantStmt": {
      const kind = SHARED_OBJECTS[(body.renameType ?? body.objectType ?? body.objtype) as string];
      if (!kind) return null;
      if (kind === "database" && !otherDatabase(body.subname ?? bodyName(body.object) ?? strings(body.objects)[0])) return null;
      return { reason: `it changes a ${kind}, and ${kind}s belong to the whole server, not to one database`, skippable: true };
    }
    case "DoStmt":
      return doReach(body, text, state, parser, depth);
    case "CreateFunctionStmt":
      return functionReach(body, text, state, parser, depth);
    default:
      return null;
  }
}

function bodyName(node: unknown): string | undefined {
  const [type, body] = unwrap(node);
  return type === "String" ? (body?.sval as string) : undefined;
}

function setsIdentity(args: unknown): boolean {
  const first = Array.isArray(args) ? unwrap(args[0]) : [null, null];
  const name = first[0] === "A_Const" ? (first[1]?.sval?.sval as string | undefined) : undefined;
  return name === undefined || /^(role|session_authorization)$/i.test(name);
}

/** A use of a skipped role is skippable where only privileges or ownership depend on it (replay compares neither). */
function roleUseSkippable(type: string, body: Body): boolean {
  if (type === "GrantStmt" || type === "AlterDefaultPrivilegesStmt" || type === "AlterOwnerStmt") return true;
  if (type === "AlterTableStmt") return Array.isArray(body.cmds) && body.cmds.every((c: unknown) => unwrap(c)[1]?.subtype === "AT_ChangeOwner");
  return false;
}

function option(body: Body, name: string): unknown {
  const list = (body.args ?? body.options) as unknown[] | undefined;
  for (const item of list ?? []) {
    const [, def] = unwrap(item);
    if (def?.defname === name) return def.arg;
  }
  return undefined;
}

function doReach(body: Body, text: string, state: SandboxState, parser: PlParser, depth: number): Reach | null {
  const language = bodyName(option(body, "language")) ?? "plpgsql";
  if (language.toLowerCase() !== "plpgsql") {
    return { reason: `a DO block in LANGUAGE ${language} can do anything on the server, and replay cannot see what`, skippable: false };
  }
  const inner = plpgsqlReach(text, state, parser, depth);
  if (inner.reaches.length === 0) return null;
  const skippable = inner.reaches.every((r) => r.skippable) && !inner.otherWork;
  return {
    reason: `this DO block runs statements replay does not run on a real server (${inner.reaches[0]!.reason}); a DO block is one statement and cannot be split${skippable ? ", and it does nothing else" : ", and it does other work replay cannot leave out"}`,
    skippable,
    creates: inner.reaches.flatMap((r) => r.creates ?? []),
  };
}

function functionReach(body: Body, text: string, state: SandboxState, parser: PlParser, depth: number): Reach | null {
  const language = (bodyName(option(body, "language")) ?? "sql").toLowerCase();
  if (OPAQUE_LANGUAGE.test(language)) {
    return { reason: `a function in LANGUAGE ${language} can do anything on the server, and replay cannot see what`, skippable: false };
  }
  let reaches: Reach[] = [];
  if (language === "plpgsql") reaches = plpgsqlReach(text, state, parser, depth).reaches;
  else if (language === "sql") {
    const source = option(body, "as");
    const code = strings(unwrap(source)[0] === "List" ? unwrap(source)[1]!.items : [source]).join("\n");
    reaches = [...sqlReaches(code, state, parser, depth).reaches];
    walk(body.sql_body, (type, inner) => {
      const reach = type.endsWith("Stmt") ? statementReach({ [type]: inner }, "", state, parser, depth + 1) : null;
      if (reach) reaches.push(reach);
    });
  }
  if (reaches.length === 0) return null;
  return { reason: `the function's body ${reaches[0]!.reason.replace(/^this /, "a ")}, and calling it would do that on the server; replay does not create it`, skippable: false };
}

/** Every SQL statement and expression of a PL/pgSQL body (DO or function), classified. `otherWork`: some statement writes inside the database. */
function plpgsqlReach(text: string, state: SandboxState, parser: PlParser, depth: number): { reaches: Reach[]; otherWork: boolean } {
  let tree: unknown;
  try {
    tree = parser.parsePlPgSQLSync(text);
  } catch {
    // Postgres compiles the body before running it and would most likely reject it too; refuse only what looks risky.
    return /\b(role|user|group|database|system|tablespace|dblink|lo_export|program|authorization|execute|pg_terminate_backend)\b/i.test(text)
      ? { reaches: [{ reason: "its PL/pgSQL body could not be parsed, so replay cannot see what it runs", skippable: false }], otherWork: true }
      : { reaches: [], otherWork: false };
  }
  const reaches: Reach[] = [];
  let otherWork = false;
  const dynamic = new Set<unknown>();
  walk(tree, (type, body) => {
    if (/^PLpgSQL_stmt_(dynexecute|dynfors|return_query|open)$/.test(type)) for (const key of ["query", "dynquery"]) if (body[key]) dynamic.add(unwrap(body[key])[1]);
  });
  walk(tree, (type, body) => {
    if (type !== "PLpgSQL_expr" || typeof body.query !== "string") return;
    if (dynamic.has(body)) {
      const constant = constantString(body.query, parser);
      if (constant === null) {
        reaches.push({ reason: "EXECUTE runs SQL built while it runs, which replay cannot inspect", skippable: false });
        return;
      }
      const inner = sqlReaches(constant, state, parser, depth);
      reaches.push(...inner.reaches);
      otherWork ||= inner.otherWork;
      return;
    }
    const sql = body.parseMode === 0 ? body.query : `SELECT ${body.query.replace(/^\s*[\w."]+(\[[^\]]*\])?\s*:=\s*/, "")}`;
    const inner = sqlReaches(sql, state, parser, depth);
    reaches.push(...inner.reaches);
    otherWork ||= inner.otherWork;
  });
  return { reaches, otherWork };
}

function sqlReaches(sql: string, state: SandboxState, parser: PlParser, depth: number): { reaches: Reach[]; otherWork: boolean } {
  if (depth > 8) return { reaches: [{ reason: "it nests SQL too deeply for replay to inspect", skippable: false }], otherWork: true };
  let stmts: Array<{ stmt?: Record<string, unknown> }>;
  try {
    stmts = parser.parseSync(sql).stmts ?? [];
  } catch {
    return { reaches: [], otherWork: false };
  }
  const reaches: Reach[] = [];
  let otherWork = false;
  for (const { stmt } of stmts) {
    if (!stmt) continue;
    const reach = statementReach(stmt, sql, state, parser, depth + 1);
    if (reach) reaches.push(reach);
    else if (unwrap(stmt)[0] !== "SelectStmt") otherWork = true;
  }
  return { reaches, otherWork };
}

/** The value of `query` when it is one string constant (`'CREATE ROLE x'`), else null. */
function constantString(query: string, parser: PlParser): string | null {
  try {
    const stmt = parser.parseSync(`SELECT ${query}`).stmts?.[0]?.stmt;
    const target = unwrap(stmt)[1]?.targetList;
    if (!Array.isArray(target) || target.length !== 1) return null;
    const value = unwrap(unwrap(target[0])[1]?.val);
    return value[0] === "A_Const" && typeof value[1]?.sval?.sval === "string" ? (value[1].sval.sval as string) : null;
  } catch {
    return null;
  }
}
