import { ensure, SimulatedAwsError } from "../../sim/errors";
import { arn, hex, shortRegion, upperAlnum, uuid } from "../../sim/ids";
import { checkDeletionProtection, checkSecretNameFree, reserveDeletedSecretName } from "../../sim/rules";
import { T } from "../../sim/types";
import { bool, num, str, strList, type Props } from "../../sim/values";
import { ensureUnique, findWhere, mustFind, nameOrPrefix, required, type ResourceSpec, type SimContext } from "./spec";

// Data stores and secrets: RDS, ElastiCache, Secrets Manager.

/** Subnets of a subnet group must exist, and RDS wants at least two AZs. */
function subnetGroupVpc(ctx: SimContext, inputs: Props, minZones: number, code: string): string | undefined {
    const subnets = strList(inputs, "subnetIds").map((id) =>
        mustFind(ctx, T.Subnet, id, "InvalidSubnet", `The subnet ID ${id} does not exist`),
    );
    const zones = new Set(subnets.map((s) => str(s.computed, "availabilityZone")));
    if (zones.size < minZones) {
        throw new SimulatedAwsError(
            code,
            `The DB subnet group doesn't meet Availability Zone (AZ) coverage requirement. Current AZ coverage: ${[...zones].join(", ")}. Add subnets to cover at least ${minZones} AZs.`,
        );
    }
    return subnets[0] ? str(subnets[0].inputs, "vpcId") : undefined;
}

function named(prefix: string, service: string, type: string, dupCode: string, minZones: number): ResourceSpec {
    return {
        autoname: {
            property: "name",
            maxLength: 255,
            lowercase: true,
            prefixProperty: type === T.DbParameterGroup || type === T.DbSubnetGroup ? "namePrefix" : undefined,
        },
        create(inputs, ctx) {
            const name = (nameOrPrefix(inputs) ?? required(inputs, "name", service)).toLowerCase();
            ensureUnique(ctx, type, "name", name, dupCode, `${type.split(":").pop() ?? type} ${name} already exists.`);
            const vpcId =
                minZones > 0 ? subnetGroupVpc(ctx, inputs, minZones, "DBSubnetGroupDoesNotCoverEnoughAZs") : undefined;
            return {
                id: name,
                computed: { name, arn: arn(service, ctx.region, `${prefix}:${name}`), ...(vpcId ? { vpcId } : {}) },
            };
        },
    };
}

function defaultPort(engine: string): number {
    return engine.includes("postgres")
        ? 5432
        : engine.includes("sqlserver")
          ? 1433
          : engine.includes("oracle")
            ? 1521
            : 3306;
}

function instanceEndpoint(ctx: SimContext, identifier: string, suffix: string): string {
    return `${identifier}.${suffix}.${ctx.region}.rds.amazonaws.com`;
}

const dbInstance: ResourceSpec = {
    autoname: { property: "identifier", maxLength: 63, lowercase: true, prefixProperty: "identifierPrefix" },
    create(inputs, ctx) {
        const identifier = (
            nameOrPrefix(inputs, "identifier", "identifierPrefix") ??
            required(inputs, "identifier", "rds:CreateDBInstance")
        ).toLowerCase();
        ensureUnique(
            ctx,
            T.DbInstance,
            "identifier",
            identifier,
            "DBInstanceAlreadyExists",
            "DB instance already exists",
        );
        const subnetGroup = str(inputs, "dbSubnetGroupName");
        if (subnetGroup !== undefined)
            mustFind(
                ctx,
                T.DbSubnetGroup,
                subnetGroup,
                "DBSubnetGroupNotFoundFault",
                `DB subnet group '${subnetGroup}' does not exist.`,
            );
        const params = str(inputs, "parameterGroupName");
        if (params !== undefined)
            mustFind(
                ctx,
                T.DbParameterGroup,
                params,
                "DBParameterGroupNotFound",
                `DBParameterGroup not found: ${params}`,
            );
        for (const sg of strList(inputs, "vpcSecurityGroupIds"))
            mustFind(ctx, T.SecurityGroup, sg, "InvalidGroup.NotFound", `The security group '${sg}' does not exist`);
        const engine = required(inputs, "engine", "rds:CreateDBInstance");
        ensure(
            inputs["password"] !== undefined || bool(inputs, "manageMasterUserPassword", false),
            "InvalidParameterValue",
            "The parameter MasterUserPassword must be provided and must not be null.",
        );
        const port = num(inputs, "port", defaultPort(engine));
        const suffix = hex(12);
        const address = instanceEndpoint(ctx, identifier, suffix);
        const version = str(inputs, "engineVersion") ?? "16.4";
        const encrypted = bool(inputs, "storageEncrypted", false);
        return {
            id: `db-${upperAlnum(26)}`,
            computed: {
                identifier,
                arn: arn("rds", ctx.region, `db:${identifier}`),
                address,
                endpoint: `${address}:${port}`,
                port,
                hostedZoneId: "Z2R2ITUGPM61AM",
                resourceId: `db-${upperAlnum(26)}`,
                endpointSuffix: suffix,
                engineVersionActual: version.includes(".") ? version : `${version}.4`,
                status: "available",
                availabilityZone: str(inputs, "availabilityZone") ?? `${ctx.region}a`,
                kmsKeyId: encrypted ? (str(inputs, "kmsKeyId") ?? arn("kms", ctx.region, `key/${uuid()}`)) : undefined,
                latestRestorableTime: ctx.now.toISOString(),
            },
        };
    },
    update(old, news, ctx) {
        // The identifier is renamed in place (not replace-on-change since provider v5): the endpoint follows.
        const identifier = (str(news, "identifier") ?? str(old.computed, "identifier") ?? "").toLowerCase();
        if (identifier !== str(old.computed, "identifier")) {
            ensureUnique(
                ctx,
                T.DbInstance,
                "identifier",
                identifier,
                "DBInstanceAlreadyExists",
                "DB instance already exists",
            );
        }
        const port = num(news, "port", num(old.computed, "port", 5432));
        const address = instanceEndpoint(ctx, identifier, str(old.computed, "endpointSuffix") ?? hex(12));
        return {
            ...old.computed,
            identifier,
            arn: arn("rds", ctx.region, `db:${identifier}`),
            address,
            endpoint: `${address}:${port}`,
            port,
        };
    },
    beforeDelete(r) {
        checkDeletionProtection(r);
        // The provider itself refuses this before calling AWS; real deployments trip over it on destroy.
        if (!bool(r.inputs, "skipFinalSnapshot", false) && str(r.inputs, "finalSnapshotIdentifier") === undefined) {
            throw new SimulatedAwsError(
                "InvalidParameterCombination",
                "FinalDBSnapshotIdentifier is required unless SkipFinalSnapshot is specified (final_snapshot_identifier is required when skip_final_snapshot is false).",
            );
        }
    },
};

const replicationGroup: ResourceSpec = {
    create(inputs, ctx) {
        const id = required(inputs, "replicationGroupId", "elasticache:CreateReplicationGroup").toLowerCase();
        ensureUnique(
            ctx,
            T.ReplicationGroup,
            "replicationGroupId",
            id,
            "ReplicationGroupAlreadyExists",
            "Replication group already exists",
        );
        const subnetGroup = str(inputs, "subnetGroupName");
        if (subnetGroup !== undefined)
            mustFind(
                ctx,
                T.CacheSubnetGroup,
                subnetGroup,
                "CacheSubnetGroupNotFoundFault",
                `CacheSubnetGroup ${subnetGroup} does not exist.`,
            );
        const params = str(inputs, "parameterGroupName");
        if (params !== undefined)
            mustFind(
                ctx,
                T.CacheParameterGroup,
                params,
                "CacheParameterGroupNotFound",
                `CacheParameterGroup ${params} not found.`,
            );
        for (const sg of strList(inputs, "securityGroupIds"))
            mustFind(ctx, T.SecurityGroup, sg, "InvalidGroup.NotFound", `The security group '${sg}' does not exist`);
        const tls = bool(inputs, "transitEncryptionEnabled", false);
        ensure(
            inputs["authToken"] === undefined || tls,
            "InvalidParameterValue",
            "The AUTH token is only supported when encryption-in-transit is enabled",
        );
        const host = `${id}.${hex(6)}.${shortRegion(ctx.region)}.cache.amazonaws.com`;
        const nodes = num(inputs, "numCacheClusters", 1);
        return {
            id,
            computed: {
                replicationGroupId: id,
                arn: arn("elasticache", ctx.region, `replicationgroup:${id}`),
                primaryEndpointAddress: tls ? `master.${host}` : host,
                readerEndpointAddress: tls ? `replica.${host}` : host.replace(`${id}.`, `${id}-ro.`),
                port: num(inputs, "port", 6379),
                memberClusters: Array.from({ length: nodes }, (_, i) => `${id}-00${i + 1}`),
                engineVersionActual: `${str(inputs, "engineVersion") ?? "7.1"}.0`,
                clusterEnabled: false,
                atRestEncryptionEnabled: String(bool(inputs, "atRestEncryptionEnabled", false)),
            },
        };
    },
};

const secret: ResourceSpec = {
    autoname: { property: "name", maxLength: 512, prefixProperty: "namePrefix" },
    create(inputs, ctx) {
        const name = nameOrPrefix(inputs) ?? required(inputs, "name", "secretsmanager:CreateSecret");
        checkSecretNameFree(ctx.acct, name, ctx.region, ctx.now);
        const secretArn = arn("secretsmanager", ctx.region, `secret:${name}-${hex(6)}`);
        return { id: secretArn, computed: { name, arn: secretArn, policy: "", replicas: [] } };
    },
    afterDelete(r, ctx) {
        reserveDeletedSecretName(ctx.acct, r, ctx.now);
    },
};

const secretVersion: ResourceSpec = {
    create(inputs, ctx) {
        const ref = required(inputs, "secretId", "secretsmanager:PutSecretValue");
        const owner = findWhere(ctx, T.Secret, (s) => s.id === ref || str(s.computed, "name") === ref);
        if (!owner) {
            const deleted = ctx.acct.reservations.some(
                (r) => r.type === T.Secret && (r.name === ref || ref.includes(`:secret:${r.name}-`)),
            );
            throw deleted
                ? new SimulatedAwsError(
                      "InvalidRequestException",
                      "You can't perform this operation on the secret because it was marked for deletion.",
                  )
                : new SimulatedAwsError(
                      "ResourceNotFoundException",
                      "Secrets Manager can't find the specified secret.",
                  );
        }
        ensure(
            inputs["secretString"] !== undefined || inputs["secretBinary"] !== undefined,
            "InvalidRequestException",
            "You must provide either SecretString or SecretBinary.",
        );
        const versionId = uuid();
        return {
            id: `${owner.id}|${versionId}`,
            computed: { arn: owner.id, versionId, versionStages: ["AWSCURRENT"] },
        };
    },
};

/** Specs of RDS, ElastiCache and Secrets Manager types, by type token. */
export const DATA_SPECS: Record<string, ResourceSpec> = {
    [T.DbInstance]: dbInstance,
    [T.DbParameterGroup]: named("pg", "rds", T.DbParameterGroup, "DBParameterGroupAlreadyExists", 0),
    [T.DbSubnetGroup]: named("subgrp", "rds", T.DbSubnetGroup, "DBSubnetGroupAlreadyExists", 2),
    [T.ReplicationGroup]: replicationGroup,
    [T.CacheParameterGroup]: named(
        "parametergroup",
        "elasticache",
        T.CacheParameterGroup,
        "CacheParameterGroupAlreadyExists",
        0,
    ),
    [T.CacheSubnetGroup]: named("subnetgroup", "elasticache", T.CacheSubnetGroup, "CacheSubnetGroupAlreadyExists", 1),
    [T.Secret]: secret,
    [T.SecretVersion]: secretVersion,
};
