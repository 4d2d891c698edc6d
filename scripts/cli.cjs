// Starts one of the command-line scripts for make: `node scripts/cli.cjs <name> [args...]` bundles
// scripts/<name>.ts in memory (shared/load-typescript.cjs), calls its exported `main(args)` and exits
// with the code it returns. No build step: make targets that only read (outputs, smoke,
// check-config) never wait for a compile, and none of them can run stale output.
"use strict";
const path = require("node:path");
const { loadTypeScript } = require("../shared/load-typescript.cjs");

const [name, ...args] = process.argv.slice(2);
if (!name || !/^[a-z][a-z0-9-]*$/.test(name)) {
    console.error("usage: node scripts/cli.cjs <script> [args...]   (a file scripts/<script>.ts)");
    process.exit(2);
}
let script;
try {
    script = loadTypeScript(path.join(__dirname, `${name}.ts`));
} catch (err) {
    console.error(`error: ${err.message}`);
    process.exit(1);
}
if (typeof script.main !== "function") {
    console.error(`error: scripts/${name}.ts exports no main(args)`);
    process.exit(2);
}
// Exit only once stdout and stderr are flushed: on a pipe, writes are asynchronous and an early
// process.exit would cut a large `make outputs` document short.
const exit = (code) => process.stdout.write("", () => process.stderr.write("", () => process.exit(code)));
Promise.resolve(script.main(args)).then(
    (code) => exit(typeof code === "number" ? code : 0),
    (err) => {
        console.error(`error: ${err && err.stack ? err.stack : String(err)}`);
        exit(1);
    },
);
