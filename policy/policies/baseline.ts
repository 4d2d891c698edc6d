import { arr, containers, obj, ofType, refs, resourcePolicy, stackPolicy, text, TYPES, type ProjectPolicy, type Res } from "../rules";

/**
 * Mandatory in every environment: the AWS Security Hub Foundational Security Best Practices (FSBP)
 * controls that apply to the services this project uses, plus IAM least privilege, log retention
 * and KMS key rotation.
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
            const vpcs = [...ofType(resources, "aws:ec2/vpc:Vpc"), ...ofType(resources, TYPES.awsxVpc)];
            const defaults = ofType(resources, "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup");
            for (const sg of defaults) {
                if (arr(sg.props["ingress"]).length > 0 || arr(sg.props["egress"]).length > 0) {
                    fail(sg, "the default security group has rules", "remove its ingress and egress blocks");
                }
            }
            if (vpcs.length > defaults.length) {
                fail(vpcs[0] as Res, "the VPC's default security group is not managed, so AWS's default allow rules stay", "adopt it with an aws.ec2.DefaultSecurityGroup that has no rules");
            }
        },
    }),
    stackPolicy({
        name: "ec2-18-19-no-unrestricted-ingress",
        control: "EC2.18/EC2.19",
        level: "mandatory",
        why: "only load balancer groups may admit the internet, and only on 80 and 443",
        check: (resources, fail) => {
            for (const rule of [...ofType(resources, "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule"), ...ofType(resources, "aws:ec2/securityGroupRule:SecurityGroupRule")]) {
                if (rule.type === "aws:ec2/securityGroupRule:SecurityGroupRule" && rule.props["type"] !== "ingress") continue;
                const cidrs = [rule.props["cidrIpv4"], rule.props["cidrIpv6"], ...arr(rule.props["cidrBlocks"]), ...arr(rule.props["ipv6CidrBlocks"])];
                if (!cidrs.some((c) => OPEN.includes(String(c)))) continue;
                const group = refs(rule, "securityGroupId")[0];
                if (!webPort(portRange(rule))) {
                    fail(rule, `admits the whole internet on ports ${portRange(rule).join("-")}`, "admit a named security group or a specific CIDR; only ALB groups take 80/443 from anywhere");
                } else if (!group || tagsOf(group)[SG_ROLE_TAG] !== "load-balancer") {
                    fail(rule, "admits the whole internet on a group that is not a load balancer group", `open 80/443 only on ALB groups (tag ${SG_ROLE_TAG}=load-balancer)`);
                }
            }
            for (const sg of ofType(resources, "aws:ec2/securityGroup:SecurityGroup")) {
                for (const inline of arr(sg.props["ingress"]) as Array<Record<string, unknown>>) {
                    const cidrs = [...arr(inline["cidrBlocks"]), ...arr(inline["ipv6CidrBlocks"])].map(String);
                    if (cidrs.some((c) => OPEN.includes(c)) && (!webPort([Number(inline["fromPort"]), Number(inline["toPort"])]) || tagsOf(sg)[SG_ROLE_TAG] !== "load-balancer")) {
                        fail(sg, "has an inline rule open to the internet", "use standalone rules; only ALB groups take 80/443 from anywhere");
                    }
                }
            }
        },
    }),
];

export const databasePolicies: ProjectPolicy[] = [
    resourcePolicy({
        name: "rds-2-not-public",
        control: "RDS.2",
        level: "mandatory",
        why: "a database reachable from the internet is one leaked password away from a breach",
        types: [TYPES.rdsInstance],
        check: (r, fail) => {
            if (r.props["publiclyAccessible"] === true) fail("publiclyAccessible is true", "set publiclyAccessible: false and reach it from inside the VPC");
        },
    }),
    resourcePolicy({
        name: "rds-3-encrypted",
        control: "RDS.3",
        level: "mandatory",
        why: "storage, snapshots and backups must be encrypted at rest",
        types: [TYPES.rdsInstance],
        check: (r, fail) => {
            if (r.props["storageEncrypted"] !== true) fail("storage is not encrypted", "set storageEncrypted: true (changing it replaces the instance)");
        },
    }),
    resourcePolicy({
        name: "rds-11-automatic-backups",
        control: "RDS.11",
        level: "mandatory",
        why: "automatic backups are the only way back from a bad migration or a deleted table",
        types: [TYPES.rdsInstance],
        check: (r, fail) => {
            if (!(Number(r.props["backupRetentionPeriod"] ?? 0) >= 1)) fail("automatic backups are off", "set backupRetentionPeriod to 1-35 days");
        },
    }),
    resourcePolicy({
        name: "rds-13-minor-upgrades",
        control: "RDS.13",
        level: "mandatory",
        why: "minor versions carry security fixes",
        types: [TYPES.rdsInstance],
        check: (r, fail) => {
            if (r.props["autoMinorVersionUpgrade"] === false) fail("automatic minor version upgrades are off", "set autoMinorVersionUpgrade: true");
        },
    }),
    resourcePolicy({
        name: "rds-17-copy-tags-to-snapshots",
        control: "RDS.17",
        level: "mandatory",
        why: "snapshots must carry the owner and environment tags of their database",
        types: [TYPES.rdsInstance],
        check: (r, fail) => {
            if (r.props["copyTagsToSnapshot"] !== true) fail("tags are not copied to snapshots", "set copyTagsToSnapshot: true");
        },
    }),
];

const CACHE = [TYPES.replicationGroup, "aws:elasticache/cluster:Cluster"];
export const cachePolicies: ProjectPolicy[] = [
    resourcePolicy({
        name: "elasticache-2-minor-upgrades",
        control: "ElastiCache.2",
        level: "mandatory",
        why: "minor versions carry security fixes",
        types: CACHE,
        check: (r, fail) => {
            if (r.props["autoMinorVersionUpgrade"] === false || r.props["autoMinorVersionUpgrade"] === "false") fail("automatic minor version upgrades are off", "set autoMinorVersionUpgrade: true");
        },
    }),
    resourcePolicy({
        name: "elasticache-4-encrypted-at-rest",
        control: "ElastiCache.4",
        level: "mandatory",
        why: "cached data and snapshots must be encrypted at rest",
        types: [TYPES.replicationGroup],
        check: (r, fail) => {
            if (r.props["atRestEncryptionEnabled"] !== true && r.props["atRestEncryptionEnabled"] !== "true") fail("encryption at rest is off", "set atRestEncryptionEnabled: true (replaces the group)");
        },
    }),
    resourcePolicy({
        name: "elasticache-5-encrypted-in-transit",
        control: "ElastiCache.5",
        level: "mandatory",
        why: "the AUTH token and the data must not cross the network in clear",
        types: [TYPES.replicationGroup],
        check: (r, fail) => {
            if (r.props["transitEncryptionEnabled"] !== true) fail("in-transit encryption (TLS) is off", "set transitEncryptionEnabled: true and connect with rediss://");
        },
    }),
    resourcePolicy({
        name: "elasticache-6-auth",
        control: "ElastiCache.6",
        level: "mandatory",
        why: "a cache reachable without credentials is open to every task in the VPC",
        types: [TYPES.replicationGroup],
        check: (r, fail) => {
            if (!r.props["authToken"] && arr(r.props["userGroupIds"]).length === 0) fail("neither an AUTH token nor RBAC user groups are set", "set authToken (with transitEncryptionEnabled) or userGroupIds");
        },
    }),
    resourcePolicy({
        name: "elasticache-7-no-default-subnet-group",
        control: "ElastiCache.7",
        level: "mandatory",
        why: "the default subnet group spans the default VPC's public subnets",
        types: CACHE,
        check: (r, fail) => {
            const group = r.props["subnetGroupName"];
            if (!group || group === "default") fail("uses the default subnet group", "create an aws.elasticache.SubnetGroup on private subnets and set subnetGroupName");
        },
    }),
];

/** Environment variable names that hold secrets. */
const SECRET_NAME = /(SECRET|PASSWORD|PASSWD|TOKEN|API_?KEY|PRIVATE_KEY|ACCESS_KEY|CREDENTIAL)/i;
/** Values that are secrets whatever their name. */
const SECRET_VALUES: Array<[RegExp, string]> = [
    [/:\/\/[^/\s:@]*:[^@\s]+@/, "a URL with a password"],
    [/-----BEGIN [A-Z ]*PRIVATE KEY-----/, "a private key"],
    [/\b(AKIA|ASIA)[0-9A-Z]{16}\b/, "an AWS access key"],
    [/^(sk|rk|pk)-[A-Za-z0-9_-]{16,}$/, "an API key"],
];

export const ecsPolicies: ProjectPolicy[] = [
    resourcePolicy({
        name: "ecs-2-no-public-ip",
        control: "ECS.2",
        level: "mandatory",
        why: "tasks run in private subnets and are reached only through their load balancer",
        types: ["aws:ecs/service:Service"],
        check: (r, fail) => {
            if (obj(r.props["networkConfiguration"])["assignPublicIp"] === true) fail("tasks get a public IP", "set networkConfiguration.assignPublicIp: false and use private subnets with NAT");
        },
    }),
    resourcePolicy({
        name: "ecs-4-non-privileged",
        control: "ECS.4",
        level: "mandatory",
        why: "a privileged container can take over its host",
        types: [TYPES.taskDefinition],
        check: (r, fail) => {
            for (const c of containers(r)) if (c.privileged === true) fail(`container ${c.name ?? "?"} is privileged`, "set privileged: false");
        },
    }),
    resourcePolicy({
        name: "ecs-8-no-secrets-in-environment",
        control: "ECS.8",
        level: "mandatory",
        why: "environment variables show in the console, the API and logs; secrets go in `secrets` (Secrets Manager)",
        types: [TYPES.taskDefinition],
        check: (r, fail) => {
            for (const c of containers(r)) {
                for (const e of c.environment ?? []) {
                    const found = SECRET_NAME.test(e.name) ? "a secret-looking name" : SECRET_VALUES.find(([re]) => re.test(String(e.value)))?.[1];
                    if (found) fail(`container ${c.name ?? "?"} has ${found} in environment variable ${e.name}`, "move it to the service's Secrets Manager secret and reference it in `secrets` (valueFrom)");
                }
            }
        },
    }),
    resourcePolicy({
        name: "ecs-9-logging",
        control: "ECS.9",
        level: "mandatory",
        why: "without a log driver, a crashing task leaves no trace",
        types: [TYPES.taskDefinition],
        check: (r, fail) => {
            for (const c of containers(r)) if (!c.logConfiguration?.logDriver) fail(`container ${c.name ?? "?"} has no logConfiguration`, "add logConfiguration with the awslogs driver");
        },
    }),
    resourcePolicy({
        name: "ecs-12-container-insights",
        control: "ECS.12",
        level: "mandatory",
        why: "Container Insights gives the per-task CPU, memory and restart metrics on-call needs",
        types: ["aws:ecs/cluster:Cluster"],
        check: (r, fail) => {
            const on = (arr(r.props["settings"]) as Array<{ name?: string; value?: string }>).some((s) => s.name === "containerInsights" && (s.value === "enabled" || s.value === "enhanced"));
            if (!on) fail("Container Insights is off", 'add settings: [{ name: "containerInsights", value: "enabled" }]');
        },
    }),
];

/** TLS policies that allow only TLS 1.2+ with forward secrecy. */
export const RECOMMENDED_TLS_POLICIES = [
    "ELBSecurityPolicy-TLS13-1-2-2021-06",
    "ELBSecurityPolicy-TLS13-1-2-Res-2021-06",
    "ELBSecurityPolicy-TLS13-1-3-2021-06",
    "ELBSecurityPolicy-TLS13-1-2-FIPS-2023-04",
    "ELBSecurityPolicy-TLS13-1-3-FIPS-2023-04",
];
const LB = TYPES.loadBalancers;
const LISTENER = ["aws:lb/listener:Listener", "aws:alb/listener:Listener"];

export const loadBalancerPolicies: ProjectPolicy[] = [
    stackPolicy({
        name: "elb-1-redirect-http-to-https",
        control: "ELB.1",
        level: "mandatory",
        why: "with a certificate, plain HTTP must only redirect, or clients send credentials in clear",
        check: (resources, fail) => {
            const listeners = LISTENER.flatMap((t) => ofType(resources, t));
            const lbOf = (l: Res) => refs(l, "loadBalancerArn")[0]?.urn ?? "stack";
            const withHttps = new Set(listeners.filter((l) => l.props["protocol"] === "HTTPS").map(lbOf));
            for (const l of listeners.filter((x) => x.props["protocol"] === "HTTP" && withHttps.has(lbOf(x)))) {
                const actions = arr(l.props["defaultActions"]) as Array<{ type?: string; redirect?: { protocol?: string } }>;
                if (!actions.every((a) => a.type === "redirect" && a.redirect?.protocol === "HTTPS")) {
                    fail(l, "an HTTP listener forwards traffic although the load balancer has HTTPS", 'make its default action { type: "redirect", redirect: { protocol: "HTTPS", port: "443", statusCode: "HTTP_301" } }');
                }
            }
        },
    }),
    resourcePolicy({
        name: "elb-4-drop-invalid-headers",
        control: "ELB.4",
        level: "mandatory",
        why: "malformed headers are a request-smuggling vector",
        types: LB,
        check: (r, fail) => {
            if ((r.props["loadBalancerType"] ?? "application") === "application" && r.props["dropInvalidHeaderFields"] !== true) fail("invalid header fields are passed on", "set dropInvalidHeaderFields: true");
        },
    }),
    resourcePolicy({
        name: "elb-12-desync-mitigation",
        control: "ELB.12",
        level: "mandatory",
        why: "HTTP desync attacks poison other users' requests",
        types: LB,
        check: (r, fail) => {
            const mode = r.props["desyncMitigationMode"];
            if (mode !== undefined && mode !== "defensive" && mode !== "strictest") fail(`desyncMitigationMode is ${text(mode)}`, 'set desyncMitigationMode: "defensive" or "strictest"');
        },
    }),
    resourcePolicy({
        name: "elb-13-multiple-azs",
        control: "ELB.13",
        level: "mandatory",
        why: "a load balancer in one AZ goes down with it",
        types: LB,
        check: (r, fail) => {
            const n = Math.max(arr(r.props["subnets"]).length, arr(r.props["subnetMappings"]).length);
            if (n < 2) fail(`spans ${n} subnet(s)`, "give it subnets in two or more availability zones");
        },
    }),
    resourcePolicy({
        name: "elb-recommended-tls-policy",
        control: "ELB TLS",
        level: "mandatory",
        why: "HTTPS listeners allow only TLS 1.2 and 1.3 with forward secrecy",
        types: LISTENER,
        check: (r, fail) => {
            if (r.props["protocol"] === "HTTPS" && !RECOMMENDED_TLS_POLICIES.includes(String(r.props["sslPolicy"]))) {
                fail(`sslPolicy is ${text(r.props["sslPolicy"] ?? "the default")}`, `set sslPolicy: "${RECOMMENDED_TLS_POLICIES[0]}"`);
            }
        },
    }),
];

export const ecrPolicies: ProjectPolicy[] = [
    resourcePolicy({
        name: "ecr-1-scan-on-push",
        control: "ECR.1",
        level: "mandatory",
        why: "every pushed image is scanned for known vulnerabilities",
        types: ["aws:ecr/repository:Repository"],
        check: (r, fail) => {
            if (obj(r.props["imageScanningConfiguration"])["scanOnPush"] !== true) fail("images are not scanned on push", "set imageScanningConfiguration: { scanOnPush: true }");
        },
    }),
    resourcePolicy({
        name: "ecr-2-immutable-tags",
        control: "ECR.2",
        level: "mandatory",
        why: "a tag must always mean the same image, so a deploy is reproducible and a rollback is real",
        types: ["aws:ecr/repository:Repository"],
        check: (r, fail) => {
            if (r.props["imageTagMutability"] !== "IMMUTABLE") fail("image tags are mutable", 'set imageTagMutability: "IMMUTABLE"');
        },
    }),
    stackPolicy({
        name: "ecr-3-lifecycle-policy",
        control: "ECR.3",
        level: "mandatory",
        why: "without a lifecycle policy old images pile up (cost, and stale vulnerable images)",
        check: (resources, fail) => {
            const policies = ofType(resources, "aws:ecr/lifecyclePolicy:LifecyclePolicy");
            for (const repo of ofType(resources, "aws:ecr/repository:Repository")) {
                const covered = policies.some((p) => refs(p, "repository").some((d) => d.urn === repo.urn) || p.props["repository"] === repo.props["name"]);
                if (!covered) fail(repo, "has no lifecycle policy", "add an aws.ecr.LifecyclePolicy that expires untagged and old images");
            }
        },
    }),
];

/** Actions that may only name `*` as resource because AWS offers no resource-level permission for them. */
const STAR_ONLY_ACTIONS = ["ecr:GetAuthorizationToken", "sts:GetCallerIdentity"];

interface Statement {
    Effect?: string;
    Action?: string | string[];
    Resource?: string | string[];
    Sid?: string;
}

function statementsOf(doc: unknown): Statement[] {
    const d = obj(doc);
    const s = d["Statement"];
    return (Array.isArray(s) ? s : s ? [s] : []) as Statement[];
}

const list = (v: string | string[] | undefined) => (v === undefined ? [] : Array.isArray(v) ? v : [v]);

export const iamPolicies: ProjectPolicy[] = [
    resourcePolicy({
        name: "iam-least-privilege",
        control: "IAM least privilege",
        level: "mandatory",
        why: "no wildcard actions, and no `*` resource for secrets, ECR or logs actions where the ARN is known",
        types: ["aws:iam/rolePolicy:RolePolicy", "aws:iam/policy:Policy", "aws:iam/role:Role"],
        check: (r, fail) => {
            const docs = r.type === "aws:iam/role:Role" ? (arr(r.props["inlinePolicies"]) as Array<{ policy?: unknown }>).map((p) => p.policy) : [r.props["policy"]];
            for (const st of docs.flatMap(statementsOf).filter((s) => s.Effect !== "Deny")) {
                const actions = list(st.Action);
                const wild = actions.filter((a) => a === "*" || a.endsWith(":*") || a.includes("*"));
                if (wild.length > 0) fail(`statement ${st.Sid ?? "?"} grants wildcard actions ${wild.join(", ")}`, "list the exact actions the role needs");
                if (list(st.Resource).includes("*")) {
                    const scoped = actions.filter((a) => /^(secretsmanager:GetSecretValue|ecr:|logs:)/.test(a) && !STAR_ONLY_ACTIONS.includes(a));
                    if (scoped.length > 0) fail(`statement ${st.Sid ?? "?"} allows ${scoped.join(", ")} on every resource`, "name the secret, repository or log group ARN");
                }
            }
        },
    }),
];

export const loggingPolicies: ProjectPolicy[] = [
    resourcePolicy({
        name: "log-group-retention",
        control: "Log retention",
        level: "mandatory",
        why: "logs kept forever cost money and hold personal data longer than needed",
        types: ["aws:cloudwatch/logGroup:LogGroup"],
        check: (r, fail) => {
            if (!(Number(r.props["retentionInDays"] ?? 0) > 0)) fail("has no retention (kept forever)", "set retentionInDays, e.g. 30 (development) or 365 (production)");
        },
    }),
    resourcePolicy({
        name: "kms-key-rotation",
        control: "KMS.4",
        level: "mandatory",
        why: "keys the project creates rotate yearly",
        types: ["aws:kms/key:Key"],
        check: (r, fail) => {
            if (r.props["enableKeyRotation"] !== true && (r.props["customerMasterKeySpec"] ?? r.props["keySpec"] ?? "SYMMETRIC_DEFAULT") === "SYMMETRIC_DEFAULT") fail("key rotation is off", "set enableKeyRotation: true");
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
        if (vpcs.length > 0 && ofType(resources, "aws:ec2/flowLog:FlowLog").length === 0) fail(vpcs[0] as Res, "has no flow logs", "turn on proliferate-foundation:flowLogsEnabled (an aws.ec2.FlowLog to CloudWatch Logs)");
    },
});
