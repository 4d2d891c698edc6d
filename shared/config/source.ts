import * as pulumi from "@pulumi/pulumi";

/**
 * Where config values come from. The same schemas run inside a Pulumi program (values from the
 * engine) and in the pre-flight check (values read from `Pulumi.<stack>.yaml`, where a `secure:`
 * value is known to be present but cannot be read).
 */

/** One raw config value as a source provides it. */
export type RawValue = { value: string } | { encrypted: true };

/** Where config values come from: the running Pulumi program, or a stack file in pre-flight. */
export interface ConfigSource {
    /** The stack the values belong to; shown in error headers. */
    readonly stack: string;
    /** The raw value of `<namespace>:<key>`, or undefined when it is not set. */
    get(namespace: string, key: string): RawValue | undefined;
}

/** Reads config from the Pulumi engine (inside `pulumi up` / `preview`, or mocks in tests). */
export class PulumiConfigSource implements ConfigSource {
    readonly stack = pulumi.getStack();

    get(namespace: string, key: string): RawValue | undefined {
        const value = new pulumi.Config(namespace).get(key);
        return value === undefined ? undefined : { value };
    }
}

/** A plain map of `<namespace>:<key>` → value, for tools (and tests) that hold config in memory. */
export class MapConfigSource implements ConfigSource {
    constructor(
        private readonly values: Record<string, string | { encrypted: true }>,
        readonly stack: string,
    ) {}

    get(namespace: string, key: string): RawValue | undefined {
        const v = this.values[`${namespace}:${key}`];
        if (v === undefined) {
            return undefined;
        }
        return typeof v === "string" ? { value: v } : v;
    }
}
