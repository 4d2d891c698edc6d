import { readFileSync } from "node:fs";
import { join } from "node:path";
import { LAYERS, type Layer } from "../../shared/layers";

/**
 * The classification rules as data (scripts/migrate/layer-rules.json): a type → layer table, with
 * roles for types that can belong to more than one layer. Loaded and checked here, read by classify.ts.
 */

/** How one type is placed. */
export type TypeRule =
    | { layer: Layer; stateful: boolean; remote?: boolean }
    | { by: "assumedBy"; principals: Record<string, Layer>; stateful: boolean }
    | { by: "references"; input: string; stateful: boolean }
    | { by: "referencedBy"; stateful: boolean };

export interface LayerRules {
    types: Record<string, TypeRule>;
    /** Words naming a resource's role, longest (hyphenated) first when matched. */
    roleWords: string[];
    roleSynonyms: Record<string, string>;
    /** Inputs that hold a resource's physical (AWS) name. */
    physicalNames: string[];
}

export function rulesPath(root: string): string {
    return join(root, "scripts", "migrate", "layer-rules.json");
}

const isLayer = (v: unknown): v is Layer => (LAYERS as readonly unknown[]).includes(v);

/** Reads and checks the rules; a broken table is a bug in this repository, so it throws plainly. */
export function loadRules(root: string): LayerRules {
    const file = rulesPath(root);
    const raw = JSON.parse(readFileSync(file, "utf8")) as Record<string, unknown>;
    const types = raw["types"] as Record<string, Record<string, unknown>>;
    for (const [type, rule] of Object.entries(types)) {
        const ok =
            typeof rule["stateful"] === "boolean" &&
            (isLayer(rule["layer"]) ||
                (rule["by"] === "assumedBy" && Object.values(rule["principals"] ?? {}).every(isLayer)) ||
                (rule["by"] === "references" && typeof rule["input"] === "string") ||
                rule["by"] === "referencedBy");
        if (!ok) throw new Error(`${file}: the rule of ${type} is malformed`);
    }
    return {
        types: types as unknown as Record<string, TypeRule>,
        roleWords: raw["roleWords"] as string[],
        roleSynonyms: raw["roleSynonyms"] as Record<string, string>,
        physicalNames: raw["physicalNames"] as string[],
    };
}

/** True for data stores and network resources (false for types without a rule). */
export function isStateful(rules: LayerRules, type: string): boolean {
    return rules.types[type]?.stateful === true;
}

/** The role words in a logical name, e.g. `gateway-alb-sg` → `alb gateway`; synonyms are normalised. */
export function roleOf(rules: LayerRules, name: string): string {
    const tokens = name
        .toLowerCase()
        .split(/[^a-z0-9]+/)
        .filter(Boolean);
    const found = new Set<string>();
    for (let i = 0; i < tokens.length; i++) {
        const pair = `${tokens[i]}-${tokens[i + 1] ?? ""}`;
        if (rules.roleWords.includes(pair)) {
            found.add(pair);
            i++;
            continue;
        }
        const t = tokens[i] ?? "";
        const word = rules.roleWords.includes(t) ? t : rules.roleSynonyms[t];
        if (word) found.add(word);
    }
    return [...found].sort().join(" ");
}
