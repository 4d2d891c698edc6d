import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { parseDocument, YAMLError } from "yaml";
import type { ConfigSource, RawValue } from "../../shared/config/source";
import type { Layer } from "../../shared/layers";

/** Path of a layer's stack config file. */
export function stackFile(root: string, layer: Layer, stack: string): string {
    return join(root, "stacks", layer, `Pulumi.${stack}.yaml`);
}

/** A stack file that is not valid YAML: where, and what the parser expected (never the line's text). */
export interface YamlProblem {
    /** The file, relative to the repository root. */
    file: string;
    line: number;
    column: number;
    /** What is wrong, without the offending value (it may be a secret). */
    problem: string;
    /** How to repair it, in the editor. */
    fix: string;
}

/**
 * The parser's own message quotes the offending line; only its code is kept, worded here so a
 * secret on a broken line never reaches the terminal or a CI log.
 */
const YAML_CODES: Record<string, [problem: string, fix: string]> = {
    BAD_INDENT: ["a key is indented differently from its siblings", "indent each key under config: by two spaces"],
    MISSING_CHAR: ["a quote or bracket is not closed", "close the quote or bracket"],
    MULTILINE_IMPLICIT_KEY: [
        "a key runs over more than one line, or a value holds ': '",
        "put the value in double quotes, and indent each key under config: by two spaces",
    ],
    BLOCK_AS_IMPLICIT_KEY: [
        "a key runs over more than one line, or a value holds ': '",
        "put the value in double quotes, and indent each key under config: by two spaces",
    ],
    DUPLICATE_KEY: ["a key is set twice", "remove one of the two entries"],
    TAB_AS_INDENT: ["a tab is used for indentation; YAML allows only spaces", "indent with spaces"],
    UNEXPECTED_TOKEN: ["there is a character YAML does not expect here", "put the value in double quotes"],
    BAD_SCALAR_START: ["a value starts with a character YAML reserves (@, `, %)", "put the value in double quotes"],
};

/** Config of one stack, read from its `Pulumi.<stack>.yaml`. */
export class StackFileConfigSource implements ConfigSource {
    constructor(
        readonly stack: string,
        private readonly config: Record<string, unknown>,
        /** ESC environments the file imports (their values are not visible here). */
        readonly escEnvironments: string[] = [],
    ) {}

    /** Reads `stacks/<layer>/Pulumi.<stack>.yaml`; undefined when the file does not exist. Throws on broken YAML. */
    static read(root: string, layer: Layer, stack: string): StackFileConfigSource | undefined {
        const r = StackFileConfigSource.load(root, layer, stack);
        if (r && "yaml" in r) throw new Error(`${r.yaml.file}:${r.yaml.line}:${r.yaml.column}: ${r.yaml.problem}`);
        return r?.source;
    }

    /** Reads the file; a YAML error comes back as data, with file, line and column. */
    static load(
        root: string,
        layer: Layer,
        stack: string,
    ): { source: StackFileConfigSource } | { yaml: YamlProblem } | undefined {
        const file = stackFile(root, layer, stack);
        if (!existsSync(file)) return undefined;
        const text = readFileSync(file, "utf8");
        const doc = parseDocument(text, { uniqueKeys: true, prettyErrors: true });
        const err: YAMLError | undefined = doc.errors[0];
        const name = `stacks/${layer}/Pulumi.${stack}.yaml`;
        if (err) {
            let [line, column] = err.linePos?.[0] ? [err.linePos[0].line, err.linePos[0].col] : [1, 1];
            // The parser reports an unclosed quote where the file ends; the line that opened it is the one to edit.
            const opened = err.code === "MISSING_CHAR" ? unclosedQuote(text) : undefined;
            if (opened) [line, column] = opened;
            const [problem, fix] = YAML_CODES[err.code] ?? [
                `the parser stopped (${err.code.toLowerCase().replace(/_/g, " ")})`,
                `compare the line with stacks/${layer}/Pulumi.dev.example.yaml`,
            ];
            return { yaml: { file: name, line, column, problem, fix } };
        }
        const body = (doc.toJS() ?? {}) as { config?: unknown; environment?: unknown };
        const config = body.config && typeof body.config === "object" ? (body.config as Record<string, unknown>) : {};
        const env = body.environment;
        const imports = Array.isArray(env)
            ? env.map(String)
            : env && typeof env === "object" && Array.isArray((env as { imports?: unknown }).imports)
              ? (env as { imports: unknown[] }).imports.map(String)
              : [];
        return { source: new StackFileConfigSource(stack, config, imports) };
    }

    /** Every fully qualified key the file sets, in file order. */
    keys(): string[] {
        return Object.keys(this.config);
    }

    /** The value as written (a string, number, boolean, structure or `{secure}`), for checks beyond the schema. */
    rawEntry(key: string): unknown {
        return this.config[key];
    }

    get(namespace: string, key: string): RawValue | undefined {
        const v = this.config[`${namespace}:${key}`];
        if (v === undefined || v === null) {
            return undefined;
        }
        if (typeof v === "object" && !Array.isArray(v) && "secure" in v) {
            return { encrypted: true };
        }
        // `pulumi config set` writes strings; hand-written YAML may hold numbers, booleans or structured values.
        if (typeof v === "string") return { value: v };
        if (typeof v === "number" || typeof v === "boolean") return { value: String(v) };
        return { value: JSON.stringify(v) };
    }
}

/** Line and column (1-based) of the first value that opens a quote and does not close it on its line. */
function unclosedQuote(text: string): [number, number] | undefined {
    const lines = text.split("\n");
    for (let i = 0; i < lines.length; i++) {
        const m = /^(\s*[^#\s]\S*:\s+)(["'])(.*)$/.exec(lines[i] ?? "");
        if (!m) continue;
        const [, before = "", quote = "", rest = ""] = m;
        const closed = quote === '"' ? /(^|[^\\])(\\\\)*"/.test(rest) : rest.includes("'");
        if (!closed) return [i + 1, before.length + 1];
    }
    return undefined;
}
