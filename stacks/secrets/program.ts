import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { APP_SECRETS, composePayload, DATA_SECRETS, type AppSecretKey, type PayloadKey } from "../../shared/app-settings";
import { SERVICES, type ServiceSpec } from "../../shared/catalog";
import { upstreamStackOverride } from "../../shared/config/common";
import { PulumiConfigSource } from "../../shared/config/schema";
import { parseSecretsConfig } from "../../shared/config/secrets";
import type { Exports } from "../../shared/contracts/contract";
import { dataContract } from "../../shared/contracts/data";
import { foundationContract } from "../../shared/contracts/foundation";
import { UpstreamStack } from "../../shared/contracts/reader";
import type { SecretsOutputs } from "../../shared/contracts/secrets";
import { isProductionLike } from "../../shared/environment";
import { Namer } from "../../shared/naming";
import { createLayerProvider } from "../../shared/provider";

/** The secrets layer: one Secrets Manager secret per service, holding only the keys it reads. */
export async function secrets(services: readonly ServiceSpec[] = SERVICES): Promise<Exports<SecretsOutputs>> {
    const source = new PulumiConfigSource();
    const foundation = await UpstreamStack.open(foundationContract, "secrets", upstreamStackOverride("secrets", "foundation", source));
    const data = await UpstreamStack.open(dataContract, "secrets", upstreamStackOverride("secrets", "data", source));
    const env = foundation.value("environment");
    const config = parseSecretsConfig(source, env.class);

    const provider = createLayerProvider(env, "secrets");
    const names = new Namer({ app: env.app, env: env.name });
    const productionLike = isProductionLike(env.class);

    // Every value a payload may hold, as secret Outputs.
    const available: Partial<Record<PayloadKey, pulumi.Output<string>>> = {
        [DATA_SECRETS.databaseUrl]: data.output("databaseUrl"),
        [DATA_SECRETS.redisUrl]: data.output("redisUrl"),
    };
    for (const [key, value] of Object.entries(config.secrets) as Array<[AppSecretKey, NonNullable<(typeof config.secrets)[AppSecretKey]>]>) {
        available[APP_SECRETS[key]] = value.toOutput();
    }
    const presentKeys = new Set(Object.keys(available));

    const secretArns: Record<string, pulumi.Output<string>> = {};
    const secretNames: Record<string, string> = {};
    const secretKeys: Record<string, string[]> = {};
    for (const service of services) {
        const name = names.path(service.name);
        const secret = new aws.secretsmanager.Secret(
            `${service.name}-secret`,
            {
                name,
                description: `Runtime secrets of the ${service.name} service (${env.app} ${env.name}); managed by Pulumi`,
                recoveryWindowInDays: config.recoveryWindowDays,
                kmsKeyId: config.kmsKeyArn,
            },
            { provider, protect: productionLike },
        );
        const keys = service.secretKeys.filter((k) => presentKeys.has(k));
        new aws.secretsmanager.SecretVersion(
            `${service.name}-secret-value`,
            {
                secretId: secret.id,
                // pulumi.all keeps the result secret because its inputs are secret.
                secretString: pulumi.secret(pulumi.all(available).apply((values) => JSON.stringify(composePayload(service.secretKeys, values)))),
            },
            { provider, parent: secret },
        );
        secretArns[service.name] = secret.arn;
        secretNames[service.name] = name;
        secretKeys[service.name] = keys;
    }

    return {
        appProfile: config.profile,
        secretArns: pulumi.output(secretArns),
        secretNames,
        secretKeys,
        kmsKeyArn: config.kmsKeyArn ?? null,
    };
}
