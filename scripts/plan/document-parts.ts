import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { PlanOutput, PlanResource } from "./document";
import type { RecordedResource } from "./mock-engine";
import { keySettings, scrub } from "./render";

/**
 * The pieces of a PlanDocument built from recorded runs: resources with their settings and input
 * digests, outputs with their shapes, and the redaction pass over the whole document. Pure apart
 * from reading the replace-on-change table and asking git for the commit.
 */

/** Type token -> input paths whose change replaces the resource (shared/data/replace-on-change.json). */
export type ReplaceTable = Record<string, string[]>;

/** Reads the checked-in replace-on-change table under `root`. */
export function readReplaceTable(root: string): ReplaceTable {
    const raw = JSON.parse(readFileSync(join(root, "shared", "data", "replace-on-change.json"), "utf8")) as {
        types?: ReplaceTable;
    };
    if (!raw.types) throw new Error(`${join(root, "shared", "data", "replace-on-change.json")} has no "types" table`);
    return raw.types;
}

/** JSON with object keys sorted, so equal values always give equal text. */
export function canonicalJson(value: unknown): string {
    if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
    if (value !== null && typeof value === "object") {
        const entries = Object.entries(value as Record<string, unknown>)
            .filter(([, v]) => v !== undefined)
            .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
        return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(",")}}`;
    }
    return JSON.stringify(value) ?? "null";
}

const digest = (value: unknown): string => createHash("sha256").update(canonicalJson(value)).digest("hex").slice(0, 16);

/** Values at a dotted path; lists fan out (a nested field of a list of blocks). */
function valuesAt(v: unknown, path: readonly string[]): unknown {
    if (path.length === 0) return v;
    if (Array.isArray(v)) return v.map((x) => valuesAt(x, path));
    if (v === null || typeof v !== "object") return undefined;
    const [head, ...rest] = path;
    return valuesAt((v as Record<string, unknown>)[head as string], rest);
}

/** The digests of `r`'s inputs: each top-level one and each nested replace-on-change path, secrets left out. */
export function inputDigests(r: RecordedResource, table: ReplaceTable): Record<string, string> {
    const secret = new Set(r.secretInputs ?? []);
    const out: Record<string, string> = {};
    for (const [k, v] of Object.entries(r.inputs)) if (!secret.has(k) && v !== undefined) out[k] = digest(v);
    for (const path of table[r.type] ?? []) {
        const parts = path.split(".");
        if (parts.length > 1 && !secret.has(parts[0] ?? "")) out[path] = digest(valuesAt(r.inputs, parts));
    }
    return out;
}

/** The key of a recorded resource, as its children's `parent` names it. */
const keyOf = (r: { type: string; name: string }): string => `${r.type}::${r.name}`;

/** The recorded resources as the document lists them. */
export function planResources(resources: readonly RecordedResource[], table: ReplaceTable): PlanResource[] {
    return resources.map((r) => ({
        key: keyOf(r),
        type: r.type,
        name: r.name,
        ...(r.parent ? { parent: r.parent } : {}),
        custom: r.custom,
        settings: keySettings(r),
        inputDigests: inputDigests(r, table),
    }));
}

/** A value's JSON shape: `string`, `number`, `{a:string,b:number}`, `string[]`, unions as `a|b`. */
export function shapeOf(value: unknown): string {
    if (value === null || value === undefined) return "null";
    if (Array.isArray(value)) {
        const items = [...new Set(value.map(shapeOf))].sort();
        return items.length === 0 ? "unknown[]" : items.length === 1 ? `${items[0]}[]` : `(${items.join("|")})[]`;
    }
    if (typeof value === "object") {
        const fields = Object.entries(value as Record<string, unknown>)
            .filter(([, v]) => v !== undefined)
            .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
            .map(([k, v]) => `${k}:${shapeOf(v)}`);
        return `{${fields.join(",")}}`;
    }
    return typeof value;
}

/** The stack outputs as the document lists them; a secret output keeps its shape, never its value. */
export function planOutputs(outputs: Record<string, unknown>, secret: ReadonlySet<string>): PlanOutput[] {
    return Object.entries(outputs).map(([name, value]) =>
        secret.has(name)
            ? { name, secret: true, shape: shapeOf(value) }
            : { name, secret: false, value, shape: shapeOf(value) },
    );
}

/** `value` with every string scrubbed of `secrets` (keys too), as a new object. */
export function scrubDeep<T>(value: T, secrets: readonly string[]): T {
    const walk = (v: unknown): unknown => {
        if (typeof v === "string") return scrub(v, secrets);
        if (Array.isArray(v)) return v.map(walk);
        if (v !== null && typeof v === "object")
            return Object.fromEntries(Object.entries(v).map(([k, x]) => [scrub(k, secrets), walk(x)]));
        return v;
    };
    return walk(value) as T;
}

/** The commit planned: HEAD, `<HEAD>+working-tree` with uncommitted changes, or `unknown` outside git. */
export function workingCommit(root: string): string {
    const git = (...args: string[]) => spawnSync("git", args, { cwd: root, encoding: "utf8" });
    const head = git("rev-parse", "HEAD");
    if (head.status !== 0) return "unknown";
    const dirty = git("status", "--porcelain", "--untracked-files=no").stdout.trim() !== "";
    return `${head.stdout.trim()}${dirty ? "+working-tree" : ""}`;
}
