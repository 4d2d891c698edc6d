/**
 * Environment-wide settings. They are set once, in the foundation layer's config, exported by
 * the foundation stack, and read by every downstream layer, so the layers of one environment can
 * never disagree about region, names or tags.
 */

/** `production` is production-like: protection, deletion protection, final snapshots, multi-AZ. */
export const ENVIRONMENT_CLASSES = ["development", "production"] as const;
/** Whether an environment holds data that must survive mistakes. */
export type EnvironmentClass = (typeof ENVIRONMENT_CLASSES)[number];

/** What the foundation layer exports as `environment` and every layer builds its provider from. */
export interface EnvironmentSettings {
    /** Application name, first part of every physical name. */
    app: string;
    /** Environment name, second part of every physical name (defaults to the stack name). */
    name: string;
    /** Environment class; `production` turns on every protection. */
    class: EnvironmentClass;
    /** AWS region every layer deploys to. */
    region: string;
    /** Extra tags from config, added to every resource through the provider's defaultTags. */
    tags: Record<string, string>;
}

/** True for environments whose stateful resources are protected. */
export function isProductionLike(cls: EnvironmentClass): boolean {
    return cls === "production";
}

/**
 * The config defaults an environment class implies; each can be overridden by the key named in the
 * layer's config. Protection, deletion protection and final snapshots are not defaults: the
 * components set them from `isProductionLike` and no key turns them off.
 */
export interface ClassDefaults {
    /** Multi-AZ RDS and a replicated Redis. */
    multiAz: boolean;
    /** One NAT gateway per AZ instead of one for the VPC. */
    natPerAz: boolean;
    /** VPC flow logs on. */
    flowLogs: boolean;
    /**
     * Secrets Manager recovery window (days) when a secret is deleted; 0 deletes at once. A deleted
     * secret's name stays reserved for its window, so a development environment that is destroyed
     * and deployed again needs 0; production keeps deleted secrets restorable.
     */
    secretRecoveryDays: number;
    /** Days of automatic Redis snapshots. */
    cacheSnapshotDays: number;
    /** CloudWatch log retention (days) for service logs. */
    logRetentionDays: number;
}

/** Defaults per environment class. Development trades availability for cost, never security. */
export function classDefaults(cls: EnvironmentClass): ClassDefaults {
    const prod = isProductionLike(cls);
    return {
        multiAz: prod,
        natPerAz: prod,
        flowLogs: prod,
        secretRecoveryDays: prod ? 30 : 0,
        cacheSnapshotDays: prod ? 7 : 1,
        logRetentionDays: prod ? 365 : 30,
    };
}
