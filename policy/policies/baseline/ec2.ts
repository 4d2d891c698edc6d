import { arr, obj, ofType, refs, stackPolicy, TYPES, type ProjectPolicy, type Res } from "../../rules";

/**
 * EC2 / VPC controls of AWS Security Hub FSBP: the default security group, internet ingress, and
 * (production) flow logs.
 */

const OPEN = ["0.0.0.0/0", "::/0"];
/** Tag the project puts on security groups; load-balancer groups are the only ones open to the internet. */
export const SG_ROLE_TAG = "proliferate:role";

function tagsOf(res: Res): Record<string, string> {
    return obj(res.props["tags"]) as Record<string, string>;
}

function portRange(res: Res): [number, number] {
    return [Number(res.props["fromPort"] ?? -1), Number(res.props["toPort"] ?? -1)];
}

const webPort = ([from, to]: [number, number]) => from === to && (from === 80 || from === 443);

export const networkPolicies: ProjectPolicy[] = [
    stackPolicy({
        name: "ec2-2-default-security-group-closed",
        control: "EC2.2",
        level: "mandatory",
        why: "the VPC's default security group must allow no traffic, so nothing attached to it by mistake is reachable",
        check: (resources, fail) => {
            // On the engine an awsx Vpc component registers its aws:ec2 Vpc child; under mocks only the
            // component exists. Count the real VPCs when there are any, the components otherwise.
            const ec2Vpcs = ofType(resources, "aws:ec2/vpc:Vpc");
            const vpcs = ec2Vpcs.length > 0 ? ec2Vpcs : ofType(resources, TYPES.awsxVpc);
            const defaults = ofType(resources, "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup");
            for (const sg of defaults) {
                if (arr(sg.props["ingress"]).length > 0 || arr(sg.props["egress"]).length > 0) {
                    fail(sg, "the default security group has rules", "remove its ingress and egress blocks");
                }
            }
            if (vpcs.length > defaults.length) {
                fail(
                    vpcs[0] as Res,
                    "the VPC's default security group is not managed, so AWS's default allow rules stay",
                    "adopt it with an aws.ec2.DefaultSecurityGroup that has no rules",
                );
            }
        },
    }),
    stackPolicy({
        name: "ec2-18-19-no-unrestricted-ingress",
        control: "EC2.18/EC2.19",
        level: "mandatory",
        why: "only load balancer groups may admit the internet, and only on 80 and 443",
        check: (resources, fail) => {
            for (const rule of [
                ...ofType(resources, "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule"),
                ...ofType(resources, "aws:ec2/securityGroupRule:SecurityGroupRule"),
            ]) {
                if (rule.type === "aws:ec2/securityGroupRule:SecurityGroupRule" && rule.props["type"] !== "ingress")
                    continue;
                const cidrs = [
                    rule.props["cidrIpv4"],
                    rule.props["cidrIpv6"],
                    ...arr(rule.props["cidrBlocks"]),
                    ...arr(rule.props["ipv6CidrBlocks"]),
                ];
                if (!cidrs.some((c) => OPEN.includes(String(c)))) continue;
                const group = refs(rule, "securityGroupId")[0];
                if (!webPort(portRange(rule))) {
                    fail(
                        rule,
                        `admits the whole internet on ports ${portRange(rule).join("-")}`,
                        "admit a named security group or a specific CIDR; only ALB groups take 80/443 from anywhere",
                    );
                } else if (!group || tagsOf(group)[SG_ROLE_TAG] !== "load-balancer") {
                    fail(
                        rule,
                        "admits the whole internet on a group that is not a load balancer group",
                        `open 80/443 only on ALB groups (tag ${SG_ROLE_TAG}=load-balancer)`,
                    );
                }
            }
            for (const sg of ofType(resources, "aws:ec2/securityGroup:SecurityGroup")) {
                for (const inline of arr(sg.props["ingress"]) as Array<Record<string, unknown>>) {
                    const cidrs = [...arr(inline["cidrBlocks"]), ...arr(inline["ipv6CidrBlocks"])].map(String);
                    if (
                        cidrs.some((c) => OPEN.includes(c)) &&
                        (!webPort([Number(inline["fromPort"]), Number(inline["toPort"])]) ||
                            tagsOf(sg)[SG_ROLE_TAG] !== "load-balancer")
                    ) {
                        fail(
                            sg,
                            "has an inline rule open to the internet",
                            "use standalone rules; only ALB groups take 80/443 from anywhere",
                        );
                    }
                }
            }
        },
    }),
];

/** Whether a VPC-owning stack has flow logs (production); kept here because it is a network control. */
export const flowLogPolicy: ProjectPolicy = stackPolicy({
    name: "ec2-6-vpc-flow-logs",
    control: "EC2.6",
    level: "mandatory",
    scope: "production",
    why: "flow logs are the record of who talked to what, needed after an incident",
    check: (resources, fail) => {
        const vpcs = [...ofType(resources, "aws:ec2/vpc:Vpc"), ...ofType(resources, TYPES.awsxVpc)];
        if (vpcs.length > 0 && ofType(resources, "aws:ec2/flowLog:FlowLog").length === 0)
            fail(
                vpcs[0] as Res,
                "has no flow logs",
                "turn on proliferate-foundation:flowLogsEnabled (an aws.ec2.FlowLog to CloudWatch Logs)",
            );
    },
});
