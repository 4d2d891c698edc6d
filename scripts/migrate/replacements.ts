import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { isReference } from "./targets";

/**
 * Which inputs force a replacement (the checked-in replace-on-change table), and which of them differ
 * between a monolith resource and the target it was matched to: a move with such a difference would
 * make the layer's next `up` replace the resource.
 */

export type ReplaceTable = Record<string, string[]>;

/**
 * The table moves to shared/data/ (where product code reads data from); until then it lives beside
 * the simulated AWS, which reads the same file, so both always agree.
 */
export function loadReplaceTable(root: string): { types: ReplaceTable; file: string } {
    const candidates = [
        join(root, "shared", "data", "replace-on-change.json"),
        join(root, "test", "engine", "replace-on-change.json"),
    ];
    const file = candidates.find((f) => existsSync(f));
    if (!file) throw new Error(`no replace-on-change table at ${candidates.join(" or ")}`);
    const raw = JSON.parse(readFileSync(file, "utf8")) as { types?: ReplaceTable };
    if (!raw.types) throw new Error(`${file} has no "types"`);
    return { types: raw.types, file };
}

// How a Pulumi state export marks a secret value ({ [SIG]: SECRET_SIG, ciphertext }).
const SIG = "4dabf18193072939515e22adb298388d";

function at(value: unknown, path: readonly string[]): unknown {
    if (path.length === 0) return value;
    if (Array.isArray(value)) return value.map((v) => at(v, path));
    if (typeof value !== "object" || value === null) return undefined;
    const [head, ...rest] = path;
    return at((value as Record<string, unknown>)[head as string], rest);
}

const canonical = (v: unknown): string =>
    JSON.stringify(v, (_k, x: unknown) =>
        typeof x === "object" && x !== null && !Array.isArray(x)
            ? Object.fromEntries(Object.entries(x).sort(([a], [b]) => a.localeCompare(b)))
            : x,
    ) ?? "undefined";

/** One replace-on-change input that differs. */
export interface Difference {
    field: string;
    /** Display values; never a secret (secret values are not compared). */
    monolith: string;
    target: string;
}

const show = (v: unknown): string => (v === undefined ? "(unset)" : JSON.stringify(v));

/**
 * The replace-on-change inputs of `type` that differ. Skipped, because they cannot be known offline
 * or are kept by the provider: values that are references to other resources in the offline run,
 * secrets, and names the provider generated (`__defaults`) where the target sets none either.
 */
export function replacingDifferences(
    table: ReplaceTable,
    type: string,
    monolith: Record<string, unknown>,
    target: Record<string, unknown>,
    madeUp: ReadonlySet<string>,
): Difference[] {
    const defaults = Array.isArray(monolith["__defaults"]) ? (monolith["__defaults"] as unknown[]) : [];
    const out: Difference[] = [];
    for (const field of table[type] ?? []) {
        const path = field.split(".");
        const before = at(monolith, path);
        const after = at(target, path);
        if (isReference(after, madeUp)) continue;
        if (canonical(before).includes(SIG) || canonical(after).includes(SIG)) continue;
        if (after === undefined && defaults.includes(field)) continue;
        // A name generated from the prefix the target also sets is the name the target would get.
        const prefix = target[`${field}Prefix`];
        if (
            after === undefined &&
            typeof prefix === "string" &&
            typeof before === "string" &&
            before.startsWith(prefix)
        )
            continue;
        if (canonical(before) !== canonical(after)) out.push({ field, monolith: show(before), target: show(after) });
    }
    return out;
}
