// node bench/compile-cache.mjs <node binary> [rounds]: fixtures/example with Node's compile cache on and off (NODE_DISABLE_COMPILE_CACHE=1), interleaved, medians
import { spawnSync } from "node:child_process";
const [node, rounds = 15] = process.argv.slice(2);
const run = (env, args) => { const t = performance.now(); const r = spawnSync(node, ["bin/migration-lint.js", ...args], { env: { ...process.env, ...env }, encoding: "utf8" }); if (r.status !== 1 && r.status !== 0) throw new Error(r.stderr); return performance.now() - t; };
const scen = { "example, --no-cache": ["--cwd", "fixtures/example", "-f", "json", "--no-cache"], "example, warm cache": ["--cwd", "fixtures/example", "-f", "json"] };
for (const [name, args] of Object.entries(scen)) {
  run({}, args); run({ NODE_DISABLE_COMPILE_CACHE: "1" }, args);
  const on = [], off = [], ratio = [];
  for (let i = 0; i < rounds; i++) { const b = run({ NODE_DISABLE_COMPILE_CACHE: "1" }, args); const a = run({}, args); on.push(a); off.push(b); ratio.push(a / b); }
  const med = (x) => x.sort((p, q) => p - q)[x.length >> 1];
  console.log(`${name}: compile cache ${med(on).toFixed(0)} ms, off ${med(off).toFixed(0)} ms, median ratio ${med(ratio).toFixed(3)}`);
}
