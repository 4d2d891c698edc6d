import { isRegionName } from "../sim/regions";
import { isRecord, plain, UNKNOWN, type Props } from "../sim/values";

/**
 * The configuration of one provider instance (the engine starts one provider process per
 * provider resource, default or explicit), as the engine passes it to Configure.
 */
export interface ProviderConfig {
    region: string;
    /** Tags every taggable resource gets (`defaultTags.tags`), below its own tags. */
    defaultTags: Record<string, string>;
}

let current: ProviderConfig | undefined;

/** The configuration of this process's provider; fails like the real provider when unconfigured. */
export function providerConfig(): ProviderConfig {
    if (!current) throw new Error("[simulated AWS] the provider was used before Configure");
    return current;
}

/** Records the configuration Configure received. */
export function setProviderConfig(config: ProviderConfig): void {
    current = config;
}

/** Engine config values are JSON text for non-strings (`aws:defaultTags`); strings come as is. */
function decode(v: unknown): unknown {
    if (typeof v !== "string") return v;
    try {
        return JSON.parse(v) as unknown;
    } catch {
        return v;
    }
}

/**
 * Reads region and default tags from Configure's `args` (provider inputs) or, from older
 * engines, its `variables` map keyed `aws:config:<key>`; falls back to AWS_REGION like the SDK.
 */
export function parseProviderConfig(
    args: Props,
    variables: Record<string, string>,
): { config?: ProviderConfig; problem?: string } {
    const fromVars = (k: string): unknown => decode(variables[`aws:config:${k}`] ?? variables[`aws:${k}`]);
    const regionValue =
        plain(args["region"] ?? fromVars("region")) ?? process.env["AWS_REGION"] ?? process.env["AWS_DEFAULT_REGION"];
    if (regionValue === UNKNOWN) return { config: { region: "us-east-1", defaultTags: {} } };
    if (typeof regionValue !== "string" || regionValue === "") {
        return {
            problem:
                "missing required configuration key aws:region; set it with `pulumi config set aws:region <region>` (or AWS_REGION)",
        };
    }
    if (!isRegionName(regionValue)) return { problem: `invalid AWS Region: ${regionValue}` };
    const tagsBlock = decode(plain(args["defaultTags"] ?? fromVars("defaultTags")));
    const tags = isRecord(tagsBlock) ? decode(tagsBlock["tags"]) : undefined;
    const defaultTags = isRecord(tags)
        ? Object.fromEntries(Object.entries(tags).filter((e): e is [string, string] => typeof e[1] === "string"))
        : {};
    return { config: { region: regionValue, defaultTags } };
}
