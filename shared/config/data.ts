import { classDefaults, isProductionLike, type EnvironmentClass } from "../environment";
import {
    CACHE_ENGINES,
    cacheParameterFamily,
    DEFAULT_CACHE_VERSION,
    postgresParameterFamily,
    type CacheEngine,
} from "../engines";
import { PROJECT_NAMES } from "../layers";
import { upstreamStackFields } from "./common";
import { checkExternalDatabase, type DataNetwork } from "./external-database";
import { checkUrl } from "./formats";
import { field, secretShape } from "./field";
import { IssueList } from "./issues";
import { parseFields } from "./parse";
import type { Secret } from "./secret";
import type { ConfigSource } from "./source";

const PROJECT = PROJECT_NAMES.data;
export type { DataNetwork } from "./external-database";

const identifier = (v: string) =>
    /^[a-z][a-z0-9_]{0,62}$/.test(v)
        ? undefined
        : "must start with a lower-case letter and hold only lower-case letters, digits and _ (at most 63)";
const RESERVED_DB_USERS = ["rdsadmin", "rdsrepladmin", "rds_superuser", "admin", "user", "public", "postgres"];

/** Every config key of the data layer. */
export const dataFields = {
    ...upstreamStackFields(["foundation"] as const),
    redisEngine: field.enum(CACHE_ENGINES, "Redis-compatible engine: redis or valkey.").default("redis"),
    redisEngineVersion: field.string("Engine version. Default: 7.1 for redis, 8.1 for valkey.", "7.1"),
    redisNodeType: field
        .string("ElastiCache node type.", "cache.t4g.micro")
        .default("cache.t4g.micro")
        .check((v) =>
            /^cache\.[a-z0-9]+\.[a-z0-9]+$/.test(v) ? undefined : "is not a node type like cache.t4g.micro",
        ),
    redisReplicationEnabled: field.boolean(
        "Primary plus replicas with automatic failover across AZs. Default: on for production, off otherwise.",
    ),
    redisReplicaCount: field.integer("Number of replicas when replication is on (1-5). Default: 1.", 1, 5),
    redisSnapshotRetentionDays: field.integer(
        "Days of automatic Redis snapshots (0-35; 0 turns them off). Default: 7 for production, 1 otherwise.",
        0,
        35,
    ),
    redisAuthToken: field
        .secret('Redis AUTH token (16-128 printable characters, no spaces, @, " or /).', "$(openssl rand -hex 32)")
        .required()
        .check(secretShape(16, 128, ' @"/')),
    enableRds: field.boolean("Create an RDS Postgres instance. false: use databaseUrlOverride instead.").default(true),
    dbPassword: field
        .secret(
            'Postgres master password (8-128 characters, no spaces, @, " or /). Required when enableRds is true.',
            "$(openssl rand -hex 24)",
        )
        .check(secretShape(8, 128, ' @"/')),
    dbName: field
        .string("Name of the database created in the instance.", "proliferate")
        .default("proliferate")
        .check(identifier),
    dbUsername: field
        .string("Postgres master user name.", "proliferate")
        .default("proliferate")
        .check(
            (v) => identifier(v) ?? (RESERVED_DB_USERS.includes(v) ? `is reserved; choose another name` : undefined),
        ),
    dbInstanceClass: field
        .string("RDS instance class.", "db.t4g.micro")
        .default("db.t4g.micro")
        .check((v) =>
            /^db\.[a-z0-9]+\.[a-z0-9]+$/.test(v) ? undefined : "is not an instance class like db.t4g.micro",
        ),
    dbEngineVersion: field
        .string("Postgres version: a major (16, minor upgrades automatic) or major.minor.", "16")
        .default("16")
        .check((v) => {
            const r = postgresParameterFamily(v);
            return "error" in r ? r.error : undefined;
        }),
    dbAllocatedStorageGb: field.integer("Initial gp3 storage in GiB (20-65536).", 20, 65536).default(20),
    dbMaxAllocatedStorageGb: field
        .integer("Storage autoscaling ceiling in GiB; 0 turns autoscaling off.", 0, 65536)
        .default(100),
    dbMultiAz: field.boolean("Multi-AZ standby. Default: on for production, off otherwise."),
    dbBackupRetentionDays: field.integer("Days of automated RDS backups (1-35).", 1, 35).default(7),
    databaseUrlOverride: field
        .secret(
            "Postgres URL of an external database; required when enableRds is false.",
            "postgresql://app:PASSWORD@db.example.com:5432/app?sslmode=require",
        )
        .check((s) => checkUrl(s.reveal(), ["postgres", "postgresql"])),
};

/** The data layer's parsed config. */
export interface DataConfig {
    redis: {
        engine: CacheEngine;
        engineVersion: string;
        parameterFamily: string;
        nodeType: string;
        /** Total nodes: 1 (single) or 1 + replicas. */
        nodeCount: number;
        replication: boolean;
        snapshotRetentionDays: number;
        authToken: Secret;
    };
    /** RDS settings, or undefined when enableRds is false. */
    rds?: {
        password: Secret;
        dbName: string;
        username: string;
        instanceClass: string;
        engineVersion: string;
        parameterFamily: string;
        allocatedStorageGb: number;
        maxAllocatedStorageGb: number;
        multiAz: boolean;
        backupRetentionDays: number;
    };
    /** The external database URL when enableRds is false. */
    databaseUrlOverride?: Secret;
}

/**
 * Parses and checks the data config. The environment class comes from the foundation stack, so
 * production rules (replication, multi-AZ) are checked against the environment actually deployed;
 * `network` (foundation's outputs, or its config in pre-flight) adds the external-database rules.
 */
export function parseDataConfig(source: ConfigSource, envClass: EnvironmentClass, network?: DataNetwork): DataConfig {
    const issues = new IssueList(PROJECT);
    const v = parseFields(source, dataFields, issues);
    const d = classDefaults(envClass);
    const prod = isProductionLike(envClass);

    const replication = v.redisReplicationEnabled ?? d.multiAz;
    if (prod && v.redisReplicationEnabled === false) {
        issues.add(
            "redisReplicationEnabled",
            dataFields.redisReplicationEnabled,
            "is false, but production environments need a replica with automatic failover (Security Hub ElastiCache.3)",
            "true",
        );
    }
    if (!replication && v.redisReplicaCount !== undefined) {
        issues.ignored(
            "redisReplicaCount",
            "replication is off",
            `pulumi config set ${PROJECT}:redisReplicationEnabled true`,
        );
    }
    const snapshots = v.redisSnapshotRetentionDays ?? d.cacheSnapshotDays;
    if (prod && snapshots === 0) {
        issues.add(
            "redisSnapshotRetentionDays",
            dataFields.redisSnapshotRetentionDays,
            "is 0, but production environments keep Redis backups (Security Hub ElastiCache.1)",
            "7",
        );
    }
    const version = v.redisEngineVersion ?? DEFAULT_CACHE_VERSION[v.redisEngine ?? "redis"];
    const family = v.redisEngine !== undefined ? cacheParameterFamily(v.redisEngine, version) : undefined;
    if (family !== undefined && "error" in family) {
        issues.add(
            "redisEngineVersion",
            dataFields.redisEngineVersion,
            family.error,
            DEFAULT_CACHE_VERSION[v.redisEngine],
        );
    }

    const multiAz = v.dbMultiAz ?? d.multiAz;
    if (v.enableRds) {
        if (source.get(PROJECT, "dbPassword") === undefined) {
            issues.add("dbPassword", dataFields.dbPassword, "is required because enableRds is true (the default).");
        }
        if (source.get(PROJECT, "databaseUrlOverride") !== undefined) {
            issues.ignored("databaseUrlOverride", "enableRds is true", `pulumi config set ${PROJECT}:enableRds false`);
        }
        if (prod && v.dbMultiAz === false) {
            issues.add(
                "dbMultiAz",
                dataFields.dbMultiAz,
                "is false, but production databases run multi-AZ (Security Hub RDS.5)",
                "true",
            );
        }
        if (v.dbMaxAllocatedStorageGb !== 0 && v.dbMaxAllocatedStorageGb < v.dbAllocatedStorageGb) {
            issues.add(
                "dbMaxAllocatedStorageGb",
                dataFields.dbMaxAllocatedStorageGb,
                `(${v.dbMaxAllocatedStorageGb}) is below dbAllocatedStorageGb (${v.dbAllocatedStorageGb}); raise it or set 0`,
                String(v.dbAllocatedStorageGb * 5),
            );
        }
    } else if (v.enableRds === false) {
        if (source.get(PROJECT, "databaseUrlOverride") === undefined) {
            issues.add(
                "databaseUrlOverride",
                dataFields.databaseUrlOverride,
                "is required because enableRds is false: the services need a database URL.",
            );
        }
        for (const key of [
            "dbPassword",
            "dbMultiAz",
            "dbInstanceClass",
            "dbEngineVersion",
            "dbAllocatedStorageGb",
            "dbMaxAllocatedStorageGb",
            "dbBackupRetentionDays",
            "dbName",
            "dbUsername",
        ]) {
            if (source.get(PROJECT, key) !== undefined) {
                issues.ignored(key, "enableRds is false", `pulumi config set ${PROJECT}:enableRds true`);
            }
        }
        if (network) checkExternalDatabase(issues, v.databaseUrlOverride, network);
    }
    issues.throwIfAny(source.stack);

    const pgFamily = postgresParameterFamily(v.dbEngineVersion);
    return {
        redis: {
            engine: v.redisEngine,
            engineVersion: version,
            parameterFamily: family !== undefined && "family" in family ? family.family : "",
            nodeType: v.redisNodeType,
            nodeCount: replication ? 1 + (v.redisReplicaCount ?? 1) : 1,
            replication,
            snapshotRetentionDays: snapshots,
            authToken: v.redisAuthToken,
        },
        ...(v.enableRds && v.dbPassword !== undefined
            ? {
                  rds: {
                      password: v.dbPassword,
                      dbName: v.dbName,
                      username: v.dbUsername,
                      instanceClass: v.dbInstanceClass,
                      engineVersion: v.dbEngineVersion,
                      parameterFamily: "family" in pgFamily ? pgFamily.family : "",
                      allocatedStorageGb: v.dbAllocatedStorageGb,
                      maxAllocatedStorageGb: v.dbMaxAllocatedStorageGb,
                      multiAz,
                      backupRetentionDays: v.dbBackupRetentionDays,
                  },
              }
            : {}),
        ...(v.databaseUrlOverride !== undefined && !v.enableRds ? { databaseUrlOverride: v.databaseUrlOverride } : {}),
    };
}
