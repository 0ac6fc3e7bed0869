import { existsSync } from "node:fs";
import path from "node:path";
import { observe } from "../discover/observed.js";

/**
 * The root of the git repository holding `dir`: the nearest folder, from `dir` up, with a `.git` entry
 * (a folder, or the file of a worktree or submodule). Read from the file system, so it needs no git
 * binary; undefined outside a repository.
 */
export function findRepositoryRoot(dir: string): string | undefined {
  for (let current = path.resolve(dir); ; current = path.dirname(current)) {
    observe(path.join(current, ".git"), "kind");
    if (existsSync(path.join(current, ".git"))) return current;
    if (path.dirname(current) === current) return undefined;
  }
}
