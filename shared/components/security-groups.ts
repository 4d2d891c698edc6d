import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { ServiceSpec } from "../catalog";
import type { ExternalDatabase } from "../connections";
import type { Namer } from "../naming";
import { ruleName, securityGroupRoles, securityGroupRules, type SecurityGroupRole } from "../network-plan";

/** Arguments of {@link ServiceSecurityGroups}. */
export interface ServiceSecurityGroupsArgs {
    /** VPC the groups belong to. */
    vpcId: pulumi.Input<string>;
    /** The service catalog; one task group per service, one ALB group per public service, rules from its connections. */
    services: readonly ServiceSpec[];
    /** Extra IPv4 blocks admitted to Postgres. Default: none. */
    dbAllowedCidrs?: readonly string[];
    /** A database outside the VPC's groups that database connections may also reach. Default: none. */
    externalDatabase?: ExternalDatabase | null;
    /** Physical names of the environment. */
    names: Namer;
}

/**
 * Every security group of the system, with only standalone rules (never inline `ingress` /
 * `egress` blocks, which would fight the standalone rules on every update). A group with no
 * egress rule sends nothing: AWS's default allow-all egress is removed when the group is created.
 */
export class ServiceSecurityGroups extends pulumi.ComponentResource {
    /** Group id by role (`gateway-alb`, `gateway-task`, `redis`, ...). */
    readonly ids: Record<string, pulumi.Output<string>> = {};

    constructor(name: string, args: ServiceSecurityGroupsArgs, opts?: pulumi.ComponentResourceOptions) {
        super("proliferate:foundation:ServiceSecurityGroups", name, {}, opts);
        const groups = new Map<SecurityGroupRole, aws.ec2.SecurityGroup>();
        for (const role of securityGroupRoles(args.services)) {
            const sg = new aws.ec2.SecurityGroup(
                `${name}-${role}`,
                {
                    // A prefix, not a fixed name: AWS adds a suffix, so a replacement can be created before the old group is deleted.
                    namePrefix: `${args.names.name(role, 200)}-`,
                    description: `${role} (managed by Pulumi)`,
                    vpcId: args.vpcId,
                    revokeRulesOnDelete: true,
                    // The policy pack admits internet ingress only on groups tagged as load balancers.
                    tags: {
                        Name: args.names.name(role, 255),
                        "proliferate:role": role.endsWith("-alb")
                            ? "load-balancer"
                            : role.endsWith("-task")
                              ? "task"
                              : "data-store",
                    },
                },
                { parent: this },
            );
            groups.set(role, sg);
            this.ids[role] = sg.id;
        }
        const groupId = (role: SecurityGroupRole): pulumi.Output<string> => {
            const sg = groups.get(role);
            if (!sg) {
                throw new Error(`security group rule refers to unknown group ${role}`);
            }
            return sg.id;
        };

        for (const rule of securityGroupRules(args.services, args.dbAllowedCidrs ?? [], args.externalDatabase)) {
            const common = {
                securityGroupId: groupId(rule.group),
                ipProtocol: "tcp",
                fromPort: rule.port,
                toPort: rule.port,
                description: rule.description,
                ...("securityGroup" in rule.peer
                    ? { referencedSecurityGroupId: groupId(rule.peer.securityGroup) }
                    : "cidrIpv4" in rule.peer
                      ? { cidrIpv4: rule.peer.cidrIpv4 }
                      : { cidrIpv6: rule.peer.cidrIpv6 }),
            };
            if (rule.direction === "ingress") {
                new aws.vpc.SecurityGroupIngressRule(`${name}-${ruleName(rule)}`, common, { parent: this });
            } else {
                new aws.vpc.SecurityGroupEgressRule(`${name}-${ruleName(rule)}`, common, { parent: this });
            }
        }
        this.registerOutputs({ ids: this.ids });
    }
}
