import { PROJECT_NAMES, type Layer } from "../../shared/layers";
import type { RunOptions, UpstreamState } from "./mocks";

/**
 * Valid configurations for a development-like and a production-like environment. Secret values
 * here are test-only random strings, never real credentials.
 */
export type Profile = "dev" | "prod";

const F = PROJECT_NAMES.foundation;
const D = PROJECT_NAMES.data;

/** In `extra`, the value `<unset>` removes a key the fixture would otherwise set. */
export const UNSET = "<unset>";

function dropUnset(config: Record<string, string>): Record<string, string> {
    return Object.fromEntries(Object.entries(config).filter(([, v]) => v !== UNSET));
}

/** The stack name every fixture uses. */
export const STACK = "dev";

/** The full name a consumer's StackReference uses for an upstream layer by default. */
export function upstreamName(layer: Layer, stack = STACK): string {
    return `organization/${PROJECT_NAMES[layer]}/${stack}`;
}

export function foundationOptions(profile: Profile, extra: Record<string, string> = {}): RunOptions {
    return {
        project: F,
        stack: STACK,
        config: dropUnset({
            "aws:region": "us-east-1",
            [`${F}:environmentClass`]: profile === "prod" ? "production" : "development",
            ...(profile === "prod" ? { [`${F}:availabilityZoneCount`]: "3", [`${F}:dbAllowedCidrs`]: '["10.100.0.0/16"]' } : {}),
            ...extra,
        }),
    };
}

export const REDIS_TOKEN = "test-redis-token-6f1c9a2b7d3e4f50";
export const DB_PASSWORD = "test-db-pass-8c2d1e9f";

export function dataOptions(profile: Profile, foundation: UpstreamState, extra: Record<string, string> = {}): RunOptions {
    const config = dropUnset({
        [`${D}:redisAuthToken`]: REDIS_TOKEN,
        [`${D}:dbPassword`]: DB_PASSWORD,
        ...(profile === "prod" ? { [`${D}:redisReplicaCount`]: "2" } : {}),
        ...extra,
    });
    return {
        project: D,
        stack: STACK,
        config,
        secretKeys: [`${D}:redisAuthToken`, `${D}:dbPassword`, `${D}:databaseUrlOverride`],
        upstreams: { [upstreamName("foundation")]: foundation },
    };
}
