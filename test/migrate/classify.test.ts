/**
 * Classification tables: each monolith resource to a layer by type and role, or `stays`, or
 * undecided with the layers it could go to. Pure: small hand-written exports, no engine.
 */
import { expect } from "chai";
import { join } from "node:path";
import { classify, type Placement } from "../../scripts/migrate/classify";
import { loadRules, roleOf } from "../../scripts/migrate/rules";
import type { ExportedResource } from "../../scripts/migrate/state-export";

const ROOT = join(__dirname, "..", "..", "..");
const rules = loadRules(ROOT);
const URN = (type: string, name: string) => `urn:pulumi:prod::proliferate-infra::${type}::${name}`;

function res(
    type: string,
    name: string,
    inputs: Record<string, unknown> = {},
    outputs: Record<string, unknown> = {},
): ExportedResource {
    return {
        urn: URN(type, name),
        type,
        custom: !type.startsWith("pulumi:pulumi:Stack"),
        id: `${name}-id`,
        inputs,
        outputs: { arn: `arn:aws:x:::${name}-arn`, ...outputs },
    };
}

const trust = (service: string) =>
    JSON.stringify({ Statement: [{ Effect: "Allow", Principal: { Service: service }, Action: "sts:AssumeRole" }] });

function placeOf(resources: ExportedResource[], name: string): Placement {
    const r = resources.find((x) => x.urn.endsWith(`::${name}`));
    const p = classify(resources, rules).get(r?.urn ?? "");
    if (!p) throw new Error(`${name} was not classified`);
    return p;
}
const layerOf = (p: Placement) => (p.kind === "layer" ? p.layer : p.kind);

describe("migrate-plan: classification by type and role", () => {
    const byType: Array<[string, string]> = [
        ["aws:ec2/vpc:Vpc", "foundation"],
        ["aws:ec2/subnet:Subnet", "foundation"],
        ["aws:ec2/natGateway:NatGateway", "foundation"],
        ["aws:ec2/securityGroup:SecurityGroup", "foundation"],
        ["aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule", "foundation"],
        ["aws:elasticache/replicationGroup:ReplicationGroup", "data"],
        ["aws:rds/instance:Instance", "data"],
        ["aws:secretsmanager/secret:Secret", "secrets"],
        ["aws:secretsmanager/secretVersion:SecretVersion", "secrets"],
        ["aws:ecs/service:Service", "services"],
        ["aws:ecr/repository:Repository", "services"],
        ["aws:lb/loadBalancer:LoadBalancer", "services"],
        ["pulumi:pulumi:Stack", "stays"],
        ["pulumi:providers:aws", "stays"],
        ["aws:s3/bucket:Bucket", "undecided"],
    ];
    for (const [type, expected] of byType) {
        it(`${type} → ${expected}`, () => {
            expect(layerOf(placeOf([res(type, "thing")], "thing"))).to.equal(expected);
        });
    }

    it("a security group goes to foundation even when only services use it", () => {
        const sg = res("aws:ec2/securityGroup:SecurityGroup", "gateway-alb-sg");
        const lb = res("aws:lb/loadBalancer:LoadBalancer", "gateway-alb", { securityGroups: ["gateway-alb-sg-id"] });
        expect(layerOf(placeOf([sg, lb], "gateway-alb-sg"))).to.equal("foundation");
    });

    const roles: Array<[string, string]> = [
        ["ecs-tasks.amazonaws.com", "services"],
        ["vpc-flow-logs.amazonaws.com", "foundation"],
        ["monitoring.rds.amazonaws.com", "data"],
        ["lambda.amazonaws.com", "undecided"],
    ];
    for (const [service, expected] of roles) {
        it(`an IAM role assumed by ${service} → ${expected}`, () => {
            const p = placeOf([res("aws:iam/role:Role", "role", { assumeRolePolicy: trust(service) })], "role");
            expect(layerOf(p)).to.equal(expected);
            expect(p.why).to.include(service);
        });
    }

    it("a role policy follows its role; one naming no role of the stack is undecided", () => {
        const role = res(
            "aws:iam/role:Role",
            "flow-role",
            { assumeRolePolicy: trust("vpc-flow-logs.amazonaws.com") },
            { name: "acme-flow-logs" },
        );
        const policy = res("aws:iam/rolePolicy:RolePolicy", "flow-policy", { role: "acme-flow-logs" });
        const stray = res("aws:iam/rolePolicy:RolePolicy", "stray-policy", { role: "someone-elses-role" });
        expect(layerOf(placeOf([role, policy, stray], "flow-policy"))).to.equal("foundation");
        expect(layerOf(placeOf([role, policy, stray], "stray-policy"))).to.equal("undecided");
    });

    it("a role known by its id and its name (an IAM role's id is its name) is one resource; a policy named like it still follows it", () => {
        const role = {
            ...res(
                "aws:iam/role:Role",
                "exec",
                { assumeRolePolicy: trust("ecs-tasks.amazonaws.com") },
                { name: "acme-exec" },
            ),
            id: "acme-exec",
        };
        const policy = res(
            "aws:iam/rolePolicy:RolePolicy",
            "exec-policy",
            { role: "acme-exec" },
            { name: "acme-exec" },
        );
        expect(layerOf(placeOf([role, policy], "exec-policy"))).to.equal("services");
    });

    it("a log group goes where what writes to it goes; unused or shared across layers is undecided", () => {
        const flowGroup = res(
            "aws:cloudwatch/logGroup:LogGroup",
            "flow-logs",
            { name: "/vpc/acme-flow" },
            { name: "/vpc/acme-flow" },
        );
        const flowLog = res("aws:ec2/flowLog:FlowLog", "flow", { logDestination: "arn:aws:x:::flow-logs-arn" });
        const appGroup = res(
            "aws:cloudwatch/logGroup:LogGroup",
            "gateway-logs",
            { name: "/ecs/acme-gateway" },
            { name: "/ecs/acme-gateway" },
        );
        const task = res("aws:ecs/taskDefinition:TaskDefinition", "gateway-task", {
            containerDefinitions: JSON.stringify([
                { logConfiguration: { options: { "awslogs-group": "/ecs/acme-gateway" } } },
            ]),
        });
        const lonely = res(
            "aws:cloudwatch/logGroup:LogGroup",
            "lonely",
            { name: "/acme/lonely" },
            { name: "/acme/lonely" },
        );
        const all = [flowGroup, flowLog, appGroup, task, lonely];
        expect(layerOf(placeOf(all, "flow-logs"))).to.equal("foundation");
        expect(layerOf(placeOf(all, "gateway-logs"))).to.equal("services");
        const p = placeOf(all, "lonely");
        expect(p.kind).to.equal("undecided");
        expect(p.why).to.match(/nothing/);
    });

    it("a bucket goes where what writes to it goes, its policy follows it; an unused one is undecided", () => {
        const logs = res("aws:s3/bucket:Bucket", "alb-logs", { bucket: "acme-alb-logs" }, { bucket: "acme-alb-logs" });
        logs.id = "acme-alb-logs";
        const policy = res("aws:s3/bucketPolicy:BucketPolicy", "alb-logs-policy", { bucket: "acme-alb-logs" });
        const lb = res("aws:lb/loadBalancer:LoadBalancer", "gateway-alb", {
            accessLogs: { bucket: "acme-alb-logs", enabled: true },
        });
        const uploads = res("aws:s3/bucket:Bucket", "uploads", { bucket: "acme-uploads" });
        const all = [logs, policy, lb, uploads];
        expect(layerOf(placeOf(all, "alb-logs"))).to.equal("services");
        expect(layerOf(placeOf(all, "alb-logs-policy"))).to.equal("services");
        expect(layerOf(placeOf(all, "uploads"))).to.equal("undecided");
    });

    it("a KMS key goes to the layer of what uses it; used by two layers it is undecided with both as candidates", () => {
        const key = res("aws:kms/key:Key", "data-key");
        const db = res("aws:rds/instance:Instance", "db", { kmsKeyId: "arn:aws:x:::data-key-arn" });
        expect(layerOf(placeOf([key, db], "data-key"))).to.equal("data");
        const secret = res("aws:secretsmanager/secret:Secret", "s", { kmsKeyId: "arn:aws:x:::data-key-arn" });
        const p = placeOf([key, db, secret], "data-key");
        expect(p.kind).to.equal("undecided");
        expect(p.kind === "undecided" ? [...p.candidates].sort() : []).to.deep.equal(["data", "secrets"]);
    });

    it("roles are read from names, synonyms included, longest words first", () => {
        const table: Array<[string, string]> = [
            ["gateway-alb-sg", "alb gateway"],
            ["security-groups-gateway-alb", "alb gateway"],
            ["llm-proxy-task-sg", "llm-proxy task"],
            ["litellm-exec-role", "execution llm-proxy"],
            ["db", "postgres"],
            ["vpc", ""],
        ];
        for (const [name, role] of table) expect(roleOf(rules, name), name).to.equal(role);
    });
});
