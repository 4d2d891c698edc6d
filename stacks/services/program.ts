import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { SERVICES, validateCatalog, type ServiceSpec } from "../../shared/catalog";
import { FargateService } from "../../shared/components/fargate-service";
import { PublicLoadBalancer } from "../../shared/components/load-balancer";
import { upstreamStackOverride } from "../../shared/config/common";
import { PulumiConfigSource } from "../../shared/config/schema";
import { parseServicesConfig } from "../../shared/config/services";
import type { Exports } from "../../shared/contracts/contract";
import { foundationContract } from "../../shared/contracts/foundation";
import { deployCommand, UpstreamStack } from "../../shared/contracts/reader";
import { secretsContract } from "../../shared/contracts/secrets";
import type { ServicesOutputs } from "../../shared/contracts/services";
import { isProductionLike } from "../../shared/environment";
import { NAME_LIMITS, Namer } from "../../shared/naming";
import { createLayerProvider } from "../../shared/provider";

/** The services layer: ECS cluster, and per service a repository, roles, logs, task definition, service and (public ones) a load balancer. */
export async function services(catalog: readonly ServiceSpec[] = SERVICES): Promise<Exports<ServicesOutputs>> {
    const source = new PulumiConfigSource();
    const foundation = await UpstreamStack.open(foundationContract, "services", upstreamStackOverride("services", "foundation", source));
    const secrets = await UpstreamStack.open(secretsContract, "services", upstreamStackOverride("services", "secrets", source));
    const env = foundation.value("environment");
    const config = parseServicesConfig(source, env.class, secrets.value("appProfile"), catalog);

    // The upstream stacks must know every service of the catalog (a new row needs all layers redeployed).
    const problems = validateCatalog(catalog);
    const taskGroups = foundation.value("taskSecurityGroupIds");
    const albGroups = foundation.value("albSecurityGroupIds");
    const secretArns = secrets.value("secretArns");
    const secretKeys = secrets.value("secretKeys");
    for (const s of catalog) {
        if (taskGroups[s.name] === undefined || (s.public && albGroups[s.name] === undefined)) {
            problems.push(`foundation stack ${foundation.stackName} has no security groups for service ${s.name}; run ${deployCommand("foundation", pulumi.getStack())}`);
        }
        if (secretArns[s.name] === undefined || secretKeys[s.name] === undefined) {
            problems.push(`secrets stack ${secrets.stackName} has no secret for service ${s.name}; run ${deployCommand("secrets", pulumi.getStack())}`);
        }
    }
    if (problems.length > 0) {
        throw new pulumi.RunError(`the services layer cannot deploy the service catalog:\n  - ${problems.join("\n  - ")}`);
    }

    const provider = createLayerProvider(env, "services");
    const names = new Namer({ app: env.app, env: env.name });
    const productionLike = isProductionLike(env.class);
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

    const out = { serviceNames: {} as Record<string, pulumi.Output<string>>, repositoryUrls: {} as Record<string, pulumi.Output<string>>, images: {} as Record<string, pulumi.Output<string | null>> };
    for (const s of catalog) {
        const environment = Object.fromEntries(
            Object.entries(s.environment({ settings: config.settings, profile: secrets.value("appProfile"), urls, billingEnabled: config.billingEnabled })).filter(
                (entry): entry is [string, pulumi.Input<string>] => entry[1] !== undefined,
            ),
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
        loadBalancerDnsNames: pulumi.output(Object.fromEntries(Object.entries(loadBalancers).map(([k, lb]) => [k, lb.dnsName]))),
        serviceUrls: pulumi.output(urls),
    };
}
