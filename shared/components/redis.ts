import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { NAME_LIMITS, type Namer } from "../naming";
import { REDIS_PORT } from "../network-plan";
import { redisUrl } from "../urls";

/** Arguments of {@link RedisCache}. */
export interface RedisCacheArgs {
    /** `redis` or `valkey`. */
    engine: string;
    /** Engine version, e.g. `7.1`. */
    engineVersion: string;
    /** Parameter group family matching the version, e.g. `redis7`. */
    parameterFamily: string;
    /** Node type, e.g. `cache.t4g.micro`. */
    nodeType: string;
    /** Total nodes: 1 for a single node, 2+ for a primary with replicas. */
    nodeCount: number;
    /** Days of automatic snapshots; 0 turns them off. */
    snapshotRetentionDays: number;
    /** AUTH token (secret). */
    authToken: pulumi.Input<string>;
    /** Private subnets for the subnet group. */
    subnetIds: pulumi.Input<string[]>;
    /** The Redis security group from the foundation layer. */
    securityGroupId: pulumi.Input<string>;
    /** Production-like: protect, keep a final snapshot, apply changes in the maintenance window. */
    productionLike: boolean;
    /** Physical names of the environment. */
    names: Namer;
}

/**
 * Redis-compatible cache. Always an `aws.elasticache.ReplicationGroup`, even with one node:
 * only replication groups support encryption at rest, in-transit TLS and AUTH tokens (a Redis
 * `aws.elasticache.Cluster` has none of them). With two or more nodes, automatic failover and
 * multi-AZ are on.
 */
export class RedisCache extends pulumi.ComponentResource {
    /** Primary endpoint host name. */
    readonly host: pulumi.Output<string>;
    /** Port (6379). */
    readonly port: number = REDIS_PORT;
    /** `rediss://:<token>@host:6379`, secret. */
    readonly url: pulumi.Output<string>;

    constructor(name: string, args: RedisCacheArgs, opts?: pulumi.ComponentResourceOptions) {
        super("proliferate:data:RedisCache", name, {}, opts);
        const replicated = args.nodeCount > 1;

        const subnets = new aws.elasticache.SubnetGroup(
            `${name}-subnets`,
            {
                name: args.names.name("redis", NAME_LIMITS.elasticacheSubnetGroup),
                description: "Private subnets for Redis",
                subnetIds: args.subnetIds,
            },
            { parent: this },
        );
        const params = new aws.elasticache.ParameterGroup(
            `${name}-params`,
            {
                family: args.parameterFamily,
                description: `${args.engine} ${args.engineVersion} parameters (managed by Pulumi)`,
            },
            { parent: this },
        );
        const id = args.names.name("redis", NAME_LIMITS.elasticacheReplicationGroup);
        const group = new aws.elasticache.ReplicationGroup(
            `${name}-group`,
            {
                replicationGroupId: id,
                description: `Redis for ${args.names.ctx.app} ${args.names.ctx.env}`,
                engine: args.engine,
                engineVersion: args.engineVersion,
                nodeType: args.nodeType,
                port: REDIS_PORT,
                numCacheClusters: args.nodeCount,
                automaticFailoverEnabled: replicated,
                multiAzEnabled: replicated,
                atRestEncryptionEnabled: true,
                transitEncryptionEnabled: true,
                authToken: args.authToken,
                subnetGroupName: subnets.name,
                securityGroupIds: [args.securityGroupId],
                parameterGroupName: params.name,
                autoMinorVersionUpgrade: true,
                snapshotRetentionLimit: args.snapshotRetentionDays,
                snapshotWindow: "03:00-04:00",
                maintenanceWindow: "sun:05:00-sun:06:00",
                applyImmediately: !args.productionLike,
                finalSnapshotIdentifier: args.productionLike ? `${id}-final` : undefined,
            },
            { parent: this, protect: args.productionLike },
        );

        this.host = group.primaryEndpointAddress;
        this.url = pulumi.secret(
            pulumi
                .all([group.primaryEndpointAddress, args.authToken])
                .apply(([host, token]) => redisUrl(host, REDIS_PORT, { tls: true, authToken: token })),
        );
        this.registerOutputs({ host: this.host, port: this.port, url: this.url });
    }
}
