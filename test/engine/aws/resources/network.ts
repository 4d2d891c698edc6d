import { ACCOUNT_ID, type StoredResource } from "../../sim/account";
import { parseBlock } from "../../sim/cidr";
import { ensure, SimulatedAwsError } from "../../sim/errors";
import { arn, ec2Id } from "../../sim/ids";
import { availabilityZones } from "../../sim/regions";
import { checkSubnetCidr } from "../../sim/rules";
import { T } from "../../sim/types";
import { bool, isRecord, plain, str, strList } from "../../sim/values";
import { findWhere, mustFind, required, type ResourceSpec, type SimContext } from "./spec";

// EC2 networking: the VPC and subnets the awsx VPC component creates, plus the foundation layer's
// S3 endpoint and flow logs (gateways and routes: routing.ts).

/** The VPC, or EC2's not-found error. */
export function vpcOf(ctx: SimContext, vpcId: string | undefined) {
    return mustFind(ctx, T.Vpc, vpcId, "InvalidVpcID.NotFound", `The vpc ID '${vpcId ?? ""}' does not exist`);
}

/** The ARN of an EC2 object of the kind. */
export function ec2Arn(ctx: SimContext, kind: string, id: string): string {
    return arn("ec2", ctx.region, `${kind}/${id}`);
}

/** Objects that keep a VPC from being deleted (EC2 refuses with DependencyViolation). */
const VPC_CHILDREN = [T.Subnet, T.InternetGateway, T.SecurityGroup, T.RouteTable, T.VpcEndpoint];

const vpc: ResourceSpec = {
    create(inputs, ctx) {
        const cidr = required(inputs, "cidrBlock", "ec2:CreateVpc");
        const block = parseBlock(cidr);
        ensure(block.prefix >= 16 && block.prefix <= 28, "InvalidVpc.Range", `The CIDR '${cidr}' is invalid.`);
        const id = ec2Id("vpc");
        const mainRouteTable = ec2Id("rtb");
        return {
            id,
            computed: {
                arn: ec2Arn(ctx, "vpc", id),
                defaultSecurityGroupId: ec2Id("sg"),
                defaultNetworkAclId: ec2Id("acl"),
                defaultRouteTableId: mainRouteTable,
                mainRouteTableId: mainRouteTable,
                dhcpOptionsId: ec2Id("dopt"),
                enableDnsSupport: bool(inputs, "enableDnsSupport", true),
                enableDnsHostnames: bool(inputs, "enableDnsHostnames", false),
                instanceTenancy: str(inputs, "instanceTenancy") ?? "default",
                ipv6AssociationId: "",
                ownerId: ACCOUNT_ID,
            },
        };
    },
    beforeDelete(r, ctx) {
        const child = VPC_CHILDREN.map((t) => findWhere(ctx, t, (c) => str(c.inputs, "vpcId") === r.id)).find(
            (c) => c !== undefined,
        );
        if (child)
            throw new SimulatedAwsError(
                "DependencyViolation",
                `The vpc '${r.id}' has dependencies and cannot be deleted (${child.type} ${child.id}).`,
            );
    },
};

/** Subnets of subnet groups a live database or cache uses (RDS and ElastiCache put their ENIs there). */
function subnetGroupInUse(
    ctx: SimContext,
    groupType: string,
    userType: string,
    userKey: string,
    subnetId: string,
): StoredResource | undefined {
    return findWhere(ctx, userType, (user) => {
        const group = findWhere(ctx, groupType, (g) => g.id === str(user.inputs, userKey));
        return group !== undefined && strList(group.inputs, "subnetIds").includes(subnetId);
    });
}

/** Objects placing network interfaces in a subnet (EC2 refuses to delete it while they exist). */
function subnetUsers(ctx: SimContext, subnetId: string): StoredResource | undefined {
    const net = (r: StoredResource) => plain(r.inputs["networkConfiguration"]);
    return (
        findWhere(ctx, T.NatGateway, (r) => str(r.inputs, "subnetId") === subnetId) ??
        findWhere(ctx, T.LoadBalancer, (r) => strList(r.inputs, "subnets").includes(subnetId)) ??
        findWhere(ctx, T.VpcEndpoint, (r) => strList(r.inputs, "subnetIds").includes(subnetId)) ??
        findWhere(ctx, T.EcsService, (r) => {
            const n = net(r);
            return isRecord(n) && strList(n, "subnets").includes(subnetId);
        }) ??
        subnetGroupInUse(ctx, T.DbSubnetGroup, T.DbInstance, "dbSubnetGroupName", subnetId) ??
        subnetGroupInUse(ctx, T.CacheSubnetGroup, T.ReplicationGroup, "subnetGroupName", subnetId)
    );
}

const subnet: ResourceSpec = {
    create(inputs, ctx) {
        const vpcId = str(inputs, "vpcId");
        const parent = vpcOf(ctx, vpcId);
        const cidr = required(inputs, "cidrBlock", "ec2:CreateSubnet");
        const siblings = Object.values(ctx.acct.resources).filter(
            (r) => r.type === T.Subnet && str(r.inputs, "vpcId") === vpcId,
        );
        checkSubnetCidr(
            parent.id,
            required(parent.inputs, "cidrBlock", "ec2"),
            cidr,
            siblings.map((s) => required(s.inputs, "cidrBlock", "ec2")),
        );
        const zones = availabilityZones(ctx.region);
        const az = str(inputs, "availabilityZone") ?? zones[0]?.name ?? `${ctx.region}a`;
        const zone = zones.find((z) => z.name === az);
        if (!zone) {
            throw new SimulatedAwsError(
                "InvalidParameterValue",
                `Value (${az}) for parameter availabilityZone is invalid. Subnets can currently only be created in the following availability zones: ${zones.map((z) => z.name).join(", ")}.`,
            );
        }
        const id = ec2Id("subnet");
        return {
            id,
            computed: {
                arn: ec2Arn(ctx, "subnet", id),
                availabilityZone: az,
                availabilityZoneId: zone.zoneId,
                ownerId: ACCOUNT_ID,
                mapPublicIpOnLaunch: bool(inputs, "mapPublicIpOnLaunch", false),
            },
        };
    },
    beforeDelete(r, ctx) {
        const user = subnetUsers(ctx, r.id);
        if (user)
            throw new SimulatedAwsError(
                "DependencyViolation",
                `The subnet '${r.id}' has dependencies and cannot be deleted (${user.type} ${user.id}).`,
            );
    },
};

const vpcEndpoint: ResourceSpec = {
    create(inputs, ctx) {
        vpcOf(ctx, str(inputs, "vpcId"));
        const service = required(inputs, "serviceName", "ec2:CreateVpcEndpoint");
        ensure(
            service.startsWith(`com.amazonaws.${ctx.region}.`),
            "InvalidServiceName",
            `The Vpc Endpoint Service '${service}' does not exist`,
        );
        const type = str(inputs, "vpcEndpointType") ?? "Gateway";
        const id = ec2Id("vpce");
        return {
            id,
            computed: {
                arn: ec2Arn(ctx, "vpc-endpoint", id),
                vpcEndpointType: type,
                state: "available",
                ownerId: ACCOUNT_ID,
                prefixListId: type === "Gateway" ? ec2Id("pl") : undefined,
                dnsEntries: [],
                networkInterfaceIds: [],
                requesterManaged: false,
            },
        };
    },
};

const flowLog: ResourceSpec = {
    create(inputs, ctx) {
        const vpcId = str(inputs, "vpcId");
        if (vpcId !== undefined) vpcOf(ctx, vpcId);
        const destinationType = str(inputs, "logDestinationType") ?? "cloud-watch-logs";
        if (destinationType === "cloud-watch-logs") {
            ensure(
                str(inputs, "iamRoleArn") !== undefined,
                "InvalidParameter",
                "DeliverLogsPermissionArn is required for cloud-watch-logs destinations",
            );
        }
        const id = ec2Id("fl");
        return {
            id,
            computed: {
                arn: ec2Arn(ctx, "vpc-flow-log", id),
                logDestinationType: destinationType,
                logFormat:
                    "${version} ${account-id} ${interface-id} ${srcaddr} ${dstaddr} ${srcport} ${dstport} ${protocol} ${packets} ${bytes} ${start} ${end} ${action} ${log-status}",
            },
        };
    },
};

/** Specs of the EC2 networking types, by type token. */
export const NETWORK_SPECS: Record<string, ResourceSpec> = {
    [T.Vpc]: vpc,
    [T.Subnet]: subnet,
    [T.VpcEndpoint]: vpcEndpoint,
    [T.FlowLog]: flowLog,
};
