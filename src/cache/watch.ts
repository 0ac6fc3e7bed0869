/**
 * Folders a resident process watches (the language server's lint worker, `migration-lint daemon`), so that a run
 * after an edit reads again only what changed since the run before, and trusts the rest without reading, hashing
 * or even a stat of it (an 820-migration history is 1,640 stats: 3-15 ms on 2 cores, the whole budget of a re-lint).
 *
 * Each folder is watched by itself (fs.watch, inotify on Linux, not recursive), and every event bumps a stamp:
 * the folder's, and the one of the entry the event names. Whoever reads a file remembers the stamp it had just
 * before the read (`stamp` starts the watch first, so an event during the read is never lost) and reuses what it
 * read while the stamp is the same. A folder that cannot be watched (no inotify watches left, a file system
 * without events) has no stamp, and whatever is in it is read every time.
 *
 * What it cannot see: changes while the event queue overflows (inotify's limit, 16,384 events by default: a
 * checkout of a huge tree) and file systems that do not report changes (network mounts). The language server
 * starts a new worker when its config changes; the daemon ends after an idle timeout.
 */
import { watch, type FSWatcher } from "node:fs";
import path from "node:path";

interface Watched {
  watcher: FSWatcher;
  /** Stamp of the last event in the folder (any entry), or of the watch's start. */
  any: number;
  /** Stamp of the last event that named no entry (or of the watch's start): it may concern any entry. */
  all: number;
  /** Stamp of the last event naming each entry. */
  names: Map<string, number>;
}

export class FolderWatch {
  private readonly folders = new Map<string, Watched>();
  private sequence = 0;

  /**
   * A number that changes whenever `dir` (or, with `name`, its entry `name`) may have changed, starting the watch
   * when it is not on yet; null when the folder cannot be watched. Take it before reading, compare it before reuse.
   */
  stamp(dir: string, name?: string): number | null {
    const folder = this.folders.get(dir) ?? this.start(dir);
    if (!folder) return null;
    return name === undefined ? folder.any : Math.max(folder.all, folder.names.get(name) ?? 0);
  }

  /** A number that changes with every event in any watched folder and every watch started. */
  latest(): number {
    return this.sequence;
  }

  /**
   * Lets the events already queued arrive: a file written before a request came in has its inotify event queued by
   * then, and the event loop's next poll delivers it. Two turns: called from the poll phase (a read or a message that
   * just completed), one setImmediate runs in the same turn's check phase, before any poll has read the queue; the
   * second runs after the next turn's poll. With one, a run right after a write (discovery kept, so no await in
   * between) listed the migrations as they were before it.
   */
  settle(): Promise<void> {
    return new Promise((resolve) => setImmediate(() => setImmediate(resolve)));
  }

  /** Stops watching `dir` (a migration folder that is gone). */
  forget(dir: string): void {
    this.folders.get(dir)?.watcher.close();
    this.folders.delete(dir);
  }

  close(): void {
    for (const folder of this.folders.values()) folder.watcher.close();
    this.folders.clear();
  }

  private start(dir: string): Watched | null {
    let watcher: FSWatcher;
    try {
      // not persistent: watching never keeps a process alive
      watcher = watch(dir, { persistent: false });
    } catch {
      return null;
    }
    const stamp = ++this.sequence;
    const folder: Watched = { watcher, any: stamp, all: stamp, names: new Map() };
    this.folders.set(dir, folder);
    watcher.on("change", (_event, filename) => {
      const at = ++this.sequence;
      folder.any = at;
      const name = typeof filename === "string" ? filename : filename ? String(filename) : null;
      if (name === null) return void (folder.all = at);
      folder.names.set(name, at);
      // a watched folder inside it may have been replaced (renamed, deleted and made again): its watch follows the old one
      if (this.folders.has(path.join(dir, name))) this.forget(path.join(dir, name));
    });
    watcher.on("error", () => {
      // the folder itself is gone or cannot be watched any more: the next stamp starts again (or says null)
      if (this.folders.get(dir) === folder) this.forget(dir);
    });
    return folder;
  }
}
