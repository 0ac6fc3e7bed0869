/**
 * Where the daemon of a working directory listens: a Unix socket named after the directory, in a folder only its
 * user may enter (mode 0700, owned by the user): `$XDG_RUNTIME_DIR/migration-lint/` where the session has one
 * (Linux desktops: a per-user tmpfs the system empties at logout), else `daemon/` in the cache folder
 * (`node_modules/.cache/migration-lint/`, else `.migration-lint-daemon/` in the directory). Never a TCP port: a
 * socket in a private folder is reachable by its user alone. Both the daemon and a run that looks for it agree on
 * this, and a run talks only to a socket in a folder that passes `isPrivateFolder`.
 */
import { sha1Hex } from "../hash.js";
import { lstatSync } from "node:fs";
import path from "node:path";
import { defaultCacheFile } from "../cache/location.js";

/** A Unix socket's path holds at most 107 bytes on Linux, 103 on macOS. */
const SOCKET_PATH_LIMIT = 103;

export interface DaemonLocation {
  /** The private folder. */
  dir: string;
  socket: string;
}

/** The daemon's socket for `cwd` (as process.cwd() gives it), or null with why when the path would be too long for a socket. */
export function daemonLocation(cwd: string, env: NodeJS.ProcessEnv = process.env): DaemonLocation | { problem: string } {
  const key = sha1Hex(cwd).slice(0, 16);
  const runtime = env.XDG_RUNTIME_DIR;
  const cache = defaultCacheFile(cwd);
  const dir = runtime && path.isAbsolute(runtime) ? path.join(runtime, "migration-lint") : path.dirname(cache) === cwd ? path.join(cwd, ".migration-lint-daemon") : path.join(path.dirname(cache), "daemon");
  const socket = path.join(dir, `${key}.sock`);
  if (Buffer.byteLength(socket) > SOCKET_PATH_LIMIT) return { problem: `the socket's path ${socket} is longer than a Unix socket allows (${SOCKET_PATH_LIMIT} bytes); set XDG_RUNTIME_DIR to a short folder of your own` };
  return { dir, socket };
}

/** Whether `dir` is a real folder (not a link) of this user that no one else may enter or list. */
export function isPrivateFolder(dir: string): boolean {
  try {
    const stat = lstatSync(dir);
    return stat.isDirectory() && (process.getuid === undefined || stat.uid === process.getuid()) && (stat.mode & 0o077) === 0;
  } catch {
    return false;
  }
}
