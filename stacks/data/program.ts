import * as pulumi from "@pulumi/pulumi";
import { PostgresDatabase } from "../../shared/components/postgres";
import { RedisCache } from "../../shared/components/redis";
import { upstreamStackOverride } from "../../shared/config/common";
import { parseDataConfig } from "../../shared/config/data";
import { PulumiConfigSource } from "../../shared/config/schema";
import type { Exports } from "../../shared/contracts/contract";
import { type DataOutputs } from "../../shared/contracts/data";
import { foundationContract } from "../../shared/contracts/foundation";
import { UpstreamStack } from "../../shared/contracts/reader";
import { Namer } from "../../shared/naming";
import { createLayerProvider } from "../../shared/provider";
import { isProductionLike } from "../../shared/environment";

/** The data layer: Redis and Postgres in foundation's private subnets. Returns the stack outputs. */
export async function data(): Promise<Exports<DataOutputs>> {
    const source = new PulumiConfigSource();
    const foundation = await UpstreamStack.open(foundationContract, "data", upstreamStackOverride("data", "foundation", source));
    const env = foundation.value("environment");
    const config = parseDataConfig(source, env.class);

    const provider = createLayerProvider(env, "data");
    const names = new Namer({ app: env.app, env: env.name });
    const productionLike = isProductionLike(env.class);
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
