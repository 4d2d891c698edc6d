import { readFileSync } from "node:fs";
import { join } from "node:path";
import { deepEqual, isRecord, plain, type Props } from "./values";

/** The checked-in table of replace-on-change inputs (shared/data/replace-on-change.json). */
export interface ReplaceTable {
    provider: string;
    version: string;
    source: string;
    /** Type token -> input paths whose change replaces the resource (dots for nested fields). */
    types: Record<string, string[]>;
}

/**
 * Where the table lives. The JSON is not copied by tsc, so from dist/test/engine/sim this walks
 * back to the source folder; it is one file for the simulator, the unit tests and `make plan BASE=`
 * (which reads it to tell a replacement from an update).
 */
export function replaceTablePath(): string {
    const here = __dirname;
    const marker = `${join("dist", "test", "engine")}`;
    const root = here.includes(marker) ? here.slice(0, here.indexOf(marker)) : join(here, "..", "..", "..");
    return join(root, "shared", "data", "replace-on-change.json");
}

let cached: ReplaceTable | undefined;

/** Loads (once) and validates the replace-on-change table. */
export function loadReplaceTable(path: string = replaceTablePath()): ReplaceTable {
    if (cached && path === replaceTablePath()) return cached;
    const raw: unknown = JSON.parse(readFileSync(path, "utf8"));
    if (!isRecord(raw) || !isRecord(raw["types"]) || typeof raw["version"] !== "string") {
        throw new Error(
            `[simulated AWS] ${path} is not a replace-on-change table (needs provider, version, source, types)`,
        );
    }
    const types: Record<string, string[]> = {};
    for (const [token, paths] of Object.entries(raw["types"])) {
        if (!Array.isArray(paths) || !paths.every((p) => typeof p === "string")) {
            throw new Error(`[simulated AWS] ${path}: types["${token}"] must be a list of input names`);
        }
        types[token] = paths;
    }
    const table: ReplaceTable = {
        provider: String(raw["provider"]),
        version: raw["version"],
        source: String(raw["source"]),
        types,
    };
    if (path === replaceTablePath()) cached = table;
    return table;
}

/** The replace-on-change paths of a type, or undefined when the type is not in the table. */
export function replacePathsOf(table: ReplaceTable, type: string): readonly string[] | undefined {
    return table.types[type];
}

/** Values at a dotted path; lists fan out (a nested field of a list of blocks). */
function valuesAt(v: unknown, path: readonly string[]): unknown {
    if (path.length === 0) return v;
    const value = plain(v);
    if (Array.isArray(value)) return value.map((x) => valuesAt(x, path));
    if (!isRecord(value)) return undefined;
    const [head, ...rest] = path;
    return valuesAt(value[head as string], rest);
}

/** The replace-on-change paths whose value differs between old and new inputs. */
export function replacingPaths(paths: readonly string[], oldInputs: Props, newInputs: Props): string[] {
    return paths.filter((p) => {
        const parts = p.split(".");
        return !deepEqual(valuesAt(oldInputs, parts), valuesAt(newInputs, parts));
    });
}
