import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { SERVICES, validateCatalog, type ServiceSpec } from "../../shared/catalog";
import { Network } from "../../shared/components/network";
import { ServiceSecurityGroups } from "../../shared/components/security-groups";
import { parseFoundationConfig } from "../../shared/config/foundation";
import { PulumiConfigSource } from "../../shared/config/source";
import type { Exports } from "../../shared/contracts/contract";
import type { FoundationOutputs } from "../../shared/contracts/foundation";
import { layerEnvironment, type LayerProgramOptions } from "../../shared/open-layer";

/** The foundation layer: network and every security group. Returns the stack outputs. */
export async function foundation(options: LayerProgramOptions = {}): Promise<Exports<FoundationOutputs>> {
    const services = options.catalog ?? SERVICES;
    // The first layer reads no upstream: its own config holds the environment settings every layer uses.
    const config = parseFoundationConfig(new PulumiConfigSource());
    const catalogProblems = validateCatalog(services);
    if (catalogProblems.length > 0) {
        throw new pulumi.RunError(
            `the service catalog (shared/catalog.ts) is invalid:\n  - ${catalogProblems.join("\n  - ")}`,
        );
    }
    const { env, provider, names } = layerEnvironment("foundation", config.env);

    // Only zones every account has (no opt-in Local/Wavelength zones), first N in name order.
    const zones = await aws.getAvailabilityZones(
        { state: "available", filters: [{ name: "opt-in-status", values: ["opt-in-not-required"] }] },
        { provider },
    );
    const availabilityZones = [...zones.names].sort().slice(0, config.availabilityZoneCount);
    if (availabilityZones.length < config.availabilityZoneCount) {
        throw new pulumi.RunError(
            `${env.region} has ${availabilityZones.length} availability zones available; ${config.availabilityZoneCount} were asked for.\n` +
                `  fix: pulumi config set proliferate-foundation:availabilityZoneCount ${Math.max(2, availabilityZones.length)}`,
        );
    }

    const network = new Network(
        "network",
        {
            cidrBlock: config.vpcCidr,
            availabilityZones,
            natGateways: config.natGateways,
            flowLogRetentionDays: config.flowLogsEnabled ? config.flowLogsRetentionDays : undefined,
            region: env.region,
            names,
        },
        { providers: [provider] },
    );
    const groups = new ServiceSecurityGroups(
        "security-groups",
        {
            vpcId: network.vpcId,
            services,
            dbAllowedCidrs: config.dbAllowedCidrs,
            externalDatabase: config.externalDatabase,
            names,
        },
        { providers: [provider] },
    );

    const byService = (suffix: "alb" | "task", list: readonly ServiceSpec[]) =>
        pulumi.all(
            Object.fromEntries(list.map((s) => [s.name, groups.ids[`${s.name}-${suffix}`] as pulumi.Output<string>])),
        );

    return {
        environment: env,
        vpcId: network.vpcId,
        vpcCidr: config.vpcCidr,
        availabilityZones,
        publicSubnetIds: network.publicSubnetIds,
        privateSubnetIds: network.privateSubnetIds,
        albSecurityGroupIds: byService(
            "alb",
            services.filter((s) => s.public),
        ),
        taskSecurityGroupIds: byService("task", services),
        redisSecurityGroupId: groups.ids["redis"] as pulumi.Output<string>,
        postgresSecurityGroupId: groups.ids["postgres"] as pulumi.Output<string>,
        flowLogGroupName: network.flowLogGroupName,
        externalDatabase: config.externalDatabase,
    };
}
