import type { StoredResource } from "../../sim/account";
import { ensure, SimulatedAwsError } from "../../sim/errors";
import { arn, digits, hex } from "../../sim/ids";
import { albHostedZoneId } from "../../sim/regions";
import { checkDeletionProtection } from "../../sim/rules";
import { T } from "../../sim/types";
import { bool, isRecord, plain, str, strList, type Props } from "../../sim/values";
import { ensureUnique, findWhere, mustFind, nameOrPrefix, required, type ResourceSpec } from "./spec";
import { checkAccessLogBucket } from "./storage";

// Elastic Load Balancing v2: the services layer's load balancers, target groups and listeners.

function lbName(r: StoredResource): string {
    return str(r.computed, "name") ?? "";
}

const loadBalancer: ResourceSpec = {
    autoname: { property: "name", maxLength: 32, prefixProperty: "namePrefix" },
    create(inputs, ctx) {
        const name = nameOrPrefix(inputs) ?? required(inputs, "name", "elasticloadbalancing:CreateLoadBalancer");
        ensure(
            /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,30}[A-Za-z0-9])?$/.test(name) && !name.startsWith("internal-"),
            "ValidationError",
            `LoadBalancer name cannot be longer than 32 characters or contain other characters than alphanumerics and hyphens: '${name}'`,
        );
        ensureUnique(
            ctx,
            T.LoadBalancer,
            "name",
            name,
            "DuplicateLoadBalancerName",
            `A load balancer with the same name '${name}' exists, but with different settings`,
        );
        const type = str(inputs, "loadBalancerType") ?? "application";
        const subnets = strList(inputs, "subnets").map((id) =>
            mustFind(ctx, T.Subnet, id, "SubnetNotFound", `The subnet ID '${id}' is not valid`),
        );
        const zones = new Set(subnets.map((s) => str(s.computed, "availabilityZone")));
        ensure(
            type !== "application" || zones.size >= 2,
            "ValidationError",
            "At least two subnets in two different Availability Zones must be specified",
        );
        for (const sg of strList(inputs, "securityGroups"))
            mustFind(
                ctx,
                T.SecurityGroup,
                sg,
                "SecurityGroupNotFound",
                `One or more security groups are invalid: ${sg}`,
            );
        checkAccessLogBucket(inputs, ctx);
        const kind = type === "network" ? "net" : "app";
        const suffix = hex(16);
        const lbArn = arn("elasticloadbalancing", ctx.region, `loadbalancer/${kind}/${name}/${suffix}`);
        const internal = bool(inputs, "internal", false);
        return {
            id: lbArn,
            computed: {
                name,
                arn: lbArn,
                arnSuffix: `${kind}/${name}/${suffix}`,
                dnsName: `${internal ? "internal-" : ""}${name}-${digits(10)}.${ctx.region}.elb.amazonaws.com`,
                zoneId: albHostedZoneId(ctx.region),
                vpcId: subnets[0] ? str(subnets[0].inputs, "vpcId") : undefined,
                loadBalancerType: type,
                internal,
                ipAddressType: "ipv4",
            },
        };
    },
    update(old, news, ctx) {
        checkAccessLogBucket(news, ctx);
        return old.computed;
    },
    beforeDelete(r) {
        checkDeletionProtection(r);
    },
};

const targetGroup: ResourceSpec = {
    autoname: { property: "name", maxLength: 32, prefixProperty: "namePrefix" },
    create(inputs, ctx) {
        const name = nameOrPrefix(inputs) ?? required(inputs, "name", "elasticloadbalancing:CreateTargetGroup");
        ensureUnique(
            ctx,
            T.TargetGroup,
            "name",
            name,
            "DuplicateTargetGroupName",
            `A target group with the same name '${name}' exists, but with different settings`,
        );
        const vpcId = str(inputs, "vpcId");
        if (vpcId !== undefined) mustFind(ctx, T.Vpc, vpcId, "ValidationError", `The VPC ID '${vpcId}' is not found`);
        const suffix = hex(16);
        const tgArn = arn("elasticloadbalancing", ctx.region, `targetgroup/${name}/${suffix}`);
        return {
            id: tgArn,
            computed: { name, arn: tgArn, arnSuffix: `targetgroup/${name}/${suffix}`, loadBalancerArns: [] },
        };
    },
    beforeDelete(r, ctx) {
        const user = findWhere(ctx, T.Listener, (l) =>
            JSON.stringify(plain(l.inputs["defaultActions"]) ?? []).includes(r.id),
        );
        if (user)
            throw new SimulatedAwsError(
                "ResourceInUse",
                `Target group '${r.id}' is currently in use by a listener or a rule`,
            );
    },
};

function forwardedTargetGroups(inputs: Props): string[] {
    const actions = plain(inputs["defaultActions"]);
    return (Array.isArray(actions) ? actions.filter(isRecord) : [])
        .map((a) => str(a, "targetGroupArn"))
        .filter((a): a is string => a !== undefined);
}

const listener: ResourceSpec = {
    create(inputs, ctx) {
        const lbArn = required(inputs, "loadBalancerArn", "elasticloadbalancing:CreateListener");
        const lb = mustFind(
            ctx,
            T.LoadBalancer,
            lbArn,
            "LoadBalancerNotFound",
            `One or more load balancers not found: '${lbArn}'`,
        );
        const protocol = str(inputs, "protocol") ?? "HTTP";
        ensure(
            protocol !== "HTTPS" || str(inputs, "certificateArn") !== undefined,
            "ValidationError",
            "A certificate must be specified for HTTPS listeners",
        );
        for (const tg of forwardedTargetGroups(inputs))
            mustFind(ctx, T.TargetGroup, tg, "TargetGroupNotFound", `One or more target groups not found: '${tg}'`);
        const port = inputs["port"];
        if (
            findWhere(ctx, T.Listener, (l) => str(l.inputs, "loadBalancerArn") === lbArn && l.inputs["port"] === port)
        ) {
            throw new SimulatedAwsError(
                "DuplicateListener",
                "A listener already exists on this port for this load balancer",
            );
        }
        const listenerArn = arn(
            "elasticloadbalancing",
            ctx.region,
            `listener/${str(lb.computed, "arnSuffix") ?? `app/${lbName(lb)}/${hex(16)}`}/${hex(16)}`,
        );
        return { id: listenerArn, computed: { arn: listenerArn } };
    },
};

/** Specs of the ELBv2 types, by type token. */
export const LOAD_BALANCING_SPECS: Record<string, ResourceSpec> = {
    [T.LoadBalancer]: loadBalancer,
    [T.TargetGroup]: targetGroup,
    [T.Listener]: listener,
};
