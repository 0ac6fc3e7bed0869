/** What a run and the daemon say to each other over the socket (one JSON line each way), and the daemon's thread to its lint worker. */

export interface DaemonLintRequest {
  kind: "lint";
  /** The command line after `migration-lint`. */
  argv: string[];
  /** The run's working directory: the daemon's own, or it does not serve it. */
  cwd: string;
  /** The environment variables a run reads (see `runEnvironment`). */
  env: Record<string, string>;
  /** Whether stdout is a terminal that takes colour, as the run's bin/ decided it. */
  colorDefault: boolean;
}

export type DaemonRequest = DaemonLintRequest | { kind: "stop" } | { kind: "ping" };

/** The run's output in the order it was written (1 stdout, 2 stderr) and its exit code; or why the daemon did not serve it (the run then lints itself). */
export type DaemonAnswer = { served: true; code: number; output: Array<[1 | 2, string]> } | { served: false; why: string };

/** Variables that change what a run does or prints: git's (a pre-commit hook's GIT_INDEX_FILE), ours, colour, where configs and git are found. */
const RUN_VARIABLE = /^(GIT_|MIGRATION_LINT_)|^(NO_COLOR|FORCE_COLOR|HOME|XDG_CONFIG_HOME|APPDATA|PATH|TZ|LANG|LC_ALL)$/;

/** The variables of `env` a run reads. */
export function runEnvironment(env: NodeJS.ProcessEnv): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(env)) if (value !== undefined && RUN_VARIABLE.test(name)) out[name] = value;
  return out;
}

/** Puts a run's variables in place of this thread's own (those it lacks are removed); returns what puts them back. */
export function useRunEnvironment(run: Record<string, string>): () => void {
  const saved = runEnvironment(process.env);
  const set = (values: Record<string, string>) => {
    for (const name of Object.keys(runEnvironment(process.env))) if (!(name in values)) delete process.env[name];
    Object.assign(process.env, values);
  };
  set(run);
  return () => set(saved);
}
