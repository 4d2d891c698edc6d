// Loads a TypeScript entry point by bundling it in memory with esbuild, then evaluating the bundle as
// a CommonJS module that lives where the entry point lives.
//
// Why: every layer's Pulumi.yaml (and the policy pack's) names a small `main.js` that calls this, so
// `pulumi up` inside stacks/<layer> always runs the code as it is on disk, shared/ included, with no
// build step that can be forgotten (a prebuilt bundle silently deployed stale code after an edit to
// shared/). The make targets' scripts start the same way. Bundling takes a fraction of a second;
// type checking is not repeated here: `make build` / CI run `tsc` (and the deploy targets run an
// incremental type check first).
//
// npm packages stay external and resolve from the repository's node_modules: the Pulumi SDK keeps
// process-wide state, so the program must use the same copy the language host (or the test) loaded.
"use strict";
const Module = require("node:module");
const path = require("node:path");

/**
 * Bundles and evaluates `entry` (a .ts file); returns its module.exports.
 * @param {string} entry absolute path of the TypeScript entry point
 * @returns {unknown}
 */
function loadTypeScript(entry) {
    const { buildSync } = require("esbuild");
    let result;
    try {
        result = buildSync({
            entryPoints: [entry],
            bundle: true,
            write: false,
            platform: "node",
            format: "cjs",
            target: "node20",
            packages: "external",
            sourcemap: "inline",
            sourcesContent: false,
            logLevel: "silent",
        });
    } catch (err) {
        const errors = (err && err.errors) || [];
        const lines = errors.map((e) => {
            const at = e.location ? `${e.location.file}:${e.location.line}:${e.location.column + 1}: ` : "";
            return `  ${at}${e.text}`;
        });
        throw new Error(`${path.relative(process.cwd(), entry) || entry} could not be bundled:\n${lines.join("\n")}`);
    }
    const output = result.outputFiles[0];
    if (!output) throw new Error(`esbuild produced no output for ${entry}`);
    // Stack traces point into the TypeScript sources through the inline source map.
    if (typeof process.setSourceMapsEnabled === "function") process.setSourceMapsEnabled(true);
    const filename = entry.replace(/\.ts$/, ".js");
    const mod = new Module(filename, module);
    mod.filename = filename;
    mod.paths = Module._nodeModulePaths(path.dirname(filename));
    mod._compile(output.text, filename);
    return mod.exports;
}

module.exports = { loadTypeScript };
