import * as pulumi from "@pulumi/pulumi";
import { PostgresDatabase } from "../../shared/components/postgres";
import { RedisCache } from "../../shared/components/redis";
import { parseDataConfig } from "../../shared/config/data";
import type { Exports } from "../../shared/contracts/contract";
import { type DataOutputs } from "../../shared/contracts/data";
import { foundationContract } from "../../shared/contracts/foundation";
import { usingPlaceholders } from "../../shared/contracts/reader";
import { openLayer, type LayerProgramOptions } from "../../shared/open-layer";

/** The data layer: Redis and Postgres in foundation's private subnets. Returns the stack outputs. */
export async function data(options: LayerProgramOptions = {}): Promise<Exports<DataOutputs>> {
    const { config, upstream, provider, names, productionLike } = await openLayer({
        layer: "data",
        upstreams: { foundation: foundationContract },
        // Against placeholder outputs (a preview of a new environment) foundation's real network is
        // unknown; pre-flight checked the same rule against foundation's config already.
        parseConfig: ({ source, env, upstream }) =>
            parseDataConfig(
                source,
                env.class,
                usingPlaceholders() ? undefined : { externalDatabase: upstream.foundation.value("externalDatabase") },
            ),
        onUpstreamRead: options.onUpstreamRead,
    });
    const foundation = upstream.foundation;
    const privateSubnetIds = foundation.output("privateSubnetIds");

    const redis = new RedisCache(
        "redis",
        {
            engine: config.redis.engine,
            engineVersion: config.redis.engineVersion,
            parameterFamily: config.redis.parameterFamily,
            nodeType: config.redis.nodeType,
            nodeCount: config.redis.nodeCount,
            snapshotRetentionDays: config.redis.snapshotRetentionDays,
            authToken: config.redis.authToken.toOutput(),
            subnetIds: privateSubnetIds,
            securityGroupId: foundation.output("redisSecurityGroupId"),
            productionLike,
            names,
        },
        { providers: [provider] },
    );

    let database: Exports<DataOutputs>["database"];
    let databaseUrl: pulumi.Output<string>;
    if (config.rds) {
        const db = new PostgresDatabase(
            "postgres",
            {
                ...config.rds,
                password: config.rds.password.toOutput(),
                subnetIds: privateSubnetIds,
                securityGroupId: foundation.output("postgresSecurityGroupId"),
                productionLike,
                names,
            },
            { providers: [provider] },
        );
        database = pulumi.output({ mode: "rds" as const, host: db.host, port: db.port, name: config.rds.dbName });
        databaseUrl = db.url;
    } else if (config.databaseUrlOverride) {
        database = { mode: "external" };
        databaseUrl = config.databaseUrlOverride.toOutput();
    } else {
        // parseDataConfig guarantees one of the two; this keeps the compiler and a future edit honest.
        throw new pulumi.RunError("data layer: neither RDS nor databaseUrlOverride is configured");
    }

    return {
        redisHost: redis.host,
        redisPort: redis.port,
        redisUrl: redis.url,
        database,
        databaseUrl: pulumi.secret(databaseUrl),
    };
}
