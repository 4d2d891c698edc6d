import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { ConstructResult } from "@pulumi/pulumi/provider";
import {
    creationOrder,
    needsNatGateway,
    planSubnets,
    resolvedLayout,
    type PlannedSubnet,
    type SubnetSpecInput,
} from "./subnet-layout";

// `construct` of awsx:ec2:Vpc in the simulated awsx plugin: the same child resources, names and
// parent chain as awsx's own ec2/vpc.ts, registered through the Pulumi SDK inside this process so
// the engine creates them with the (simulated) aws provider the program passed down.

/** A layout-driving input must be a plain value: the plan decides which resources exist. */
function plainInput<T>(inputs: pulumi.Inputs, key: string): T | undefined {
    const v: unknown = inputs[key];
    if (pulumi.Output.isInstance(v)) {
        throw new Error(
            `[simulated AWS] awsx:ec2:Vpc input ${key} must be a plain value (not an Output): it decides which subnets exist`,
        );
    }
    return v as T | undefined;
}

async function zonesFor(inputs: pulumi.Inputs, parent: pulumi.Resource): Promise<string[]> {
    const names = plainInput<string[]>(inputs, "availabilityZoneNames");
    const count = plainInput<number>(inputs, "numberOfAvailabilityZones");
    if (names && count !== undefined)
        throw new Error("Only one of [availabilityZoneNames] and [numberOfAvailabilityZones] can be specified");
    if (names) return names;
    const desired = count ?? 3;
    const zones = await aws.getAvailabilityZones(undefined, { parent });
    if (zones.names.length < desired)
        throw new Error(
            `The configured region for this provider does not have at least ${desired} Availability Zones.`,
        );
    return zones.names.slice(0, desired);
}

/** The component as this process registers it (the engine matches it to the program's awsx.ec2.Vpc). */
class SimulatedVpc extends pulumi.ComponentResource {
    constructor(name: string, options: pulumi.ComponentResourceOptions) {
        super("awsx:ec2:Vpc", name, {}, options);
    }

    /** Records the outputs on the component itself, as awsx does. */
    publish(outputs: pulumi.Inputs): void {
        this.registerOutputs(outputs);
    }
}

/** Builds the VPC component and returns its URN and the outputs awsx declares for it. */
export async function constructVpc(
    name: string,
    inputs: pulumi.Inputs,
    options: pulumi.ComponentResourceOptions,
): Promise<ConstructResult> {
    const component = new SimulatedVpc(name, options);
    const azs = await zonesFor(inputs, component);
    const cidrBlock = plainInput<string>(inputs, "cidrBlock") ?? "10.0.0.0/16";
    const specs = plainInput<SubnetSpecInput[]>(inputs, "subnetSpecs");
    const azMask = plainInput<number>(inputs, "availabilityZoneCidrMask");
    const strategy = plainInput<{ strategy?: string }>(inputs, "natGateways")?.strategy ?? "OnePerAz";
    const plan = planSubnets(name, cidrBlock, azs, specs, azMask).sort(creationOrder);
    if (
        strategy.toLowerCase() !== "none" &&
        !(plan.some((s) => s.type === "Public") && plan.some((s) => s.type === "Private"))
    ) {
        throw new Error(
            "If NAT Gateway strategy is 'OnePerAz' or 'Single', both private and public subnets must be declared.",
        );
    }
    const tags = pulumi.output(inputs["tags"] as pulumi.Input<Record<string, string>> | undefined);
    const sharedTags = tags.apply((t) => ({ Name: name, ...(t ?? {}) }));

    const vpc = new aws.ec2.Vpc(
        name,
        {
            cidrBlock,
            enableDnsHostnames: inputs["enableDnsHostnames"] as pulumi.Input<boolean> | undefined,
            enableDnsSupport: inputs["enableDnsSupport"] as pulumi.Input<boolean> | undefined,
            instanceTenancy: inputs["instanceTenancy"] as pulumi.Input<string> | undefined,
            assignGeneratedIpv6CidrBlock: inputs["assignGeneratedIpv6CidrBlock"] as pulumi.Input<boolean> | undefined,
            tags: sharedTags,
        },
        { parent: component },
    );
    // awsx always creates the internet gateway: it is free, and conditional resources complicate the code.
    const igw = new aws.ec2.InternetGateway(
        name,
        { vpcId: vpc.id, tags: sharedTags },
        { parent: vpc, dependsOn: [vpc] },
    );

    const made = {
        subnets: [] as aws.ec2.Subnet[],
        routeTables: [] as aws.ec2.RouteTable[],
        routes: [] as aws.ec2.Route[],
        associations: [] as aws.ec2.RouteTableAssociation[],
        natGateways: [] as aws.ec2.NatGateway[],
        eips: [] as aws.ec2.Eip[],
    };
    const byType = {
        Public: [] as aws.ec2.Subnet[],
        Private: [] as aws.ec2.Subnet[],
        Isolated: [] as aws.ec2.Subnet[],
    };
    for (const spec of plan) {
        const subnet = subnetWithRouting(name, spec, vpc, igw, strategy, made, tags);
        if (spec.type !== "Unused") byType[spec.type].push(subnet);
    }

    const ids = (list: aws.ec2.Subnet[]) => pulumi.all(list.map((s) => s.id));
    const state = {
        vpc,
        vpcId: vpc.id,
        subnets: made.subnets,
        publicSubnets: byType.Public,
        privateSubnets: byType.Private,
        isolatedSubnets: byType.Isolated,
        publicSubnetIds: ids(byType.Public),
        privateSubnetIds: ids(byType.Private),
        isolatedSubnetIds: ids(byType.Isolated),
        routeTables: made.routeTables,
        routes: made.routes,
        routeTableAssociations: made.associations,
        internetGateway: igw,
        natGateways: made.natGateways,
        eips: made.eips,
        subnetLayout: resolvedLayout(specs, cidrBlock, azs.length, azMask),
        vpcEndpoints: [] as aws.ec2.VpcEndpoint[],
    };
    component.publish(state);
    return { urn: component.urn, state };
}

type Made = {
    subnets: aws.ec2.Subnet[];
    routeTables: aws.ec2.RouteTable[];
    routes: aws.ec2.Route[];
    associations: aws.ec2.RouteTableAssociation[];
    natGateways: aws.ec2.NatGateway[];
    eips: aws.ec2.Eip[];
};

/** One subnet with its route table, association, route and (public subnets, per strategy) EIP + NAT. */
function subnetWithRouting(
    vpcName: string,
    spec: PlannedSubnet,
    vpc: aws.ec2.Vpc,
    igw: aws.ec2.InternetGateway,
    strategy: string,
    made: Made,
    tags: pulumi.Output<Record<string, string> | undefined>,
): aws.ec2.Subnet {
    const subnetTags = tags.apply((t) => ({
        ...(t ?? {}),
        ...(spec.tags ?? {}),
        Name: spec.subnetName,
        SubnetType: spec.type,
    }));
    const subnet = new aws.ec2.Subnet(
        spec.subnetName,
        {
            vpcId: vpc.id,
            availabilityZone: spec.azName,
            mapPublicIpOnLaunch: spec.type === "Public",
            cidrBlock: spec.cidrBlock,
            tags: subnetTags,
        },
        { parent: vpc, dependsOn: [vpc] },
    );
    made.subnets.push(subnet);
    const routeTable = new aws.ec2.RouteTable(
        spec.subnetName,
        { vpcId: vpc.id, tags: tags.apply((t) => ({ ...(t ?? {}), Name: spec.subnetName, SubnetType: spec.type })) },
        { parent: subnet, dependsOn: [subnet] },
    );
    made.routeTables.push(routeTable);
    made.associations.push(
        new aws.ec2.RouteTableAssociation(
            spec.subnetName,
            { routeTableId: routeTable.id, subnetId: subnet.id },
            { parent: routeTable, dependsOn: [routeTable] },
        ),
    );

    if (spec.type === "Public" && needsNatGateway(strategy, made.natGateways.length, spec.azIndex)) {
        const natName = `${vpcName}-${spec.azIndex + 1}`;
        const eip = new aws.ec2.Eip(
            natName,
            { domain: "vpc", tags: tags.apply((t) => ({ ...(t ?? {}), Name: natName })) },
            { parent: subnet, dependsOn: [subnet] },
        );
        made.eips.push(eip);
        made.natGateways.push(
            new aws.ec2.NatGateway(
                natName,
                {
                    subnetId: subnet.id,
                    allocationId: eip.allocationId,
                    tags: tags.apply((t) => ({ ...(t ?? {}), Name: natName })),
                },
                { parent: subnet, dependsOn: [subnet] },
            ),
        );
    }
    if (spec.type === "Public") {
        made.routes.push(
            new aws.ec2.Route(
                spec.subnetName,
                { routeTableId: routeTable.id, gatewayId: igw.id, destinationCidrBlock: "0.0.0.0/0" },
                { parent: routeTable, dependsOn: [routeTable] },
            ),
        );
    } else if (spec.type === "Private" && strategy.toLowerCase() !== "none") {
        const nat = strategy.toLowerCase() === "single" ? made.natGateways[0] : made.natGateways[spec.azIndex];
        if (!nat) throw new Error(`[simulated AWS] no NAT gateway planned for ${spec.subnetName}`);
        made.routes.push(
            new aws.ec2.Route(
                spec.subnetName,
                { routeTableId: routeTable.id, natGatewayId: nat.id, destinationCidrBlock: "0.0.0.0/0" },
                { parent: routeTable, dependsOn: [routeTable] },
            ),
        );
    }
    return subnet;
}
