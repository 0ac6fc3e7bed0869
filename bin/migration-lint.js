#!/usr/bin/env node
import { main } from "../dist/src/cli/main.js";

const code = await main(process.argv.slice(2), {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  colorDefault: !!process.stdout.isTTY && !process.env.NO_COLOR || !!process.env.FORCE_COLOR && process.env.FORCE_COLOR !== "0",
});
process.exitCode = code;
