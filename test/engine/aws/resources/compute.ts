import { ACCOUNT_ID, nextCounter, type StoredResource } from "../../sim/account";
import { ensure, SimulatedAwsError } from "../../sim/errors";
import { arn, digits, hex } from "../../sim/ids";
import { albHostedZoneId } from "../../sim/regions";
import { checkDeletionProtection } from "../../sim/rules";
import { T } from "../../sim/types";
import { bool, isRecord, plain, str, strList, type Props } from "../../sim/values";
import { ensureUnique, findWhere, mustFind, nameOrPrefix, required, type ResourceSpec, type SimContext } from "./spec";

// The services layer: image repositories, ECS, load balancers, log groups.

const logGroup: ResourceSpec = {
    autoname: { property: "name", maxLength: 512, prefixProperty: "namePrefix" },
    create(inputs, ctx) {
        const name = nameOrPrefix(inputs) ?? required(inputs, "name", "logs:CreateLogGroup");
        ensureUnique(
            ctx,
            T.LogGroup,
            "name",
            name,
            "ResourceAlreadyExistsException",
            "The specified log group already exists",
        );
        return {
            id: name,
            computed: { name, arn: arn("logs", ctx.region, `log-group:${name}`), logGroupClass: "STANDARD" },
        };
    },
};

const repository: ResourceSpec = {
    autoname: { property: "name", maxLength: 256, lowercase: true },
    create(inputs, ctx) {
        const name = required(inputs, "name", "ecr:CreateRepository");
        ensure(
            /^[a-z0-9]+([._/-][a-z0-9]+)*$/.test(name),
            "InvalidParameterException",
            `Invalid parameter at 'repositoryName' failed to satisfy constraint: 'must satisfy regular expression '(?:[a-z0-9]+(?:[._-][a-z0-9]+)*/)*[a-z0-9]+(?:[._-][a-z0-9]+)*''`,
        );
        ensureUnique(
            ctx,
            T.EcrRepository,
            "name",
            name,
            "RepositoryAlreadyExistsException",
            `The repository with name '${name}' already exists in the registry with id '${ACCOUNT_ID}'`,
        );
        return {
            id: name,
            computed: {
                name,
                arn: arn("ecr", ctx.region, `repository/${name}`),
                registryId: ACCOUNT_ID,
                repositoryUrl: `${ACCOUNT_ID}.dkr.ecr.${ctx.region}.amazonaws.com/${name}`,
            },
        };
    },
};

const lifecyclePolicy: ResourceSpec = {
    create(inputs, ctx) {
        const repo = required(inputs, "repository", "ecr:PutLifecyclePolicy");
        mustFind(
            ctx,
            T.EcrRepository,
            repo,
            "RepositoryNotFoundException",
            `The repository with name '${repo}' does not exist in the registry with id '${ACCOUNT_ID}'`,
        );
        return { id: repo, computed: { registryId: ACCOUNT_ID } };
    },
};

const cluster: ResourceSpec = {
    autoname: { property: "name", maxLength: 255 },
    create(inputs, ctx) {
        const name = required(inputs, "name", "ecs:CreateCluster");
        const clusterArn = arn("ecs", ctx.region, `cluster/${name}`);
        ensureUnique(ctx, T.EcsCluster, "name", name, "InvalidParameterException", `Cluster ${name} already exists`);
        return { id: clusterArn, computed: { name, arn: clusterArn } };
    },
    beforeDelete(r, ctx) {
        if (findWhere(ctx, T.EcsService, (s) => str(s.inputs, "cluster") === r.id)) {
            throw new SimulatedAwsError(
                "ClusterContainsServicesException",
                "The Cluster cannot be deleted while Services are active.",
            );
        }
    },
};

const taskDefinition: ResourceSpec = {
    create(inputs, ctx) {
        const family = required(inputs, "family", "ecs:RegisterTaskDefinition");
        try {
            const defs: unknown = JSON.parse(required(inputs, "containerDefinitions", "ecs:RegisterTaskDefinition"));
            ensure(
                Array.isArray(defs) && defs.length > 0,
                "ClientException",
                "Container definitions must be a non-empty list.",
            );
        } catch (e) {
            if (e instanceof SimulatedAwsError) throw e;
            throw new SimulatedAwsError(
                "ClientException",
                "Container.image should not be null or empty / containerDefinitions is not valid JSON.",
            );
        }
        // Revisions only grow, even after deregistering: a family's next revision is never reused.
        const revision = nextCounter(ctx.acct, `task-definition/${ctx.region}/${family}`);
        const base = arn("ecs", ctx.region, `task-definition/${family}`);
        // The id names the revision: a replacement registers the new revision before deregistering
        // the old one, and both exist in between (keyed by family alone, the delete took the new one).
        return {
            id: `${family}:${revision}`,
            computed: { arn: `${base}:${revision}`, arnWithoutRevision: base, revision },
        };
    },
};

/** A target group can serve an ECS service only once a listener (or rule) forwards to it. */
function targetGroupAttached(ctx: SimContext, tgArn: string): boolean {
    return (
        findWhere(ctx, T.Listener, (l) => JSON.stringify(plain(l.inputs["defaultActions"]) ?? []).includes(tgArn)) !==
        undefined
    );
}

const service: ResourceSpec = {
    autoname: { property: "name", maxLength: 255 },
    create(inputs, ctx) {
        const name = required(inputs, "name", "ecs:CreateService");
        const clusterArn = str(inputs, "cluster") ?? arn("ecs", ctx.region, "cluster/default");
        const clusterRes = mustFind(ctx, T.EcsCluster, clusterArn, "ClusterNotFoundException", "Cluster not found.");
        const td = str(inputs, "taskDefinition");
        if (td !== undefined) {
            ensure(
                findWhere(ctx, T.TaskDefinition, (t) => str(t.computed, "arn") === td || t.id === td) !== undefined,
                "ClientException",
                `TaskDefinition not found: ${td}`,
            );
        }
        const lbs = plain(inputs["loadBalancers"]);
        for (const lb of Array.isArray(lbs) ? lbs.filter(isRecord) : []) {
            const tg = str(lb, "targetGroupArn");
            if (tg === undefined) continue;
            mustFind(
                ctx,
                T.TargetGroup,
                tg,
                "TargetGroupNotFoundException",
                `One or more target groups not found: ${tg}`,
            );
            ensure(
                targetGroupAttached(ctx, tg),
                "InvalidParameterException",
                `The target group with targetGroupArn ${tg} does not have an associated load balancer.`,
            );
        }
        const net = plain(inputs["networkConfiguration"]);
        for (const subnet of isRecord(net) ? strList(net, "subnets") : [])
            mustFind(
                ctx,
                T.Subnet,
                subnet,
                "InvalidParameterException",
                `Error retrieving subnet information for [${subnet}]: The subnet ID '${subnet}' does not exist`,
            );
        for (const sg of isRecord(net) ? strList(net, "securityGroups") : [])
            mustFind(
                ctx,
                T.SecurityGroup,
                sg,
                "InvalidParameterException",
                `Error retrieving security group information for [${sg}]: The security group '${sg}' does not exist`,
            );
        const serviceArn = arn("ecs", ctx.region, `service/${str(clusterRes.computed, "name") ?? "default"}/${name}`);
        ensure(
            !findWhere(ctx, T.EcsService, (s) => s.id === serviceArn),
            "InvalidParameterException",
            "Creation of service was not idempotent.",
        );
        return { id: serviceArn, computed: { arn: serviceArn, cluster: clusterArn, platformVersion: "LATEST" } };
    },
};

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

/** Specs of ECR, ECS, ELBv2 and CloudWatch Logs types, by type token. */
export const COMPUTE_SPECS: Record<string, ResourceSpec> = {
    [T.LogGroup]: logGroup,
    [T.EcrRepository]: repository,
    [T.EcrLifecyclePolicy]: lifecyclePolicy,
    [T.EcsCluster]: cluster,
    [T.TaskDefinition]: taskDefinition,
    [T.EcsService]: service,
    [T.LoadBalancer]: loadBalancer,
    [T.TargetGroup]: targetGroup,
    [T.Listener]: listener,
};
