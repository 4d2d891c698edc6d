// The environment a program or plugin process gets: what @pulumi/pulumi's runtime reads from the
// environment rather than from its command line (config, secret keys, TypeScript switches).

import type { NodeOptions } from "./options";

/**
 * PULUMI_CONFIG as the Go host writes it: a JSON object whose keys are rewritten from
 * `<namespace>:<name>` to the legacy `<namespace>:config:<name>` (the SDK reads both forms).
 * Throws, like config.ParseKey, for a key of any other shape.
 */
export function configJson(config: ReadonlyMap<string, string>): string {
    const out: Record<string, string> = {};
    for (const [key, value] of config) {
        const { namespace, name } = parseConfigKey(key);
        out[`${namespace}:config:${name}`] = value;
    }
    return JSON.stringify(out);
}

/** Splits `<namespace>:<name>` (or the legacy `<namespace>:config:<name>`) like the Go SDK's config.ParseKey. */
export function parseConfigKey(key: string): { namespace: string; name: string } {
    const parts = key.split(":");
    if (parts.length === 2 && parts[0] !== undefined && parts[1] !== undefined) {
        return { namespace: parts[0], name: parts[1] };
    }
    if (parts.length === 3 && parts[1] === "config" && parts[0] && parts[2]) {
        return { namespace: parts[0], name: parts[2] };
    }
    throw new Error(
        `could not parse ${key} as a configuration key (configuration keys should be of the form \`<namespace>:<name>\`)`,
    );
}

/** Environment for cmd/run: the host's own plus config, secret keys and the TypeScript switches. */
export function runEnvironment(
    base: NodeJS.ProcessEnv,
    config: ReadonlyMap<string, string>,
    secretKeys: readonly string[],
    options: NodeOptions,
): NodeJS.ProcessEnv {
    return {
        ...base,
        PULUMI_CONFIG: configJson(config),
        // Keys stay in `<namespace>:<name>` form here; the SDK matches them against PULUMI_CONFIG's keys.
        PULUMI_CONFIG_SECRET_KEYS: JSON.stringify(secretKeys),
        ...typeScriptEnvironment(options),
    };
}

/** PULUMI_NODEJS_TYPESCRIPT / PULUMI_NODEJS_TSCONFIG_PATH, set only when the options ask for them. */
export function typeScriptEnvironment(options: NodeOptions): Record<string, string> {
    const env: Record<string, string> = {};
    if (options.typescript) env["PULUMI_NODEJS_TYPESCRIPT"] = "true";
    if (options.tsconfigPath) env["PULUMI_NODEJS_TSCONFIG_PATH"] = options.tsconfigPath;
    return env;
}

/** Turns the engine's `KEY=value` list (RunPluginRequest.env) into an environment object; later entries win. */
export function environmentFromList(list: readonly string[]): NodeJS.ProcessEnv {
    const env: NodeJS.ProcessEnv = {};
    for (const entry of list) {
        const eq = entry.indexOf("=");
        if (eq > 0) env[entry.slice(0, eq)] = entry.slice(eq + 1);
    }
    return env;
}
