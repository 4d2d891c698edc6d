// Finding what the host starts: `node` on PATH and @pulumi/pulumi's cmd/* entry points as seen from the
// program's directory — the program's own copy of the SDK, as `require.resolve` in that directory
// would find it (the Go host runs `node -e "require.resolve(...)"` there).

import { accessSync, constants, statSync } from "node:fs";
import { createRequire } from "node:module";
import { delimiter, join } from "node:path";

/** Absolute path of `name` on PATH, like Go's exec.LookPath; throws when absent. */
export function lookPath(name: string, path = process.env["PATH"] ?? ""): string {
    for (const dir of path.split(delimiter)) {
        const candidate = join(dir || ".", name);
        try {
            accessSync(candidate, constants.X_OK);
            if (statSync(candidate).isFile()) return candidate;
        } catch {
            // Not here; keep looking.
        }
    }
    throw new Error(`exec: "${name}": executable file not found in $PATH`);
}

/**
 * Resolves module `mod` from `directory`. Throws the Go host's advice when the SDK is missing:
 * `pulumi install` for a program, `npm install in <dir>` for a plugin or policy pack.
 */
export function locateModule(mod: string, directory: string, isPlugin: boolean): string {
    try {
        // createRequire needs a file path; the file itself need not exist.
        return createRequire(join(directory, "__pulumi_language_host__.js")).resolve(mod);
    } catch (err) {
        if ((err as NodeJS.ErrnoException).code === "MODULE_NOT_FOUND") {
            const install = isPlugin ? `npm install in ${directory}` : "pulumi install";
            throw new Error(`It looks like the Pulumi SDK has not been installed. Have you run ${install}?`);
        }
        throw err;
    }
}

/** The version of the @pulumi/pulumi this host itself was loaded with (what GetPluginInfo reports). */
export function hostSdkVersion(): string {
    const pkg = createRequire(__filename)("@pulumi/pulumi/package.json") as { version: string };
    return pkg.version;
}
