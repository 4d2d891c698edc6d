import { ACCOUNT_ID } from "../../sim/account";
import { addressAt, parseBlock } from "../../sim/cidr";
import { SimulatedAwsError } from "../../sim/errors";
import { digits, ec2Id } from "../../sim/ids";
import { T } from "../../sim/types";
import { str, type Props } from "../../sim/values";
import { ec2Arn, vpcOf } from "./network";
import { findWhere, mustFind, required, type ResourceSpec, type SimContext } from "./spec";

// EC2 routing: the internet gateway, NAT gateways with their Elastic IPs, route tables and routes
// the awsx VPC component creates.

const internetGateway: ResourceSpec = {
    create(inputs, ctx) {
        const vpcId = str(inputs, "vpcId");
        if (vpcId !== undefined) vpcOf(ctx, vpcId);
        const id = ec2Id("igw");
        return { id, computed: { arn: ec2Arn(ctx, "internet-gateway", id), ownerId: ACCOUNT_ID } };
    },
};

let publicIpCounter = 0;

const eip: ResourceSpec = {
    create(_inputs, ctx) {
        const id = ec2Id("eipalloc");
        // TEST-NET-2 (RFC 5737): documentation addresses that can never be a real host.
        const publicIp = `198.51.100.${(publicIpCounter++ % 250) + 1}`;
        return {
            id,
            computed: {
                allocationId: id,
                arn: ec2Arn(ctx, "elastic-ip", id),
                domain: "vpc",
                publicIp,
                publicDns: `ec2-${publicIp.replace(/\./g, "-")}.compute-1.amazonaws.com`,
                publicIpv4Pool: "amazon",
                networkBorderGroup: ctx.region,
            },
        };
    },
};

const natGateway: ResourceSpec = {
    create(inputs, ctx) {
        const sub = mustFind(
            ctx,
            T.Subnet,
            str(inputs, "subnetId"),
            "InvalidSubnetID.NotFound",
            `The subnet ID '${str(inputs, "subnetId") ?? ""}' does not exist`,
        );
        const allocationId = str(inputs, "allocationId");
        const ip =
            allocationId === undefined
                ? undefined
                : mustFind(
                      ctx,
                      T.Eip,
                      allocationId,
                      "InvalidAllocationID.NotFound",
                      `The allocation ID '${allocationId}' does not exist`,
                  );
        if (
            allocationId !== undefined &&
            findWhere(ctx, T.NatGateway, (n) => str(n.inputs, "allocationId") === allocationId)
        ) {
            throw new SimulatedAwsError(
                "Resource.AlreadyAssociated",
                `Elastic IP address [${allocationId}] is already associated`,
            );
        }
        const id = ec2Id("nat");
        const privateIp = addressAt(parseBlock(required(sub.inputs, "cidrBlock", "ec2")), 10 + Number(digits(2)));
        return {
            id,
            computed: {
                connectivityType: "public",
                networkInterfaceId: ec2Id("eni"),
                privateIp,
                publicIp: ip ? str(ip.computed, "publicIp") : undefined,
                vpcId: str(sub.inputs, "vpcId"),
            },
        };
    },
};

const routeTable: ResourceSpec = {
    create(inputs, ctx) {
        vpcOf(ctx, str(inputs, "vpcId"));
        const id = ec2Id("rtb");
        return { id, computed: { arn: ec2Arn(ctx, "route-table", id), ownerId: ACCOUNT_ID, propagatingVgws: [] } };
    },
};

function routeTarget(ctx: SimContext, inputs: Props): void {
    const gatewayId = str(inputs, "gatewayId");
    const natGatewayId = str(inputs, "natGatewayId");
    if (gatewayId !== undefined && gatewayId !== "local")
        mustFind(
            ctx,
            T.InternetGateway,
            gatewayId,
            "InvalidGatewayID.NotFound",
            `The gateway ID '${gatewayId}' does not exist`,
        );
    if (natGatewayId !== undefined)
        mustFind(
            ctx,
            T.NatGateway,
            natGatewayId,
            "InvalidNatGatewayID.NotFound",
            `The natGateway ID '${natGatewayId}' does not exist`,
        );
}

const route: ResourceSpec = {
    create(inputs, ctx) {
        const tableId = str(inputs, "routeTableId");
        mustFind(
            ctx,
            T.RouteTable,
            tableId,
            "InvalidRouteTableID.NotFound",
            `The routeTable ID '${tableId ?? ""}' does not exist`,
        );
        const destination =
            str(inputs, "destinationCidrBlock") ??
            str(inputs, "destinationIpv6CidrBlock") ??
            str(inputs, "destinationPrefixListId") ??
            "";
        if (
            findWhere(
                ctx,
                T.Route,
                (r) =>
                    str(r.inputs, "routeTableId") === tableId &&
                    (str(r.inputs, "destinationCidrBlock") ?? str(r.inputs, "destinationIpv6CidrBlock")) ===
                        destination,
            )
        ) {
            throw new SimulatedAwsError("RouteAlreadyExists", `The route identified by ${destination} already exists.`);
        }
        routeTarget(ctx, inputs);
        return { id: `r-${tableId ?? ""}${digits(10)}`, computed: { origin: "CreateRoute", state: "active" } };
    },
    update(old, news, ctx) {
        routeTarget(ctx, news);
        return old.computed;
    },
};

const routeTableAssociation: ResourceSpec = {
    create(inputs, ctx) {
        const subnetId = str(inputs, "subnetId");
        const tableId = str(inputs, "routeTableId");
        mustFind(
            ctx,
            T.RouteTable,
            tableId,
            "InvalidRouteTableID.NotFound",
            `The routeTable ID '${tableId ?? ""}' does not exist`,
        );
        if (subnetId !== undefined) {
            mustFind(ctx, T.Subnet, subnetId, "InvalidSubnetID.NotFound", `The subnet ID '${subnetId}' does not exist`);
            if (findWhere(ctx, T.RouteTableAssociation, (a) => str(a.inputs, "subnetId") === subnetId)) {
                throw new SimulatedAwsError(
                    "Resource.AlreadyAssociated",
                    `the specified association for route table ${tableId ?? ""} conflicts with an existing association`,
                );
            }
        }
        return { id: ec2Id("rtbassoc"), computed: {} };
    },
};

/** Specs of the EC2 gateway and routing types, by type token. */
export const ROUTING_SPECS: Record<string, ResourceSpec> = {
    [T.InternetGateway]: internetGateway,
    [T.Eip]: eip,
    [T.NatGateway]: natGateway,
    [T.RouteTable]: routeTable,
    [T.Route]: route,
    [T.RouteTableAssociation]: routeTableAssociation,
};
