import type { EnvironmentSettings } from "./environment";
import type { Layer } from "./layers";

/** Tag keys the project sets itself; config may not override them. */
export const RESERVED_TAG_KEYS = ["app", "environment", "environment-class", "layer", "managed-by"] as const;

/** Tag on a public load balancer: the host name it serves (the policy pack checks the certificate covers it). */
export const DOMAIN_TAG = "proliferate:domain";
/** Tag on an HTTPS listener: its certificate's names, space-separated, when configured (certificateDomains). */
export const CERTIFICATE_DOMAINS_TAG = "proliferate:certificate-domains";

/** AWS tag rules: at most 50 tags, keys ≤128 and values ≤256 characters, no `aws:` prefix. */
export function checkUserTags(tags: Record<string, string>): string[] {
    const problems: string[] = [];
    const entries = Object.entries(tags);
    if (entries.length > 50 - RESERVED_TAG_KEYS.length) {
        problems.push(
            `has ${entries.length} tags; AWS allows 50 per resource and the project uses ${RESERVED_TAG_KEYS.length}`,
        );
    }
    for (const [key, value] of entries) {
        if ((RESERVED_TAG_KEYS as readonly string[]).includes(key)) {
            problems.push(`sets "${key}", which the project sets itself`);
        } else if (key.toLowerCase().startsWith("aws:")) {
            problems.push(`sets "${key}"; the aws: prefix is reserved by AWS`);
        } else if (key.length === 0 || key.length > 128) {
            problems.push(`has a key of ${key.length} characters; AWS allows 1-128`);
        }
        if (typeof value !== "string" || value.length > 256) {
            problems.push(`has a value for "${key}" that is not a string of at most 256 characters`);
        }
    }
    return problems;
}

/** The tag set one layer puts on every resource through its provider's defaultTags. */
export function layerTags(env: EnvironmentSettings, layer: Layer): Record<string, string> {
    return {
        ...env.tags,
        app: env.app,
        environment: env.name,
        "environment-class": env.class,
        layer,
        "managed-by": "pulumi",
    };
}
