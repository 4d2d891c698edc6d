import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { SERVICES, validateCatalog, type ServiceSpec } from "../../shared/catalog";
import { FargateService } from "../../shared/components/fargate-service";
import { PublicLoadBalancer } from "../../shared/components/load-balancer";
import { parseServicesConfig } from "../../shared/config/services";
import type { Exports } from "../../shared/contracts/contract";
import { foundationContract, type FoundationOutputs } from "../../shared/contracts/foundation";
import { deployCommand, type UpstreamStack } from "../../shared/contracts/reader";
import { secretsContract, type SecretsOutputs } from "../../shared/contracts/secrets";
import type { ServicesOutputs } from "../../shared/contracts/services";
import { NAME_LIMITS } from "../../shared/naming";
import { openLayer, type LayerProgramOptions } from "../../shared/open-layer";

/**
 * The upstream stacks must know every service of the catalog (a new row needs all layers
 * redeployed); throws one error naming each gap and the command that closes it.
 */
function checkCatalogDeployed(
    catalog: readonly ServiceSpec[],
    foundation: UpstreamStack<FoundationOutputs>,
    secrets: UpstreamStack<SecretsOutputs>,
): void {
    const problems = validateCatalog(catalog);
    const taskGroups = foundation.value("taskSecurityGroupIds");
    const albGroups = foundation.value("albSecurityGroupIds");
    const secretArns = secrets.value("secretArns");
    const secretKeys = secrets.value("secretKeys");
    for (const s of catalog) {
        if (taskGroups[s.name] === undefined || (s.public && albGroups[s.name] === undefined)) {
            problems.push(
                `foundation stack ${foundation.stackName} has no security groups for service ${s.name}; run ${deployCommand("foundation", pulumi.getStack())}`,
            );
        }
        if (secretArns[s.name] === undefined || secretKeys[s.name] === undefined) {
            problems.push(
                `secrets stack ${secrets.stackName} has no secret for service ${s.name}; run ${deployCommand("secrets", pulumi.getStack())}`,
            );
        }
    }
    if (problems.length > 0) {
        throw new pulumi.RunError(
            `the services layer cannot deploy the service catalog:\n  - ${problems.join("\n  - ")}`,
        );
    }
}

/** The services layer: ECS cluster, and per service a repository, roles, logs, task definition, service and (public ones) a load balancer. */
export async function services(options: LayerProgramOptions = {}): Promise<Exports<ServicesOutputs>> {
    const catalog = options.catalog ?? SERVICES;
    const { config, upstream, env, provider, names, productionLike } = await openLayer({
        layer: "services",
        upstreams: { foundation: foundationContract, secrets: secretsContract },
        parseConfig: ({ source, env, upstream }) => {
            const parsed = parseServicesConfig(source, env.class, upstream.secrets.value("appProfile"), catalog);
            checkCatalogDeployed(catalog, upstream.foundation, upstream.secrets);
            return parsed;
        },
        onUpstreamRead: options.onUpstreamRead,
    });
    const { foundation, secrets } = upstream;
    const taskGroups = foundation.value("taskSecurityGroupIds");
    const albGroups = foundation.value("albSecurityGroupIds");
    const secretArns = secrets.value("secretArns");
    const secretKeys = secrets.value("secretKeys");
    const kmsKeyArn = secrets.value("kmsKeyArn") ?? undefined;

    const cluster = new aws.ecs.Cluster(
        "cluster",
        { name: names.name("cluster", NAME_LIMITS.ecs), settings: [{ name: "containerInsights", value: "enabled" }] },
        { provider },
    );

    // Load balancers first: their URLs go into other services' environment (the worker calls the gateway).
    const loadBalancers: Record<string, PublicLoadBalancer> = {};
    const urls: Record<string, pulumi.Output<string>> = {};
    for (const s of catalog) {
        if (!s.public || s.port === undefined || s.healthCheckPath === undefined) continue;
        const lb = new PublicLoadBalancer(
            s.name,
            {
                service: s.name,
                port: s.port,
                healthCheckPath: s.healthCheckPath,
                vpcId: foundation.output("vpcId"),
                subnetIds: foundation.output("publicSubnetIds"),
                securityGroupId: albGroups[s.name] as string,
                certificateArn: config.certificateArn,
                productionLike,
                names,
            },
            { providers: [provider] },
        );
        loadBalancers[s.name] = lb;
        const override = config.publicUrls[s.name];
        urls[s.name] = override !== undefined ? pulumi.output(override) : lb.url;
    }

    const out = {
        serviceNames: {} as Record<string, pulumi.Output<string>>,
        repositoryUrls: {} as Record<string, pulumi.Output<string>>,
        images: {} as Record<string, pulumi.Output<string | null>>,
    };
    for (const s of catalog) {
        const environment = Object.fromEntries(
            Object.entries(
                s.environment({
                    settings: config.settings,
                    profile: secrets.value("appProfile"),
                    urls,
                    billingEnabled: config.billingEnabled,
                }),
            ).filter((entry): entry is [string, pulumi.Input<string>] => entry[1] !== undefined),
        );
        const svc = new FargateService(
            s.name,
            {
                spec: s,
                clusterArn: cluster.arn,
                size: config.sizes[s.name] ?? s.size,
                imageTag: config.imageTags[s.name],
                cpuArchitecture: config.cpuArchitecture,
                subnetIds: foundation.output("privateSubnetIds"),
                securityGroupId: taskGroups[s.name] as string,
                loadBalancer: loadBalancers[s.name],
                secretArn: secretArns[s.name] as string,
                secretKeys: secretKeys[s.name] ?? [],
                kmsKeyArn,
                environment,
                logRetentionDays: config.logRetentionDays,
                region: env.region,
                productionLike,
                names,
            },
            { providers: [provider] },
        );
        out.serviceNames[s.name] = svc.serviceName;
        out.repositoryUrls[s.name] = svc.repositoryUrl;
        out.images[s.name] = svc.image;
    }

    return {
        clusterName: cluster.name,
        serviceNames: pulumi.output(out.serviceNames),
        repositoryUrls: pulumi.output(out.repositoryUrls),
        images: pulumi.output(out.images),
        loadBalancerDnsNames: pulumi.output(
            Object.fromEntries(Object.entries(loadBalancers).map(([k, lb]) => [k, lb.dnsName])),
        ),
        serviceUrls: pulumi.output(urls),
    };
}
