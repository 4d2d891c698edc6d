import { expect } from "chai";
import { SERVICES } from "../../shared/catalog";
import { ADMIN_SERVICE, foundationOptions } from "../harness/fixtures";
import { runLayer, type LayerRun } from "../harness/mocks";

type Program = typeof import("../../stacks/foundation/program");

const SG = "aws:ec2/securityGroup:SecurityGroup";
const INGRESS = "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule";
const EGRESS = "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule";

describe("foundation layer (under mocks)", () => {
    let program: Program;
    let dev: LayerRun;
    let prod: LayerRun;

    before(async () => {
        // Loaded after the harness module so setMocks always runs before any resource is created.
        program = await import("../../stacks/foundation/program");
        dev = await runLayer(() => program.foundation(), foundationOptions("dev"));
        prod = await runLayer(() => program.foundation(), foundationOptions("prod"));
    });

    /** Security group id → role, from the recorded SG resources (`security-groups-<role>`). */
    function roleOfGroup(run: LayerRun, id: unknown): string {
        const sg = run.ofType(SG).find((r) => r.id === id);
        return sg ? sg.name.replace(/^security-groups-/, "") : `unknown(${String(id)})`;
    }

    it("builds the VPC with awsx: the configured CIDR, AZs, public and private subnets", () => {
        const vpc = dev.one("awsx:ec2:Vpc").inputs;
        expect(vpc["cidrBlock"]).to.equal("10.0.0.0/16");
        expect(vpc["availabilityZoneNames"]).to.deep.equal(["us-east-1a", "us-east-1b"]);
        const specs = vpc["subnetSpecs"] as Array<{ type: string }>;
        expect(specs.map((s) => s.type).sort()).to.deep.equal(["Private", "Public"]);
        expect(prod.one("awsx:ec2:Vpc").inputs["availabilityZoneNames"]).to.have.length(3);
    });

    it("uses one NAT gateway in development and one per AZ in production", () => {
        expect(dev.one("awsx:ec2:Vpc").inputs["natGateways"]).to.deep.equal({ strategy: "Single" });
        expect(prod.one("awsx:ec2:Vpc").inputs["natGateways"]).to.deep.equal({ strategy: "OnePerAz" });
    });

    it("adds an S3 gateway endpoint on every route table of the VPC", () => {
        const endpoint = dev.one("aws:ec2/vpcEndpoint:VpcEndpoint").inputs;
        expect(endpoint["serviceName"]).to.equal("com.amazonaws.us-east-1.s3");
        expect(endpoint["vpcEndpointType"]).to.equal("Gateway");
        expect(endpoint["routeTableIds"]).to.have.length(4);
    });

    it("empties the VPC's default security group (no ingress, no egress)", () => {
        const sg = dev.one("aws:ec2/defaultSecurityGroup:DefaultSecurityGroup").inputs;
        expect(sg["ingress"] ?? []).to.be.empty;
        expect(sg["egress"] ?? []).to.be.empty;
    });

    it("turns flow logs on for production (role scoped to its log group) and off for development by default", () => {
        expect(dev.ofType("aws:ec2/flowLog:FlowLog")).to.be.empty;
        expect(dev.outputs["flowLogGroupName"]).to.equal(null);
        const flow = prod.one("aws:ec2/flowLog:FlowLog").inputs;
        expect(flow["trafficType"]).to.equal("ALL");
        const group = prod.one("aws:cloudwatch/logGroup:LogGroup").inputs;
        expect(group["retentionInDays"]).to.equal(90);
        const policy = JSON.parse(String(prod.one("aws:iam/rolePolicy:RolePolicy").inputs["policy"])) as {
            Statement: Array<{ Resource: string }>;
        };
        expect(policy.Statement.every((s) => s.Resource.startsWith("arn:aws:logs:") && s.Resource.endsWith(":*"))).to.be
            .true;
        expect(prod.outputs["flowLogGroupName"]).to.equal(group["name"]);
    });

    it("creates an ALB and a task group per public service, a task group for the worker, Redis and Postgres groups", () => {
        const roles = dev
            .ofType(SG)
            .map((r) => r.name.replace(/^security-groups-/, ""))
            .sort();
        expect(roles).to.deep.equal([
            "gateway-alb",
            "gateway-task",
            "llm-proxy-alb",
            "llm-proxy-task",
            "postgres",
            "redis",
            "worker-task",
        ]);
        for (const sg of dev.ofType(SG)) {
            // Standalone rules only: inline blocks would fight them on every update.
            expect(sg.inputs["ingress"] ?? [], sg.name).to.be.empty;
            expect(sg.inputs["egress"] ?? [], sg.name).to.be.empty;
            expect(String(sg.inputs["namePrefix"])).to.match(/^proliferate-dev-/);
        }
    });

    it("admits 0.0.0.0/0 and ::/0 only on the ALB groups, and only on ports 80 and 443", () => {
        const open = dev
            .ofType(INGRESS)
            .filter((r) => r.inputs["cidrIpv4"] === "0.0.0.0/0" || r.inputs["cidrIpv6"] === "::/0");
        expect(open).to.have.length(8); // 2 ALBs × 2 ports × 2 IP families
        for (const rule of open) {
            expect(roleOfGroup(dev, rule.inputs["securityGroupId"])).to.match(/-alb$/);
            expect([80, 443]).to.include(rule.inputs["fromPort"]);
            expect(rule.inputs["toPort"]).to.equal(rule.inputs["fromPort"]);
        }
    });

    it("admits task traffic only from the service's own ALB and the services whose connections name it, on its container port", () => {
        for (const s of SERVICES) {
            const rules = dev
                .ofType(INGRESS)
                .filter((r) => roleOfGroup(dev, r.inputs["securityGroupId"]) === `${s.name}-task`);
            const callers = SERVICES.filter((c) =>
                c.connections.some((x) => typeof x.to === "object" && x.to.service === s.name),
            ).map((c) => `${c.name}-task`);
            const expected = [...(s.public ? [`${s.name}-alb`] : []), ...callers].sort();
            expect(
                rules.map((r) => roleOfGroup(dev, r.inputs["referencedSecurityGroupId"])).sort(),
                s.name,
            ).to.deep.equal(expected);
            expect(rules.every((r) => r.inputs["fromPort"] === s.port && r.inputs["toPort"] === s.port)).to.be.true;
        }
        // The worker is called by nobody and has no load balancer: it admits nothing.
        expect(dev.ofType(INGRESS).filter((r) => roleOfGroup(dev, r.inputs["securityGroupId"]) === "worker-task")).to.be
            .empty;
        // The worker calls the gateway and the LLM proxy directly.
        const workerEgress = dev
            .ofType(EGRESS)
            .filter((r) => roleOfGroup(dev, r.inputs["securityGroupId"]) === "worker-task")
            .map((r) => `${String(r.inputs["fromPort"])}->${roleOfGroup(dev, r.inputs["referencedSecurityGroupId"])}`);
        expect(workerEgress).to.include.members(["8080->gateway-task", "4000->llm-proxy-task"]);
    });

    it("admits Redis 6379 only from the task groups of the services that read REDIS_URL", () => {
        const rules = dev.ofType(INGRESS).filter((r) => roleOfGroup(dev, r.inputs["securityGroupId"]) === "redis");
        expect(rules.map((r) => roleOfGroup(dev, r.inputs["referencedSecurityGroupId"])).sort()).to.deep.equal([
            "gateway-task",
            "worker-task",
        ]);
        expect(
            rules.every(
                (r) =>
                    r.inputs["fromPort"] === 6379 && r.inputs["toPort"] === 6379 && r.inputs["cidrIpv4"] === undefined,
            ),
        ).to.be.true;
        // The LLM proxy reads no REDIS_URL, so it has no way to Redis either.
        expect(
            dev
                .ofType(EGRESS)
                .filter(
                    (r) =>
                        roleOfGroup(dev, r.inputs["securityGroupId"]) === "llm-proxy-task" &&
                        r.inputs["fromPort"] === 6379,
                ),
        ).to.be.empty;
    });

    it("opens egress to an external database's blocks on its port, only from the services that read DATABASE_URL", async () => {
        const run = await runLayer(
            () => program.foundation(),
            foundationOptions("dev", {
                "proliferate-foundation:externalDatabaseCidrs": '["10.200.0.0/16","10.201.0.0/24"]',
                "proliferate-foundation:externalDatabasePort": "6432",
            }),
        );
        const rules = run.ofType(EGRESS).filter((r) => r.inputs["fromPort"] === 6432);
        expect(
            rules.map((r) => `${roleOfGroup(run, r.inputs["securityGroupId"])} ${String(r.inputs["cidrIpv4"])}`).sort(),
        ).to.deep.equal(
            SERVICES.filter((s) => s.secretKeys.includes("DATABASE_URL"))
                .flatMap((s) => [`${s.name}-task 10.200.0.0/16`, `${s.name}-task 10.201.0.0/24`])
                .sort(),
        );
        expect(run.outputs["externalDatabase"]).to.deep.equal({
            cidrs: ["10.200.0.0/16", "10.201.0.0/24"],
            port: 6432,
        });
        expect(dev.outputs["externalDatabase"]).to.equal(null);
    });

    it("admits Postgres 5432 only from the task groups and the configured dbAllowedCidrs", () => {
        const rules = prod.ofType(INGRESS).filter((r) => roleOfGroup(prod, r.inputs["securityGroupId"]) === "postgres");
        const peers = rules
            .map(
                (r) =>
                    (r.inputs["cidrIpv4"] as string | undefined) ??
                    roleOfGroup(prod, r.inputs["referencedSecurityGroupId"]),
            )
            .sort();
        expect(peers).to.deep.equal(["10.100.0.0/16", "gateway-task", "llm-proxy-task", "worker-task"]);
        expect(rules.every((r) => r.inputs["fromPort"] === 5432)).to.be.true;
    });

    it("gives Redis and Postgres no egress, and ALBs egress only to their own tasks", () => {
        const egressOf = (role: string) =>
            dev.ofType(EGRESS).filter((r) => roleOfGroup(dev, r.inputs["securityGroupId"]) === role);
        expect(egressOf("redis")).to.be.empty;
        expect(egressOf("postgres")).to.be.empty;
        const alb = egressOf("gateway-alb");
        expect(alb).to.have.length(1);
        expect(roleOfGroup(dev, alb[0]?.inputs["referencedSecurityGroupId"])).to.equal("gateway-task");
    });

    it("puts every AWS resource on the layer's provider, whose defaultTags carry environment, layer and managed-by", () => {
        const provider = dev.one("pulumi:providers:aws");
        expect(provider.inputs["region"]).to.equal("us-east-1");
        const tags = JSON.parse(String(provider.inputs["defaultTags"])) as { tags: Record<string, string> };
        expect(tags.tags).to.include({
            app: "proliferate",
            environment: "dev",
            layer: "foundation",
            "managed-by": "pulumi",
            "environment-class": "development",
        });
        for (const r of dev.resources.filter((x) => x.custom && x.type.startsWith("aws:"))) {
            expect(r.provider, `${r.type} ${r.name}`).to.match(/pulumi:providers:aws::aws::/);
        }
    });

    it("exports the network, every group id and the environment settings", () => {
        expect(dev.outputs["vpcId"]).to.equal("vpc-0mock");
        expect(dev.outputs["privateSubnetIds"]).to.deep.equal([
            "subnet-private-us-east-1a",
            "subnet-private-us-east-1b",
        ]);
        expect(Object.keys(dev.outputs["albSecurityGroupIds"] as object).sort()).to.deep.equal([
            "gateway",
            "llm-proxy",
        ]);
        expect(Object.keys(dev.outputs["taskSecurityGroupIds"] as object).sort()).to.deep.equal([
            "gateway",
            "llm-proxy",
            "worker",
        ]);
        expect(dev.outputs["environment"]).to.deep.equal({
            app: "proliferate",
            name: "dev",
            class: "development",
            region: "us-east-1",
            tags: {},
        });
        expect(dev.secretOutputs.size).to.equal(0);
    });

    it("creates the groups for a fourth service when the catalog gains a row", async () => {
        const extra = [...SERVICES, ADMIN_SERVICE];
        const run = await runLayer(() => program.foundation({ catalog: extra }), foundationOptions("dev"));
        const roles = run.ofType(SG).map((r) => r.name.replace(/^security-groups-/, ""));
        expect(roles).to.include.members(["admin-alb", "admin-task"]);
        expect(Object.keys(run.outputs["albSecurityGroupIds"] as object)).to.include("admin");
    });
});
