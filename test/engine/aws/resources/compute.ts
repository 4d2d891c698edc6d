import { ACCOUNT_ID, nextCounter } from "../../sim/account";
import { ensure, SimulatedAwsError } from "../../sim/errors";
import { arn } from "../../sim/ids";
import { T } from "../../sim/types";
import { isRecord, plain, str, strList } from "../../sim/values";
import { ensureUnique, findWhere, mustFind, nameOrPrefix, required, type ResourceSpec, type SimContext } from "./spec";

// The services layer: image repositories, ECS, log groups (load balancers: load-balancing.ts).

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

/** Specs of ECR, ECS and CloudWatch Logs types, by type token. */
export const COMPUTE_SPECS: Record<string, ResourceSpec> = {
    [T.LogGroup]: logGroup,
    [T.EcrRepository]: repository,
    [T.EcrLifecyclePolicy]: lifecyclePolicy,
    [T.EcsCluster]: cluster,
    [T.TaskDefinition]: taskDefinition,
    [T.EcsService]: service,
};
