import { LAYER_FIELDS } from "../../shared/config/registry";
import { closest } from "../../shared/config/spelling";
import { LAYERS, PROJECT_NAMES, type Layer } from "../../shared/layers";
import type { MappedConfig } from "./mapping";

/**
 * Step 3a, pure: each key of the monolith's config to the layer whose config schema has it
 * (shared/config/registry.ts), with its secret flag from that schema. The values stay in memory and
 * go to `pulumi config set` only; the mapping records keys, layers and reasons, never a value.
 */

export const MONOLITH_PROJECT = "proliferate-infra";

/** One value as `pulumi config --json --show-secrets` prints it. */
export interface SourceValue {
    value: string;
    secret: boolean;
}

/** One value to set in a layer stack. */
export interface Setting {
    key: string;
    value: string;
    secret: boolean;
}

export interface ConfigTranslation {
    config: MappedConfig[];
    settings: Record<Layer, Setting[]>;
}

/** Reads `pulumi config --json --show-secrets` output: key → value; objects become their JSON text. */
export function parseConfigJson(text: string): Record<string, SourceValue> {
    const doc = JSON.parse(text) as Record<string, { value?: unknown; objectValue?: unknown; secret?: boolean }>;
    const out: Record<string, SourceValue> = {};
    for (const [key, entry] of Object.entries(doc)) {
        const raw = entry.value ?? entry.objectValue;
        out[key] = {
            value: typeof raw === "string" ? raw : JSON.stringify(raw ?? null),
            secret: entry.secret === true,
        };
    }
    return out;
}

/** The layers whose schema reads `namespace:name`, with the field's secret flag. */
function readersOf(namespace: string, name: string): Array<{ layer: Layer; secret: boolean }> {
    return LAYERS.flatMap((layer) => {
        const field = LAYER_FIELDS[layer][name];
        if (!field) return [];
        const fieldNamespace = field.opts.namespace ?? MONOLITH_PROJECT;
        return fieldNamespace === namespace ? [{ layer, secret: field.secret }] : [];
    });
}

export function translateConfig(source: Readonly<Record<string, SourceValue>>): ConfigTranslation {
    const config: MappedConfig[] = [];
    const settings = Object.fromEntries(LAYERS.map((l) => [l, [] as Setting[]])) as Record<Layer, Setting[]>;
    const known = [...new Set(LAYERS.flatMap((l) => Object.keys(LAYER_FIELDS[l])))];
    for (const [from, { value, secret: wasSecret }] of Object.entries(source).sort(([a], [b]) => a.localeCompare(b))) {
        const colon = from.indexOf(":");
        const [namespace, name] = colon < 0 ? ["", from] : [from.slice(0, colon), from.slice(colon + 1)];
        const readers = namespace === "" ? [] : readersOf(namespace, name);
        if (readers.length === 0) {
            const near = namespace === MONOLITH_PROJECT ? closest(name, known) : undefined;
            const why =
                namespace === MONOLITH_PROJECT
                    ? `no layer's config schema has "${name}"${near ? ` (a layer has "${near}": if it is the same setting, set it by hand with pulumi config set)` : ""}; not copied`
                    : `no layer reads ${from} (each layer builds its own AWS provider from its own settings); not copied`;
            config.push({ from, layer: null, to: null, secret: wasSecret, why });
            continue;
        }
        for (const { layer, secret: fieldSecret } of readers) {
            // Never downgraded: a value the monolith kept encrypted stays encrypted.
            const secret = fieldSecret || wasSecret;
            const to = namespace === MONOLITH_PROJECT ? `${PROJECT_NAMES[layer]}:${name}` : from;
            const why =
                `the ${layer} config schema has ${to}` +
                (secret && !fieldSecret ? " (kept secret: it was a secret in the monolith)" : "") +
                (!wasSecret && fieldSecret ? " (set as a secret: the schema says so)" : "");
            config.push({ from, layer, to, secret, why });
            settings[layer].push({ key: to, value, secret });
        }
    }
    return { config, settings };
}
