/** Engine versions this project supports and the parameter group family each implies. */

/** Redis-compatible ElastiCache engines. Valkey is the open-source fork AWS prices lower. */
export const CACHE_ENGINES = ["redis", "valkey"] as const;
/** A Redis-compatible ElastiCache engine. */
export type CacheEngine = (typeof CACHE_ENGINES)[number];

const CACHE_FAMILIES: Record<CacheEngine, Record<string, string>> = {
    redis: { "6.2": "redis6.x", "7.0": "redis7", "7.1": "redis7" },
    valkey: { "7.2": "valkey7", "8.0": "valkey8", "8.1": "valkey8" },
};

/** Default engine version per engine. */
export const DEFAULT_CACHE_VERSION: Record<CacheEngine, string> = { redis: "7.1", valkey: "8.1" };

/** The ElastiCache parameter group family for an engine version, or a reason it is unsupported. */
export function cacheParameterFamily(engine: CacheEngine, version: string): { family: string } | { error: string } {
    const family = CACHE_FAMILIES[engine][version];
    return family
        ? { family }
        : {
              error: `${engine} ${version} is not supported; use one of ${Object.keys(CACHE_FAMILIES[engine]).join(", ")}`,
          };
}

/** Postgres major versions RDS offers that this project supports. */
export const POSTGRES_MAJOR_VERSIONS = ["14", "15", "16", "17"] as const;

/** The RDS parameter group family for a Postgres version like `16` or `16.4`, or a reason. */
export function postgresParameterFamily(version: string): { family: string } | { error: string } {
    const major = /^(\d+)(\.\d+)?$/.exec(version)?.[1];
    return major !== undefined && (POSTGRES_MAJOR_VERSIONS as readonly string[]).includes(major)
        ? { family: `postgres${major}` }
        : { error: `must be a Postgres version like 16 or 16.4 with major ${POSTGRES_MAJOR_VERSIONS.join(", ")}` };
}
