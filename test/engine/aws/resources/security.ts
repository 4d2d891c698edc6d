import { ACCOUNT_ID } from "../../sim/account";
import { SimulatedAwsError } from "../../sim/errors";
import { arn, ec2Id, upperAlnum } from "../../sim/ids";
import { checkSecurityGroupDeletable } from "../../sim/rules";
import { T } from "../../sim/types";
import { num, plain, str, type Props } from "../../sim/values";
import { ensureUnique, findWhere, mustFind, nameOrPrefix, required, type ResourceSpec, type SimContext } from "./spec";

// Security groups with their standalone rules, and IAM roles with inline policies.

function groupOf(ctx: SimContext, id: string | undefined) {
    return mustFind(
        ctx,
        T.SecurityGroup,
        id,
        "InvalidGroup.NotFound",
        `The security group '${id ?? ""}' does not exist`,
    );
}

const securityGroup: ResourceSpec = {
    autoname: { property: "name", maxLength: 255, prefixProperty: "namePrefix" },
    create(inputs, ctx) {
        const vpcId = str(inputs, "vpcId");
        mustFind(ctx, T.Vpc, vpcId, "InvalidVpcID.NotFound", `The vpc ID '${vpcId ?? ""}' does not exist`);
        const name = nameOrPrefix(inputs) ?? required(inputs, "name", "ec2:CreateSecurityGroup");
        if (
            findWhere(ctx, T.SecurityGroup, (g) => str(g.inputs, "vpcId") === vpcId && str(g.computed, "name") === name)
        ) {
            throw new SimulatedAwsError(
                "InvalidGroup.Duplicate",
                `The security group '${name}' already exists for VPC '${vpcId ?? ""}'`,
            );
        }
        const id = ec2Id("sg");
        return {
            id,
            computed: {
                name,
                arn: arn("ec2", ctx.region, `security-group/${id}`),
                ownerId: ACCOUNT_ID,
                description: str(inputs, "description") ?? "Managed by Pulumi",
            },
        };
    },
    beforeDelete(r, ctx) {
        checkSecurityGroupDeletable(ctx.acct, r.id);
    },
};

/** Adopting the VPC's default group: its id comes from the VPC, and deleting only forgets it. */
const defaultSecurityGroup: ResourceSpec = {
    create(inputs, ctx) {
        const vpc = mustFind(
            ctx,
            T.Vpc,
            str(inputs, "vpcId"),
            "InvalidVpcID.NotFound",
            `The vpc ID '${str(inputs, "vpcId") ?? ""}' does not exist`,
        );
        const id = str(vpc.computed, "defaultSecurityGroupId") ?? ec2Id("sg");
        return {
            id,
            computed: {
                name: "default",
                description: "default VPC security group",
                arn: arn("ec2", ctx.region, `security-group/${id}`),
                ownerId: ACCOUNT_ID,
            },
        };
    },
};

/** The identity of a rule: EC2 refuses a second rule with the same group, direction, ports and peer. */
function ruleKey(type: string, i: Props): string {
    return [
        type,
        "securityGroupId",
        "ipProtocol",
        "fromPort",
        "toPort",
        "cidrIpv4",
        "cidrIpv6",
        "referencedSecurityGroupId",
        "prefixListId",
    ]
        .map((k) => JSON.stringify(plain(i[k]) ?? null))
        .join("|");
}

function securityGroupRule(type: string): ResourceSpec {
    return {
        create(inputs, ctx) {
            groupOf(ctx, str(inputs, "securityGroupId"));
            const peer = str(inputs, "referencedSecurityGroupId");
            if (peer !== undefined) groupOf(ctx, peer);
            const peers = ["cidrIpv4", "cidrIpv6", "referencedSecurityGroupId", "prefixListId"].filter(
                (k) => inputs[k] !== undefined,
            );
            if (peers.length !== 1) {
                throw new SimulatedAwsError(
                    "InvalidParameterCombination",
                    `exactly one of cidrIpv4, cidrIpv6, referencedSecurityGroupId, prefixListId is required (got ${peers.join(", ") || "none"})`,
                );
            }
            const key = ruleKey(type, inputs);
            if (findWhere(ctx, type, (r) => ruleKey(type, r.inputs) === key)) {
                throw new SimulatedAwsError(
                    "InvalidPermission.Duplicate",
                    `the specified rule "${key}" already exists`,
                );
            }
            const id = ec2Id("sgr");
            return {
                id,
                computed: { securityGroupRuleId: id, arn: arn("ec2", ctx.region, `security-group-rule/${id}`) },
            };
        },
    };
}

function roleArn(name: string, path: string): string {
    return `arn:aws:iam::${ACCOUNT_ID}:role${path}${name}`;
}

const role: ResourceSpec = {
    global: true,
    autoname: { property: "name", maxLength: 64, prefixProperty: "namePrefix" },
    create(inputs, ctx) {
        const name = nameOrPrefix(inputs) ?? required(inputs, "name", "iam:CreateRole");
        ensureUnique(ctx, T.Role, "name", name, "EntityAlreadyExists", `Role with name ${name} already exists.`, true);
        const policy = required(inputs, "assumeRolePolicy", "iam:CreateRole");
        try {
            JSON.parse(policy);
        } catch {
            throw new SimulatedAwsError("MalformedPolicyDocument", "This policy contains invalid Json");
        }
        const path = str(inputs, "path") ?? "/";
        return {
            id: name,
            computed: {
                name,
                arn: roleArn(name, path),
                path,
                uniqueId: `AROA${upperAlnum(17)}`,
                createDate: ctx.now.toISOString(),
                maxSessionDuration: num(inputs, "maxSessionDuration", 3600),
            },
        };
    },
};

const rolePolicy: ResourceSpec = {
    global: true,
    autoname: { property: "name", maxLength: 128, prefixProperty: "namePrefix" },
    create(inputs, ctx) {
        const roleName = required(inputs, "role", "iam:PutRolePolicy");
        mustFind(ctx, T.Role, roleName, "NoSuchEntity", `The role with name ${roleName} cannot be found.`);
        const name = nameOrPrefix(inputs) ?? required(inputs, "name", "iam:PutRolePolicy");
        try {
            JSON.parse(required(inputs, "policy", "iam:PutRolePolicy"));
        } catch {
            throw new SimulatedAwsError("MalformedPolicyDocument", "Syntax errors in policy.");
        }
        return { id: `${roleName}:${name}`, computed: { name } };
    },
};

/** Specs of security groups, rules and IAM, by type token. */
export const SECURITY_SPECS: Record<string, ResourceSpec> = {
    [T.SecurityGroup]: securityGroup,
    [T.DefaultSecurityGroup]: defaultSecurityGroup,
    [T.IngressRule]: securityGroupRule(T.IngressRule),
    [T.EgressRule]: securityGroupRule(T.EgressRule),
    [T.Role]: role,
    [T.RolePolicy]: rolePolicy,
};
