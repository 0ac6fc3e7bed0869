/**
 * A throwaway MySQL / MariaDB server for replay when no --database-url is given and a server binary is installed
 * (`mariadbd` or `mysqld`): its data directory is initialized in a new temp dir (`mariadb-install-db` /
 * `mysql_install_db`, or `mysqld --initialize-insecure`), and it listens on a unix socket in that dir only
 * (`--skip-networking`), started with `--no-defaults` so that no my.cnf of the machine applies and the system's
 * data directory is never touched. File import/export of its SQL is confined to that dir (`--secure-file-priv`).
 *
 * It is stopped and its dir deleted on every exit path Node lets code run on: the end of the run (`stop()`, in a
 * `finally`), SIGINT / SIGTERM / SIGHUP (stopped, then the signal is re-raised, as the Postgres scratch database
 * does: src/replay/target.ts), and the process's `exit` event (`process.exit()`, an uncaught exception: the
 * server is killed and the dir removed synchronously). What no code survives (SIGKILL) is swept by the next start:
 * a dir of this tool whose owning process is gone has its server killed and is deleted.
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { MigrationLintError } from "../../errors.js";

export const SERVER_DIR_PREFIX = "migration-lint-mysqld-";
const MARKER = "owner.json";
const SIGNALS: NodeJS.Signals[] = ["SIGINT", "SIGTERM", "SIGHUP"];
const SEARCH_DIRS = ["/usr/sbin", "/usr/local/sbin", "/usr/local/mysql/bin", "/usr/local/bin", "/opt/homebrew/bin", "/opt/homebrew/sbin"];

export interface ThrowawayServer {
  /** Unix socket to connect to as root without a password. */
  socketPath: string;
  /** e.g. "throwaway MariaDB server in /tmp/migration-lint-mysqld-x (unix socket)". */
  description: string;
  /** Stops the server and deletes its dir. Idempotent; never throws. */
  stop(): Promise<void>;
}

function findExecutable(names: string[]): string | null {
  const dirs = [...(process.env.PATH ?? "").split(path.delimiter).filter(Boolean), ...SEARCH_DIRS];
  for (const name of names) {
    for (const dir of dirs) {
      const file = path.join(dir, name);
      try {
        fs.accessSync(file, fs.constants.X_OK);
        if (fs.statSync(file).isFile()) return file;
      } catch {
        // not here
      }
    }
  }
  return null;
}

/**
 * The server binary replay would start, or null when neither mariadbd nor mysqld is installed.
 * MIGRATION_LINT_MYSQLD names another one, or with `none` starts none (replay then needs --database-url).
 */
export function findServerBinary(): string | null {
  const chosen = process.env.MIGRATION_LINT_MYSQLD;
  if (chosen === "none") return null;
  if (chosen) return chosen;
  return findExecutable(["mariadbd", "mysqld"]);
}

const processAlive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === "EPERM";
  }
};

/** Kills the server of a dir left by a process that no longer exists (SIGKILL, a crash) and deletes the dir. Never throws. */
export function sweepStaleServers(tmp = os.tmpdir()): string[] {
  const swept: string[] = [];
  let entries: string[];
  try {
    entries = fs.readdirSync(tmp).filter((e) => e.startsWith(SERVER_DIR_PREFIX));
  } catch {
    return swept;
  }
  for (const entry of entries) {
    const dir = path.join(tmp, entry);
    let marker: { tool?: string; host?: string; owner?: number; server?: number };
    try {
      marker = JSON.parse(fs.readFileSync(path.join(dir, MARKER), "utf8")) as typeof marker;
    } catch {
      continue; // not ours, or still being created
    }
    if (marker.tool !== "migration-lint replay" || marker.host !== os.hostname() || !Number.isInteger(marker.owner) || processAlive(marker.owner!)) continue;
    if (Number.isInteger(marker.server) && serverOfDir(marker.server!, dir)) killNow(marker.server!);
    fs.rmSync(dir, { recursive: true, force: true });
    swept.push(dir);
  }
  return swept;
}

/** Whether process `pid` is a server running on `dir` (its command line names the dir), so a reused pid is never killed. */
function serverOfDir(pid: number, dir: string): boolean {
  try {
    return fs.readFileSync(`/proc/${pid}/cmdline`, "utf8").includes(dir);
  } catch {
    return false;
  }
}

function killNow(pid: number): void {
  try {
    process.kill(pid, "SIGKILL");
  } catch {
    // gone already
  }
}

/** Starts a throwaway server; throws a usage error saying why it could not. */
export async function startThrowawayServer(binary: string): Promise<ThrowawayServer> {
  sweepStaleServers();
  const version = spawnSync(binary, ["--no-defaults", "--version"], { encoding: "utf8", timeout: 10_000 }).stdout?.trim() ?? "";
  const mariadb = /mariadb/i.test(version) || path.basename(binary) === "mariadbd";
  const number = /Ver\s+([\d.]+)/.exec(version)?.[1] ?? "";
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), SERVER_DIR_PREFIX));
  const data = path.join(dir, "data");
  const files = path.join(dir, "files");
  fs.mkdirSync(files);
  // its own temp files too: the server would use $TMPDIR, which the mysql user may not be allowed to write
  const scratchFiles = path.join(dir, "tmp");
  fs.mkdirSync(scratchFiles);
  const socketPath = path.join(dir, "mysqld.sock");
  const writeMarker = (server?: number) => fs.writeFileSync(path.join(dir, MARKER), JSON.stringify({ tool: "migration-lint replay", host: os.hostname(), owner: process.pid, ...(server ? { server } : {}) }));
  writeMarker();

  let child: ChildProcess | null = null;
  let stopping: Promise<void> | null = null;
  const onSignal = (signal: NodeJS.Signals) => {
    void stop().finally(() => process.kill(process.pid, signal));
  };
  // process.exit(), an uncaught exception: only synchronous work runs now
  const onExit = () => {
    if (child?.pid && child.exitCode === null) killNow(child.pid);
    fs.rmSync(dir, { recursive: true, force: true });
  };
  const stop = (): Promise<void> =>
    (stopping ??= (async () => {
      const server = child;
      if (server?.pid && server.exitCode === null && server.signalCode === null) {
        const exited = new Promise<void>((resolve) => server.once("exit", () => resolve()));
        server.kill("SIGTERM");
        const timer = setTimeout(() => server.kill("SIGKILL"), 10_000);
        await exited;
        clearTimeout(timer);
      }
      fs.rmSync(dir, { recursive: true, force: true });
      for (const signal of SIGNALS) process.removeListener(signal, onSignal);
      process.removeListener("exit", onExit);
    })());
  for (const signal of SIGNALS) process.on(signal, onSignal);
  process.on("exit", onExit);

  try {
    // as root the server refuses to start unless told which user to run as: the system's mysql user where it exists
    const asRoot = process.getuid?.() === 0;
    const mysqlUser = asRoot && spawnSync("id", ["-u", "mysql"], { encoding: "utf8" }).status === 0 ? "mysql" : asRoot ? "root" : null;
    if (mysqlUser === "mysql") spawnSync("chown", ["-R", "mysql", dir]);
    const userArgs = mysqlUser ? [`--user=${mysqlUser}`] : [];
    const init = initCommand(binary, mariadb, data, [...userArgs, `--tmpdir=${scratchFiles}`]);
    const initialized = spawnSync(init.command, init.args, { encoding: "utf8", timeout: 120_000 });
    if (initialized.status !== 0) throw new Error(`${path.basename(init.command)} failed: ${tail(`${initialized.stderr ?? ""}${initialized.stdout ?? ""}`) || initialized.error?.message || `exit ${initialized.status}`}`);
    if (mysqlUser === "mysql") spawnSync("chown", ["-R", "mysql", dir]);
    const log = path.join(dir, "server.log");
    child = spawn(
      binary,
      [
        "--no-defaults",
        ...userArgs,
        `--datadir=${data}`,
        `--socket=${socketPath}`,
        "--skip-networking",
        `--pid-file=${path.join(dir, "mysqld.pid")}`,
        `--log-error=${log}`,
        `--secure-file-priv=${files}`,
        `--tmpdir=${scratchFiles}`,
        "--skip-log-bin",
        "--innodb-flush-log-at-trx-commit=0",
        "--innodb-buffer-pool-size=32M",
        ...(mariadb ? [] : ["--mysqlx=OFF"]),
      ],
      { stdio: "ignore" },
    );
    writeMarker(child.pid);
    await waitForSocket(child, socketPath, log);
    return { socketPath, description: `throwaway ${mariadb ? "MariaDB" : "MySQL"}${number ? ` ${number}` : ""} server in ${dir} (unix socket)`, stop };
  } catch (err) {
    const why = err instanceof Error ? err.message : String(err);
    await stop();
    throw new MigrationLintError("usage", `Cannot start a throwaway ${mariadb ? "MariaDB" : "MySQL"} server with ${binary} for replay: ${why}. Give --database-url mysql://user:password@host:port/ of a server instead.`);
  }
}

function initCommand(binary: string, mariadb: boolean, data: string, serverArgs: string[]): { command: string; args: string[] } {
  if (mariadb) {
    const installDb = findExecutable(["mariadb-install-db", "mysql_install_db"]);
    if (!installDb) throw new Error("mariadb-install-db is not installed (it comes with the MariaDB server package)");
    // root@localhost with an empty password, over the unix socket of this server only
    return { command: installDb, args: ["--no-defaults", ...serverArgs, `--datadir=${data}`, "--auth-root-authentication-method=normal", "--skip-test-db", "--skip-name-resolve"] };
  }
  return { command: binary, args: ["--no-defaults", ...serverArgs, "--initialize-insecure", `--datadir=${data}`] };
}

async function waitForSocket(child: ChildProcess, socketPath: string, log: string): Promise<void> {
  const deadline = Date.now() + 60_000;
  let exited = false;
  child.once("exit", () => (exited = true));
  while (Date.now() < deadline) {
    if (exited) throw new Error(`the server exited at start: ${tail(readLog(log)) || "no log"}`);
    if (fs.existsSync(socketPath)) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`the server did not open its socket within 60 s: ${tail(readLog(log)) || "no log"}`);
}

function readLog(file: string): string {
  try {
    return fs.readFileSync(file, "utf8");
  } catch {
    return "";
  }
}

/** The last error-looking line of a log, to say why in one line. */
function tail(text: string): string {
  const lines = text.split("\n").map((l) => l.trim()).filter(Boolean);
  return (lines.filter((l) => /error|fatal|abort/i.test(l)).at(-1) ?? lines.at(-1) ?? "").slice(0, 300);
}
