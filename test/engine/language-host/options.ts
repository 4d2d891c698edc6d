// The `runtime.options` of Pulumi.yaml / PulumiPolicy.yaml / PulumiPlugin.yaml, as the engine forwards
// them in ProgramInfo.options, read with the Go host's defaults and error messages.

/** Runtime options of a Node.js program. */
export interface NodeOptions {
    /** Register ts-node in cmd/run (PULUMI_NODEJS_TYPESCRIPT=true). Default: true, as in the Go host. */
    typescript: boolean;
    /** tsconfig for ts-node (PULUMI_NODEJS_TSCONFIG_PATH). Default: none. */
    tsconfigPath: string | undefined;
    /** `nodeargs`, split like a shell would: extra arguments for `node`. Default: none. */
    nodeArgs: string[];
    /** `packagemanager`; read for validation only, this host installs nothing. Default: `auto`. */
    packageManager: string;
}

const PACKAGE_MANAGERS = ["auto", "npm", "yarn", "pnpm", "bun"];

/** Reads runtime options; throws with the Go host's message when one has the wrong type. */
export function parseNodeOptions(options: Readonly<Record<string, unknown>>): NodeOptions {
    const result: NodeOptions = { typescript: true, tsconfigPath: undefined, nodeArgs: [], packageManager: "auto" };
    const { typescript, tsconfig, nodeargs, packagemanager } = options;
    if (typescript !== undefined) {
        if (typeof typescript !== "boolean") throw new Error("typescript option must be a boolean");
        result.typescript = typescript;
    }
    if (tsconfig !== undefined) {
        if (typeof tsconfig !== "string") throw new Error("tsconfigpath option must be a string");
        result.tsconfigPath = tsconfig;
    }
    if (nodeargs !== undefined) {
        if (typeof nodeargs !== "string") throw new Error("nodeargs option must be a string");
        result.nodeArgs = splitShellWords(nodeargs);
    }
    if (packagemanager !== undefined) {
        if (typeof packagemanager !== "string") throw new Error("packagemanager option must be a string");
        if (!PACKAGE_MANAGERS.includes(packagemanager)) {
            throw new Error(
                `packagemanager option must be one of auto, npm, yarn, pnpm or bun, got "${packagemanager}"`,
            );
        }
        result.packageManager = packagemanager;
    }
    return result;
}

/**
 * Splits a command line into words the way github.com/google/shlex does (the Go host's splitter):
 * blanks separate words, single quotes keep everything literally, double quotes allow backslash
 * escapes, a backslash outside quotes escapes the next character, `#` at a word start begins a comment.
 */
export function splitShellWords(line: string): string[] {
    const words: string[] = [];
    let word = "";
    let inWord = false;
    let quote: "'" | '"' | undefined;
    for (let i = 0; i < line.length; i++) {
        const c = line.charAt(i);
        if (quote === "'") {
            if (c === "'") quote = undefined;
            else word += c;
        } else if (quote === '"') {
            if (c === '"') quote = undefined;
            else if (c === "\\" && i + 1 < line.length) word += line.charAt(++i);
            else word += c;
        } else if (/\s/.test(c)) {
            if (inWord) words.push(word);
            word = "";
            inWord = false;
        } else if (c === "#" && !inWord) {
            break;
        } else {
            inWord = true;
            if (c === "'" || c === '"') quote = c;
            else if (c === "\\" && i + 1 < line.length) word += line.charAt(++i);
            else word += c;
        }
    }
    if (quote) throw new Error(`nodeargs: unterminated ${quote} quote in ${JSON.stringify(line)}`);
    if (inWord) words.push(word);
    return words;
}
