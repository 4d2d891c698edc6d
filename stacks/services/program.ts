import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { SERVICES, validateCatalog, type ServiceSpec } from "../../shared/catalog";
import { AccessLogBucket } from "../../shared/components/access-log-bucket";
import { FargateService } from "../../shared/components/fargate-service";
import { PublicLoadBalancer } from "../../shared/components/load-balancer";
import { privateUrls } from "../../shared/connections";
import { parseServicesConfig } from "../../shared/config/services";
import type { Exports } from "../../shared/contracts/contract";
import { foundationContract, type FoundationOutputs } from "../../shared/contracts/foundation";
import { readPreviousOutputs } from "../../shared/contracts/previous";
import { deployCommand, type UpstreamStack } from "../../shared/contracts/reader";
import { secretsContract, type SecretsOutputs } from "../../shared/contracts/secrets";
import { servicesContract, type ServicesOutputs } from "../../shared/contracts/services";
import { DEPLOYED_BY_ENV, IMAGE_TAG_ENV, nextImageDeployment } from "../../shared/image-deployment";
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
    const versionIds = secrets.value("secretVersionIds");
    for (const s of catalog) {
        if (taskGroups[s.name] === undefined || (s.public && albGroups[s.name] === undefined)) {
            problems.push(
                `foundation stack ${foundation.stackName} has no security groups for service ${s.name}; run ${deployCommand("foundation", pulumi.getStack())}`,
            );
        }
        if (secretArns[s.name] === undefined || secretKeys[s.name] === undefined || versionIds[s.name] === undefined) {
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

/** A service's plain environment: its catalog row's variables plus the private URL of each service it calls. */
function environmentOf(
    s: ServiceSpec,
    catalog: readonly ServiceSpec[],
    ctx: Parameters<ServiceSpec["environment"]>[0],
): Record<string, pulumi.Input<string>> {
    const own = Object.entries(s.environment(ctx)).filter(
        (entry): entry is [string, pulumi.Input<string>] => entry[1] !== undefined,
    );
    const connected = privateUrls(s, catalog);
    const clash = own.map(([k]) => k).filter((k) => k in connected);
    if (clash.length > 0) {
        throw new pulumi.RunError(
            `service ${s.name} sets ${clash.join(", ")} in its environment, but its connections set ${clash.length === 1 ? "it" : "them"} (shared/catalog.ts)`,
        );
    }
    return { ...Object.fromEntries(own), ...connected };
}

/** The services layer: ECS cluster, and per service a repository, roles, logs, task definition, service and (public ones) a load balancer. */
export async function services(options: LayerProgramOptions = {}): Promise<Exports<ServicesOutputs>> {
    const catalog = options.catalog ?? SERVICES;
    // The tag the stack runs is kept in its own outputs, not in a stack file each checkout holds a copy of.
    const previous = await readPreviousOutputs(servicesContract, ["imageTag", "imageDeployment", "images"]);
    const fromEnvironment = process.env[IMAGE_TAG_ENV];
    const { config, upstream, env, provider, names, productionLike } = await openLayer({
        layer: "services",
        upstreams: { foundation: foundationContract, secrets: secretsContract },
        parseConfig: ({ source, env, upstream }) => {
            const parsed = parseServicesConfig(source, env.class, upstream.secrets.value("appProfile"), catalog, {
                ...(fromEnvironment !== undefined ? { fromEnvironment } : {}),
                previous,
            });
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
    const secretVersionIds = secrets.value("secretVersionIds");
    const kmsKeyArn = secrets.value("kmsKeyArn") ?? undefined;

    // Service Connect instead of internal load balancers: calls go task to task inside the VPC,
    // with no hourly load balancer per called service (docs/architecture.md, "Connections").
    const namespace = new aws.servicediscovery.HttpNamespace(
        "service-connect",
        {
            name: names.name("services", 1024),
            description: `Service Connect names of the ${env.app} ${env.name} services (managed by Pulumi)`,
        },
        { provider },
    );
    const cluster = new aws.ecs.Cluster(
        "cluster",
        {
            name: names.name("cluster", NAME_LIMITS.ecs),
            settings: [{ name: "containerInsights", value: "enabled" }],
            serviceConnectDefaults: { namespace: namespace.arn },
        },
        { provider },
    );

    // One bucket for the access logs of every load balancer of the stack (Security Hub ELB.5).
    const accessLogs = config.accessLogs.enabled
        ? new AccessLogBucket(
              "access-logs",
              { expirationDays: config.accessLogs.expirationDays, productionLike, names },
              { providers: [provider] },
          )
        : undefined;

    // Load balancers first: their public URLs go into the environment (API_URL, links for users).
    const loadBalancers: Record<string, PublicLoadBalancer> = {};
    const urls: Record<string, pulumi.Output<string>> = {};
    const { certificateArn, certificateDomains, domains, hostedZoneId } = config.public;
    for (const s of catalog) {
        if (!s.public || s.port === undefined || s.healthCheckPath === undefined) continue;
        const domain = domains[s.name];
        const lb = new PublicLoadBalancer(
            s.name,
            {
                service: s.name,
                port: s.port,
                healthCheckPath: s.healthCheckPath,
                vpcId: foundation.output("vpcId"),
                subnetIds: foundation.output("publicSubnetIds"),
                securityGroupId: albGroups[s.name] as string,
                ...(certificateArn !== undefined ? { certificateArn } : {}),
                ...(certificateDomains !== undefined ? { certificateDomains } : {}),
                ...(domain !== undefined ? { domain } : {}),
                ...(hostedZoneId !== undefined ? { hostedZoneId } : {}),
                ...(accessLogs ? { accessLogs: { bucket: accessLogs.bucketName, policy: accessLogs.policy } } : {}),
                productionLike,
                names,
            },
            { providers: [provider] },
        );
        loadBalancers[s.name] = lb;
        urls[s.name] = lb.url;
    }

    const out = {
        serviceNames: {} as Record<string, pulumi.Output<string>>,
        repositoryUrls: {} as Record<string, pulumi.Output<string>>,
        images: {} as Record<string, pulumi.Output<string | null>>,
    };
    for (const s of catalog) {
        const environment = environmentOf(s, catalog, {
            settings: config.settings,
            profile: secrets.value("appProfile"),
            urls,
            billingEnabled: config.billingEnabled,
        });
        const svc = new FargateService(
            s.name,
            {
                spec: s,
                clusterArn: cluster.arn,
                size: config.sizes[s.name] ?? s.size,
                imageTag: config.images.perService[s.name],
                cpuArchitecture: config.cpuArchitecture,
                subnetIds: foundation.output("privateSubnetIds"),
                securityGroupId: taskGroups[s.name] as string,
                loadBalancer: loadBalancers[s.name],
                secretArn: secretArns[s.name] as string,
                secretVersionId: secretVersionIds[s.name] as string,
                serviceConnectNamespace: namespace.arn,
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
        imageTag: config.images.tag ?? null,
        imageDeployment: nextImageDeployment(
            config.images.tag,
            previous,
            config.images.overridden,
            process.env[DEPLOYED_BY_ENV],
            new Date(),
        ),
    };
}
