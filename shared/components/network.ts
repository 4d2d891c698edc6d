import * as aws from "@pulumi/aws";
import * as awsx from "@pulumi/awsx";
import * as pulumi from "@pulumi/pulumi";
import { parseIpv4Cidr, type Ipv4Cidr } from "../config/formats";
import { NAME_LIMITS, type Namer } from "../naming";
import { subnetMasks } from "../network-plan";

/** Arguments of {@link Network}. */
export interface NetworkArgs {
    /** VPC IPv4 CIDR block, e.g. `10.0.0.0/16`. */
    cidrBlock: string;
    /** Availability zones to use, in order (2-3). */
    availabilityZones: string[];
    /** `perAz`: a NAT gateway per AZ (HA); `single`: one for the VPC. */
    natGateways: "perAz" | "single";
    /** VPC flow logs to CloudWatch Logs, with this retention in days; undefined turns them off. */
    flowLogRetentionDays?: number;
    /** AWS region, for the S3 endpoint service name. */
    region: string;
    /** Physical names of the environment. */
    names: Namer;
}

/**
 * The VPC: public and private subnets in each AZ, internet gateway, NAT, routes (all from
 * awsx.ec2.Vpc), plus what awsx does not do: the default security group emptied, an S3 gateway
 * endpoint, and flow logs.
 */
export class Network extends pulumi.ComponentResource {
    /** VPC id. */
    readonly vpcId: pulumi.Output<string>;
    /** Public subnet ids, one per AZ. */
    readonly publicSubnetIds: pulumi.Output<string[]>;
    /** Private subnet ids, one per AZ. */
    readonly privateSubnetIds: pulumi.Output<string[]>;
    /** Flow log group name, or null when flow logs are off. */
    readonly flowLogGroupName: pulumi.Output<string | null>;

    constructor(name: string, args: NetworkArgs, opts?: pulumi.ComponentResourceOptions) {
        super("proliferate:foundation:Network", name, {}, opts);
        const cidr = parseIpv4Cidr(args.cidrBlock) as Ipv4Cidr;
        const masks = subnetMasks(cidr.prefix, args.availabilityZones.length);

        const vpc = new awsx.ec2.Vpc(
            `${name}-vpc`,
            {
                cidrBlock: args.cidrBlock,
                availabilityZoneNames: args.availabilityZones,
                availabilityZoneCidrMask: masks.availabilityZone,
                subnetStrategy: "Auto",
                subnetSpecs: [
                    { type: "Private", name: "private", cidrMask: masks.private },
                    { type: "Public", name: "public", cidrMask: masks.public },
                ],
                natGateways: { strategy: args.natGateways === "perAz" ? "OnePerAz" : "Single" },
                enableDnsHostnames: true,
                enableDnsSupport: true,
                tags: { Name: args.names.name("vpc", 255) },
            },
            { parent: this },
        );
        this.vpcId = vpc.vpcId;
        this.publicSubnetIds = vpc.publicSubnetIds;
        this.privateSubnetIds = vpc.privateSubnetIds;

        // Security Hub EC2.2: the default security group must have no rules. Adopting it with no
        // rules strips the ones AWS creates, so nothing attached to it by mistake gets traffic.
        new aws.ec2.DefaultSecurityGroup(
            `${name}-default-sg`,
            { vpcId: vpc.vpcId, tags: { Name: args.names.name("default-deny", 255) } },
            { parent: this },
        );

        // Gateway endpoints are free; this one keeps ECR image-layer pulls (served from S3) off the NAT.
        new aws.ec2.VpcEndpoint(
            `${name}-s3`,
            {
                vpcId: vpc.vpcId,
                serviceName: `com.amazonaws.${args.region}.s3`,
                vpcEndpointType: "Gateway",
                routeTableIds: vpc.routeTables.apply((tables) => pulumi.all(tables.map((t) => t.id))),
                tags: { Name: args.names.name("s3-endpoint", 255) },
            },
            { parent: this },
        );

        this.flowLogGroupName =
            args.flowLogRetentionDays === undefined
                ? pulumi.output(null)
                : this.createFlowLogs(name, vpc.vpcId, args.flowLogRetentionDays, args.names);

        this.registerOutputs({
            vpcId: this.vpcId,
            publicSubnetIds: this.publicSubnetIds,
            privateSubnetIds: this.privateSubnetIds,
            flowLogGroupName: this.flowLogGroupName,
        });
    }

    private createFlowLogs(
        name: string,
        vpcId: pulumi.Output<string>,
        retentionDays: number,
        names: Namer,
    ): pulumi.Output<string> {
        const group = new aws.cloudwatch.LogGroup(
            `${name}-flow-logs`,
            { name: `/vpc/${names.name("flow-logs", NAME_LIMITS.logGroup - 5)}`, retentionInDays: retentionDays },
            { parent: this },
        );
        const role = new aws.iam.Role(
            `${name}-flow-logs`,
            {
                name: names.name("vpc-flow-logs", NAME_LIMITS.iamRole),
                assumeRolePolicy: JSON.stringify({
                    Version: "2012-10-17",
                    Statement: [
                        {
                            Effect: "Allow",
                            Principal: { Service: "vpc-flow-logs.amazonaws.com" },
                            Action: "sts:AssumeRole",
                        },
                    ],
                }),
            },
            { parent: this },
        );
        // Only the actions flow log delivery needs, on this log group only.
        new aws.iam.RolePolicy(
            `${name}-flow-logs`,
            {
                role: role.id,
                policy: pulumi.jsonStringify({
                    Version: "2012-10-17",
                    Statement: [
                        {
                            Effect: "Allow",
                            Action: ["logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogStreams"],
                            Resource: pulumi.interpolate`${group.arn}:*`,
                        },
                    ],
                }),
            },
            { parent: this },
        );
        new aws.ec2.FlowLog(
            `${name}-flow-logs`,
            {
                vpcId,
                trafficType: "ALL",
                logDestinationType: "cloud-watch-logs",
                logDestination: group.arn,
                iamRoleArn: role.arn,
                maxAggregationInterval: 60,
            },
            { parent: this },
        );
        return group.name;
    }
}
