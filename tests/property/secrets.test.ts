/**
 * Secrets never printed: the password of a connection string, in every form a
 * user may give it (URL, %-encoded or raw, `?password=`, without a scheme,
 * libpq key=value, JDBC), never appears in anything the CLI shows, on every
 * error path (bad host, refused connection, authentication failure, unknown
 * database). The authentication failure and the unknown database come from a
 * fake Postgres server that is as indiscreet as a server can be: it quotes the
 * password it was sent and the whole startup message back in its error.
 */
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { main } from "../../src/cli/main.js";
import { BARE_USERINFO, KEY_VALUE, mayHoldUserinfo, REDACTED, redact, redactConnectionString, SCHEME_USERINFO, secretsOf } from "../../src/redact.js";
import { fcSettings, fcTimeout } from "./settings.js";

type Form = "url" | "url-raw" | "query" | "no-scheme" | "libpq" | "jdbc";
const FORMS: Form[] = ["url", "url-raw", "query", "no-scheme", "libpq", "jdbc"];

function connectionString(form: Form, password: string, host: string, port: number, database = "app"): string {
  const encoded = encodeURIComponent(password);
  switch (form) {
    case "url":
      return `postgresql://deploy:${encoded}@${host}:${port}/${database}?schema=public`;
    case "url-raw":
      return `postgresql://deploy:${password}@${host}:${port}/${database}`;
    case "query":
      return `postgresql://deploy@${host}:${port}/${database}?sslmode=disable&password=${encoded}`;
    case "no-scheme":
      return `deploy:${password}@${host}:${port}/${database}`;
    case "libpq":
      return `host=${host} port=${port} user=deploy password='${password.replace(/['\\]/g, "\\$&")}' dbname=${database}`;
    case "jdbc":
      return `jdbc:postgresql://${host}:${port}/${database}?user=deploy&password=${encoded}`;
  }
}

/**
 * A server that asks for a cleartext password and rejects it quoting it back
 * (`auth`), or rejects the database quoting the whole startup message (`baddb`).
 */
function indiscreetServer(mode: "auth" | "baddb"): Promise<{ port: number; close: () => Promise<void> }> {
  const errorResponse = (code: string, message: string) => {
    const fields = Buffer.concat([Buffer.from(`SFATAL\0VFATAL\0C${code}\0M${message}\0`), Buffer.from([0])]);
    const head = Buffer.alloc(5);
    head.write("E", 0);
    head.writeInt32BE(fields.length + 4, 1);
    return Buffer.concat([head, fields]);
  };
  const server = net.createServer((socket) => {
    let buffer = Buffer.alloc(0);
    let started = false;
    socket.on("error", () => undefined);
    socket.on("data", (data) => {
      buffer = Buffer.concat([buffer, data]);
      if (!started) {
        if (buffer.length < 4 || buffer.length < buffer.readInt32BE(0)) return;
        const length = buffer.readInt32BE(0);
        const startup = buffer.subarray(8, length).toString("utf8").split("\0");
        buffer = buffer.subarray(length);
        started = true;
        if (mode === "baddb") {
          const params = Object.fromEntries(startup.flatMap((v, i) => (i % 2 === 0 && v ? [[v, startup[i + 1]]] : [])));
          socket.end(errorResponse("3D000", `database "${params.database}" does not exist (startup: ${startup.join(" ")})`));
          return;
        }
        const ask = Buffer.alloc(9);
        ask.write("R", 0);
        ask.writeInt32BE(8, 1);
        ask.writeInt32BE(3, 5);
        socket.write(ask);
        return;
      }
      if (buffer.length < 5 || buffer.length < buffer.readInt32BE(1) + 1) return;
      const password = buffer.subarray(5, buffer.readInt32BE(1) + 1 - 1).toString("utf8");
      socket.end(errorResponse("28P01", `password authentication failed for user "deploy": "${password}" is not the password`));
    });
  });
  return new Promise((resolve) =>
    server.listen(0, "127.0.0.1", () => resolve({ port: (server.address() as net.AddressInfo).port, close: () => new Promise((done) => server.close(() => done())) })),
  );
}

async function cli(args: string[]): Promise<{ code: number; output: string }> {
  let output = "";
  const io = { stdout: (t: string) => void (output += t), stderr: (t: string) => void (output += t), colorDefault: false };
  const code = await main(args, io);
  return { code, output };
}

function leaks(output: string, password: string): string[] {
  return [password, encodeURIComponent(password)].filter((form) => form.length >= 3 && output.includes(form));
}

describe("redaction of connection strings (src/redact.ts)", () => {
  const password = "s3cr@t:/?#&= 'x\\y%";
  it.each(FORMS)("%s: the password is found and removed; the string is shown only if it is a URL", (form) => {
    const input = connectionString(form, password, "db.example.com", 5432);
    const secrets = secretsOf(input);
    expect(secrets).toContain(password);
    const text = `failed for ${input} (password ${password}, encoded ${encodeURIComponent(password)})`;
    expect(leaks(redact(text, secrets), password)).toEqual([]);
    // a parse error message knows no secrets: the shape alone must go
    expect(leaks(redact(`could not connect with ${connectionString(form, "hunter2x", "h", 1)}`), "hunter2x")).toEqual([]);
    const shown = redactConnectionString(input);
    expect(leaks(shown, password)).toEqual([]);
    if (form === "libpq" || form === "no-scheme") expect(shown).not.toContain("deploy");
  });

  it("keeps what is not a secret", () => {
    expect(redactConnectionString("postgresql://app:pw123@db.example.com:5432/prod?schema=app")).toBe(`postgresql://app:${REDACTED}@db.example.com:5432/prod?schema=app`);
    expect(redact("password authentication failed for user \"app\"", secretsOf("postgresql://app:pw123@h/d"))).toBe("password authentication failed for user \"app\"");
  });
});

describe("the userinfo patterns are skipped only where they cannot match (mayHoldUserinfo)", () => {
  // texts built from the characters the two patterns turn on, with long runs so their length bounds are reached too
  const piece = fc.oneof(
    fc.constantFrom("@", ":", "//", "/", " ", "\t", "\u00a0", "\u2028", "'", '"', "a", "Z", "9", ".", "-", "_", "postgresql://", "@map(", ":5432", "x", "\\"),
    fc.integer({ min: 1000, max: 1100 }).map((n) => "p".repeat(n)),
  );
  it("where one of them changes a text, the check says it may", () => {
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 40 }).map((parts) => parts.join("")), (text) => {
        const changed = text.replace(SCHEME_USERINFO, "$1***$2") !== text || text.replace(BARE_USERINFO, "$1$2***$3") !== text;
        if (changed) expect(mayHoldUserinfo(text)).toBe(true);
        if (!mayHoldUserinfo(text)) expect(redact(text)).toBe(text.replace(KEY_VALUE, "$1***"));
      }),
      fcSettings(15, 3000),
    );
  });
  it("holds at the patterns' length bounds", () => {
    for (const n of [1, 1023, 1024, 1025]) {
      for (const text of [`postgresql://u:${"p".repeat(n)}@h`, `x u:${"p".repeat(n)}@h/d`]) {
        const changed = text.replace(SCHEME_USERINFO, "$1***$2") !== text || text.replace(BARE_USERINFO, "$1$2***$3") !== text;
        expect(mayHoldUserinfo(text) || !changed).toBe(true);
        if (n <= 1024) expect(changed).toBe(true);
      }
    }
  });
  it("a report full of @map and docs URLs needs no scan; a connection string in it still goes", () => {
    const report = JSON.stringify(Array.from({ length: 200 }, (_, i) => ({ message: `Add @map("c${i}") to the field`, url: "https://example.com/docs/rules/x.md" })));
    expect(mayHoldUserinfo(report)).toBe(false);
    expect(mayHoldUserinfo(`${report} postgresql://u:hunter2x@h/d`)).toBe(true);
    expect(redact(`${report} postgresql://u:hunter2x@h/d`)).not.toContain("hunter2x");
  });
});

describe("no message ever contains the password (CLI, every error path)", () => {
  let project: string;
  let auth: Awaited<ReturnType<typeof indiscreetServer>>;
  let baddb: Awaited<ReturnType<typeof indiscreetServer>>;
  beforeAll(async () => {
    project = fs.mkdtempSync(path.join(os.tmpdir(), "migration-lint-secrets-"));
    fs.mkdirSync(path.join(project, "prisma", "migrations", "20240101000000_init"), { recursive: true });
    fs.writeFileSync(path.join(project, "prisma", "schema.prisma"), `datasource db {\n  provider = "postgresql"\n  url      = env("DATABASE_URL")\n}\n\nmodel User {\n  id Int @id\n}\n`);
    fs.writeFileSync(path.join(project, "prisma", "migrations", "20240101000000_init", "migration.sql"), `CREATE TABLE "User" ("id" INTEGER NOT NULL, CONSTRAINT "User_pkey" PRIMARY KEY ("id"));\n`);
    fs.writeFileSync(path.join(project, "prisma", "migrations", "migration_lock.toml"), `provider = "postgresql"\n`);
    auth = await indiscreetServer("auth");
    baddb = await indiscreetServer("baddb");
  });
  afterAll(async () => {
    await auth.close();
    await baddb.close();
    fs.rmSync(project, { recursive: true, force: true });
  });

  const targets = () => ({
    "bad host": { host: "no-such-host.invalid", port: 5432 },
    "refused connection": { host: "127.0.0.1", port: 1 },
    "auth failure": { host: "127.0.0.1", port: auth.port },
    "bad database name": { host: "127.0.0.1", port: baddb.port },
  });

  it("for each form and each error path, by flag, by environment variable and with --print-config", async () => {
    for (const [what, { host, port }] of Object.entries(targets())) {
      for (const form of FORMS) {
        const password = "Pw-7f@:/x y'z\\%q";
        const input = connectionString(form, password, host, port, what === "bad database name" ? "no_such_db" : "app");
        const byFlag = await cli(["--replay", "--database-url", input, "--cwd", project, "--format", "json"]);
        expect(byFlag.code, `${what}, ${form}: ${byFlag.output}`).toBe(2);
        expect(leaks(byFlag.output, password), `${what}, ${form}: ${byFlag.output}`).toEqual([]);
        // each path is really taken: the URL forms reach the server (or fail to), the others are refused unseen
        const expected = { "bad host": /ENOTFOUND|EAI_AGAIN/, "refused connection": /ECONNREFUSED/, "auth failure": /password authentication failed/, "bad database name": /database "no_such_db" does not exist/ }[what]!;
        if (form === "url" || form === "query") expect(byFlag.output).toMatch(expected);
        if (form === "libpq" || form === "no-scheme" || form === "jdbc") expect(byFlag.output).toMatch(/--database-url (is not a URL|must be a postgresql:\/\/ URL)/);
        process.env.MIGRATION_LINT_DATABASE_URL = input;
        try {
          const byEnv = await cli(["--replay", "--cwd", project]);
          expect(leaks(byEnv.output, password), `${what}, ${form} (environment): ${byEnv.output}`).toEqual([]);
        } finally {
          delete process.env.MIGRATION_LINT_DATABASE_URL;
        }
        const printed = await cli(["--print-config", "--database-url", input, "--cwd", project]);
        expect(leaks(printed.output, password)).toEqual([]);
      }
    }
  }, fcTimeout(120_000));

  it("property: any password, any form, any error path", async () => {
    const chars = [..."abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789@:/?#&=%' \"\\!$;+,()[]{}*~`^|<>é€😀"];
    await fc.assert(
      fc.asyncProperty(
        fc.string({ unit: fc.constantFrom(...chars), minLength: 6, maxLength: 24 }).map((s) => `K${s}`),
        fc.constantFrom(...FORMS),
        fc.constantFrom("refused connection", "auth failure", "bad database name"),
        async (password, form, what) => {
          const { host, port } = targets()[what as keyof ReturnType<typeof targets>];
          const input = connectionString(form, password, host, port, what === "bad database name" ? "no_such_db" : "app");
          const { code, output } = await cli(["--replay", "--database-url", input, "--cwd", project, "--format", "json"]);
          return code === 2 && leaks(output, password).length === 0;
        },
      ),
      fcSettings(0x5ec2e7, 60),
    );
  }, fcTimeout(120_000));
});
