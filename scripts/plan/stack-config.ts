import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parse, stringify } from "yaml";
import { LAYER_FIELDS } from "../../shared/config/registry";
import { LAYERS, type Layer } from "../../shared/layers";
import { preflight, stackFile, type PreflightResult } from "../preflight";

/**
 * The config `make plan` runs each layer with: the stack's own files, or the checked-in dev
 * examples when the stack has none. Encrypted values are never decrypted: each becomes a
 * visibly fake placeholder, so nothing a plan prints or computes can carry a real secret.
 */

/** Config of one layer as the mock engine takes it. */
export interface LayerConfig {
    config: Record<string, string>;
    secretKeys: string[];
}

/** Where the config came from and what pre-flight said about it. */
export interface PlanConfig {
    /** "stack" when every layer's Pulumi.<stack>.yaml exists, "example" for the checked-in examples (see exampleName). */
    source: "stack" | "example";
    /** Files read, relative to the root. */
    files: string[];
    layers: Record<Layer, LayerConfig>;
    preflight: PreflightResult;
    /** Secret keys the example leaves unset that the plan filled with placeholders. */
    filled: string[];
}

/** The placeholder of an encrypted value: long enough for every secret's length check, and plainly not real. */
export function fakeSecret(key: string): string {
    const name = key.split(":").pop() ?? key;
    const fake = `plan-fake-${name}-0000000000000000000000000000`;
    // Two secrets are checked for their shape: the LiteLLM master key (`sk-...`) and a PEM key.
    if (name === "llmProxyMasterKey") return `sk-${fake}`;
    if (name === "githubAppPrivateKey")
        return `-----BEGIN RSA PRIVATE KEY-----\n${fake}\n-----END RSA PRIVATE KEY-----`;
    return fake;
}

type RawConfig = Record<string, unknown>;

function readDoc(file: string): RawConfig {
    const doc = (parse(readFileSync(file, "utf8")) ?? {}) as { config?: RawConfig };
    return doc.config ?? {};
}

function toLayerConfig(raw: RawConfig): LayerConfig {
    const config: Record<string, string> = {};
    const secretKeys: string[] = [];
    for (const [key, v] of Object.entries(raw)) {
        if (v === undefined || v === null) continue;
        if (typeof v === "object" && !Array.isArray(v) && "secure" in v) {
            config[key] = fakeSecret(key);
            secretKeys.push(key);
        } else {
            // As pre-flight reads them: strings as written, anything else (numbers, lists, maps) as JSON.
            config[key] = typeof v === "string" ? v : JSON.stringify(v);
        }
    }
    return { config, secretKeys };
}

/** Whether every layer has a `Pulumi.<stack>.yaml`; none is "no files", some is a pre-flight error. */
function filesOf(root: string, stack: string): Layer[] {
    return LAYERS.filter((l) => existsSync(stackFile(root, l, stack)));
}

/** The examples a stack without files is planned from: `Pulumi.<stack>.example.yaml` when every layer has one, else dev's. */
export function exampleName(root: string, stack: string): string {
    return LAYERS.every((l) => existsSync(join(root, "stacks", l, `Pulumi.${stack}.example.yaml`))) ? stack : "dev";
}

/**
 * The examples, with every secret pre-flight reports as missing filled by an encrypted-looking
 * placeholder (the examples hold no secrets by design), checked by pre-flight in a temporary copy.
 */
function exampleConfig(
    root: string,
    stack: string,
): { raw: Record<Layer, RawConfig>; result: PreflightResult; filled: string[] } {
    const raw = Object.fromEntries(
        LAYERS.map((l) => [l, readDoc(join(root, "stacks", l, `Pulumi.${exampleName(root, stack)}.example.yaml`))]),
    ) as Record<Layer, RawConfig>;
    const dir = mkdtempSync(join(tmpdir(), "plan-example-"));
    const filled: string[] = [];
    try {
        const check = (): PreflightResult => {
            for (const l of LAYERS) {
                mkdirSync(join(dir, "stacks", l), { recursive: true });
                writeFileSync(stackFile(dir, l, stack), stringify({ config: raw[l] }));
            }
            return preflight(dir, stack);
        };
        let result = check();
        // Two rounds: the services layer is checked only once the secrets layer is valid.
        for (let round = 0; round < 2 && !result.ok; round++) {
            for (const layer of result.layers) {
                for (const issue of layer.issues) {
                    const name = issue.key.split(":").pop() ?? "";
                    const field = LAYER_FIELDS[layer.layer][name];
                    if (field?.secret && raw[layer.layer][issue.key] === undefined) {
                        raw[layer.layer][issue.key] = { secure: "plan-placeholder" };
                        filled.push(issue.key);
                    }
                }
            }
            result = check();
        }
        return { raw, result, filled };
    } finally {
        rmSync(dir, { recursive: true, force: true });
    }
}

/**
 * Reads the config of `stack` under `root` (or the examples, always with `examplesOnly`: the generated
 * docs must not depend on a developer's own stack files) and runs pre-flight over it.
 */
export function readPlanConfig(root: string, stack: string, examplesOnly = false): PlanConfig {
    const present = examplesOnly ? [] : filesOf(root, stack);
    if (present.length === 0) {
        const { raw, result, filled } = exampleConfig(root, stack);
        const layers = Object.fromEntries(LAYERS.map((l) => [l, toLayerConfig(raw[l])])) as Record<Layer, LayerConfig>;
        return {
            source: "example",
            files: LAYERS.map((l) => `stacks/${l}/Pulumi.${exampleName(root, stack)}.example.yaml`),
            layers,
            preflight: result,
            filled,
        };
    }
    const result = preflight(root, stack);
    const layers = Object.fromEntries(
        LAYERS.map((l) => [l, toLayerConfig(present.includes(l) ? readDoc(stackFile(root, l, stack)) : {})]),
    ) as Record<Layer, LayerConfig>;
    return {
        source: "stack",
        files: present.map((l) => `stacks/${l}/Pulumi.${stack}.yaml`),
        layers,
        preflight: result,
        filled: [],
    };
}
