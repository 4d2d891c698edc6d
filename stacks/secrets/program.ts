import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import {
    APP_SECRETS,
    composePayload,
    DATA_SECRETS,
    type AppSecretKey,
    type PayloadKey,
} from "../../shared/app-settings";
import { SERVICES } from "../../shared/catalog";
import { parseSecretsConfig } from "../../shared/config/secrets";
import type { Exports } from "../../shared/contracts/contract";
import { dataContract } from "../../shared/contracts/data";
import { foundationContract } from "../../shared/contracts/foundation";
import type { SecretsOutputs } from "../../shared/contracts/secrets";
import { openLayer, type LayerProgramOptions } from "../../shared/open-layer";

/** The secrets layer: one Secrets Manager secret per service, holding only the keys it reads. */
export async function secrets(options: LayerProgramOptions = {}): Promise<Exports<SecretsOutputs>> {
    const services = options.catalog ?? SERVICES;
    const { config, upstream, env, provider, names, productionLike } = await openLayer({
        layer: "secrets",
        upstreams: { foundation: foundationContract, data: dataContract },
        parseConfig: ({ source, env }) => parseSecretsConfig(source, env.class),
        onUpstreamRead: options.onUpstreamRead,
    });
    const data = upstream.data;

    // Every value a payload may hold, as secret Outputs.
    const available: Partial<Record<PayloadKey, pulumi.Output<string>>> = {
        [DATA_SECRETS.databaseUrl]: data.output("databaseUrl"),
        [DATA_SECRETS.redisUrl]: data.output("redisUrl"),
    };
    for (const [key, value] of Object.entries(config.secrets) as Array<
        [AppSecretKey, NonNullable<(typeof config.secrets)[AppSecretKey]>]
    >) {
        available[APP_SECRETS[key]] = value.toOutput();
    }
    const presentKeys = new Set(Object.keys(available));

    const secretArns: Record<string, pulumi.Output<string>> = {};
    const secretNames: Record<string, string> = {};
    const secretKeys: Record<string, string[]> = {};
    const versionIds: Record<string, pulumi.Output<string>> = {};
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
        const version = new aws.secretsmanager.SecretVersion(
            `${service.name}-secret-value`,
            {
                secretId: secret.id,
                // pulumi.all keeps the result secret because its inputs are secret.
                secretString: pulumi.secret(
                    pulumi.all(available).apply((values) => JSON.stringify(composePayload(service.secretKeys, values))),
                ),
            },
            // Never protected, even under a protected secret (children inherit `protect`): a new value
            // replaces the version (secretString is replace-on-change), creating the new one first, and
            // a protected version would refuse that replacement. The secret itself stays protected.
            { provider, parent: secret, protect: false },
        );
        secretArns[service.name] = secret.arn;
        versionIds[service.name] = version.versionId;
        secretNames[service.name] = name;
        secretKeys[service.name] = keys;
    }

    return {
        appProfile: config.profile,
        secretArns: pulumi.output(secretArns),
        secretNames,
        secretKeys,
        secretVersionIds: pulumi.output(versionIds),
        kmsKeyArn: config.kmsKeyArn ?? null,
    };
}
