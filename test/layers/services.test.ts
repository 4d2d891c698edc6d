import { expect } from "chai";
import { SERVICES } from "../../shared/catalog";
import { ECR_LIFECYCLE_POLICY } from "../../shared/components/fargate-service";
import { TLS_POLICY } from "../../shared/components/load-balancer";
import { PROJECT_NAMES } from "../../shared/layers";
import { runChain, type Chain } from "../harness/chain";
import { IMAGE_TAG_ENV } from "../../shared/image-deployment";
import { ADMIN_SERVICE } from "../harness/fixtures";
import type { RecordedResource } from "../harness/mocks";

const V = PROJECT_NAMES.services;

interface ContainerDef {
    name: string;
    image: string;
    privileged: boolean;
    portMappings: Array<{ containerPort: number }>;
    environment: Array<{ name: string; value: string }>;
    secrets: Array<{ name: string; valueFrom: string }>;
    logConfiguration: { logDriver: string; options: Record<string, string> };
}

const byName = (chain: Chain, type: string, name: string): RecordedResource => {
    const r = chain.services.ofType(type).find((x) => x.name === name);
    if (!r) throw new Error(`no ${type} named ${name}`);
    return r;
};
const containerOf = (chain: Chain, service: string) =>
    (
        JSON.parse(
            String(
                byName(chain, "aws:ecs/taskDefinition:TaskDefinition", `${service}-task`).inputs[
                    "containerDefinitions"
                ],
            ),
        ) as ContainerDef[]
    )[0] as ContainerDef;
const envOf = (chain: Chain, service: string) =>
    Object.fromEntries(containerOf(chain, service).environment.map((e) => [e.name, e.value]));

describe("services layer (under mocks)", () => {
    let dev: Chain;
    let prod: Chain;

    before(async () => {
        dev = await runChain("dev");
        prod = await runChain("prod");
    });

    it("runs one cluster with Container Insights", () => {
        const cluster = dev.services.one("aws:ecs/cluster:Cluster").inputs;
        expect(cluster["settings"]).to.deep.equal([{ name: "containerInsights", value: "enabled" }]);
        expect(dev.services.outputs["clusterName"]).to.equal("proliferate-dev-cluster");
    });

    it("gives each service an ECR repository: scan on push, immutable tags, the 10-image lifecycle", () => {
        for (const s of SERVICES) {
            const repo = byName(dev, "aws:ecr/repository:Repository", `${s.name}-repo`).inputs;
            expect(repo["imageTagMutability"]).to.equal("IMMUTABLE");
            expect(repo["imageScanningConfiguration"]).to.deep.equal({ scanOnPush: true });
            const policy = JSON.parse(
                String(
                    byName(dev, "aws:ecr/lifecyclePolicy:LifecyclePolicy", `${s.name}-repo-lifecycle`).inputs["policy"],
                ),
            ) as typeof ECR_LIFECYCLE_POLICY;
            expect(policy.rules.map((r) => r.selection.tagStatus)).to.deep.equal(["untagged", "any"]);
            expect(policy.rules[1]?.selection.countNumber).to.equal(10);
        }
        expect(prod.services.ofType("aws:ecr/repository:Repository").every((r) => r.inputs["forceDelete"] === false)).to
            .be.true;
    });

    it("execution roles: own repository, own log group, own secret; only ecr:GetAuthorizationToken on *; task roles have no policy", () => {
        for (const s of SERVICES) {
            const statements = (
                JSON.parse(
                    String(byName(dev, "aws:iam/rolePolicy:RolePolicy", `${s.name}-execution`).inputs["policy"]),
                ) as { Statement: Array<{ Action: string[]; Resource: string }> }
            ).Statement;
            for (const st of statements) {
                expect(
                    st.Action.every((a) => !a.includes("*")),
                    "no wildcard actions",
                ).to.be.true;
                if (st.Resource === "*") expect(st.Action).to.deep.equal(["ecr:GetAuthorizationToken"]);
            }
            const pull = statements.find((st) => st.Action.includes("ecr:BatchGetImage"));
            expect(pull?.Resource).to.equal(`arn:aws:ecr:us-east-1:123456789012:${s.name}-repo`);
            const logs = statements.find((st) => st.Action.includes("logs:PutLogEvents"));
            expect(logs?.Resource).to.equal(
                `arn:aws:logs:us-east-1:123456789012:log-group:/ecs/proliferate-dev-${s.name}:*`,
            );
        }
        const taskRoles = dev.services
            .ofType("aws:iam/role:Role")
            .filter((r) => r.name.endsWith("-task"))
            .map((r) => r.name);
        const policies = [
            ...dev.services.ofType("aws:iam/rolePolicy:RolePolicy"),
            ...dev.services.ofType("aws:iam/rolePolicyAttachment:RolePolicyAttachment"),
        ];
        expect(taskRoles).to.have.length(3);
        expect(policies.every((p) => !String(p.name).endsWith("-task"))).to.be.true;
    });

    it("keeps logs 30 days in development and 365 in production", () => {
        expect(dev.services.ofType("aws:cloudwatch/logGroup:LogGroup").every((r) => r.inputs["retentionInDays"] === 30))
            .to.be.true;
        expect(
            prod.services.ofType("aws:cloudwatch/logGroup:LogGroup").every((r) => r.inputs["retentionInDays"] === 365),
        ).to.be.true;
    });

    it("the worker has no load balancer; gateway and llm-proxy have one each with the spec's health checks", () => {
        expect(
            dev.services
                .ofType("aws:lb/loadBalancer:LoadBalancer")
                .map((r) => r.name)
                .sort(),
        ).to.deep.equal(["gateway-alb", "llm-proxy-alb"]);
        expect(byName(dev, "aws:ecs/service:Service", "worker-service").inputs["loadBalancers"] ?? []).to.be.empty;
        expect(
            byName(dev, "aws:ecs/service:Service", "worker-service").inputs["healthCheckGracePeriodSeconds"],
        ).to.equal(undefined);
        for (const s of SERVICES.filter((x) => x.public)) {
            const tg = byName(dev, "aws:lb/targetGroup:TargetGroup", `${s.name}-tg`).inputs;
            expect(tg["targetType"]).to.equal("ip");
            expect(tg["port"]).to.equal(s.port);
            expect((tg["healthCheck"] as { path: string }).path).to.equal(s.healthCheckPath);
            expect(tg["deregistrationDelay"]).to.be.at.most(60);
            const svc = byName(dev, "aws:ecs/service:Service", `${s.name}-service`).inputs;
            expect(svc["loadBalancers"]).to.deep.equal([
                {
                    targetGroupArn: `arn:aws:lb:us-east-1:123456789012:${s.name}-tg`,
                    containerName: s.name,
                    containerPort: s.port,
                },
            ]);
            expect(svc["healthCheckGracePeriodSeconds"]).to.be.greaterThan(0);
        }
        expect(byName(dev, "aws:lb/targetGroup:TargetGroup", "gateway-tg").inputs["healthCheck"]).to.include({
            path: "/health",
        });
        expect(byName(dev, "aws:lb/targetGroup:TargetGroup", "llm-proxy-tg").inputs["healthCheck"]).to.include({
            path: "/health/liveliness",
        });
    });

    it("load balancers drop invalid headers, use defensive desync mitigation, and are deletion-protected in production only", () => {
        for (const lb of dev.services.ofType("aws:lb/loadBalancer:LoadBalancer")) {
            expect(lb.inputs).to.include({
                dropInvalidHeaderFields: true,
                desyncMitigationMode: "defensive",
                internal: false,
                enableDeletionProtection: false,
            });
            expect(String(lb.inputs["name"]).length).to.be.at.most(32);
        }
        expect(
            prod.services
                .ofType("aws:lb/loadBalancer:LoadBalancer")
                .every((lb) => lb.inputs["enableDeletionProtection"] === true),
        ).to.be.true;
    });

    it("with a certificate: HTTPS with a modern TLS policy and HTTP redirected; without: HTTP forwarded", () => {
        const prodListeners = prod.services
            .ofType("aws:lb/listener:Listener")
            .filter((l) => l.name.startsWith("gateway-"));
        const https = prodListeners.find((l) => l.inputs["protocol"] === "HTTPS")?.inputs;
        expect(https).to.include({ port: 443, sslPolicy: TLS_POLICY });
        const http = prodListeners.find((l) => l.inputs["protocol"] === "HTTP")?.inputs;
        expect((http?.["defaultActions"] as Array<{ type: string; redirect: unknown }>)[0]).to.deep.include({
            type: "redirect",
            redirect: { protocol: "HTTPS", port: "443", statusCode: "HTTP_301" },
        });
        const devHttp = dev.services.ofType("aws:lb/listener:Listener").find((l) => l.name === "gateway-http")?.inputs;
        expect((devHttp?.["defaultActions"] as Array<{ type: string }>)[0]?.type).to.equal("forward");
    });

    it("Fargate tasks: private subnets, no public IP, circuit breaker with rollback, awslogs, non-privileged", () => {
        for (const s of SERVICES) {
            const svc = byName(dev, "aws:ecs/service:Service", `${s.name}-service`).inputs;
            expect(svc["launchType"]).to.equal("FARGATE");
            expect((svc["networkConfiguration"] as { assignPublicIp: boolean }).assignPublicIp).to.equal(false);
            expect(svc["deploymentCircuitBreaker"]).to.deep.equal({ enable: true, rollback: true });
            // Zero-downtime rolling: new tasks start before old ones stop.
            expect(svc["deploymentMinimumHealthyPercent"]).to.equal(100);
            expect(svc["deploymentMaximumPercent"]).to.equal(200);
            const c = containerOf(dev, s.name);
            expect(c.privileged).to.equal(false);
            expect(c.logConfiguration.logDriver).to.equal("awslogs");
            expect(c.logConfiguration.options["awslogs-group"]).to.equal(`/ecs/proliferate-dev-${s.name}`);
        }
    });

    it("sizes tasks from the catalog, with per-service overrides", () => {
        const gateway = byName(prod, "aws:ecs/taskDefinition:TaskDefinition", "gateway-task").inputs;
        expect([gateway["cpu"], gateway["memory"]]).to.deep.equal(["1024", "2048"]);
        expect(byName(prod, "aws:ecs/service:Service", "gateway-service").inputs["desiredCount"]).to.equal(2);
        const worker = byName(prod, "aws:ecs/taskDefinition:TaskDefinition", "worker-task").inputs;
        const spec = SERVICES.find((s) => s.name === "worker");
        expect([worker["cpu"], worker["memory"]]).to.deep.equal([String(spec?.size.cpu), String(spec?.size.memory)]);
    });

    it("sets the spec's environment per service, and no secret as a plain variable", () => {
        const gateway = envOf(dev, "gateway");
        expect(gateway).to.include({
            GITHUB_APP_ID: "123456",
            GITHUB_APP_SLUG: "proliferate-test",
            PORT: "8080",
            DEPLOYMENT_PROFILE: "cloud",
        });
        expect(gateway["API_URL"]).to.equal((dev.services.outputs["serviceUrls"] as Record<string, string>)["gateway"]);
        const worker = envOf(dev, "worker");
        expect(worker).to.include({
            APP_URL: "https://app.example.com",
            NEXT_PUBLIC_BILLING_ENABLED: "true",
            DEFAULT_SANDBOX_PROVIDER: "e2b",
            E2B_DOMAIN: "e2b.app",
        });
        // Service-to-service calls use the private Service Connect names, not the public load balancers.
        expect(worker).to.include({
            GATEWAY_URL: "http://gateway.internal:8080",
            LLM_PROXY_URL: "http://llm-proxy.internal:4000",
        });
        expect(envOf(prod, "worker"))
            .to.include({ MODAL_APP_NAME: "proliferate-sandboxes" })
            .and.not.to.have.property("E2B_DOMAIN");
        for (const s of SERVICES) {
            const names = containerOf(dev, s.name).environment.map((e) => e.name);
            const secretNames = containerOf(dev, s.name).secrets.map((e) => e.name);
            expect(
                names.filter((n) => secretNames.includes(n)),
                s.name,
            ).to.be.empty;
            expect(
                names.filter((n) => /SECRET|TOKEN|PASSWORD|PRIVATE_KEY|_KEY$|DATABASE_URL|REDIS_URL/.test(n)),
                s.name,
            ).to.be.empty;
        }
    });

    it("runs <repository>:<imageTag>, with a per-service override and sha256 digests", async () => {
        expect(containerOf(dev, "gateway").image).to.equal(
            "123456789012.dkr.ecr.us-east-1.amazonaws.com/proliferate/dev/gateway:git-3f2c1ab",
        );
        const digest = `sha256:${"a".repeat(64)}`;
        const chain = await runChain("dev", {
            extra: { services: { [`${V}:imageTags`]: JSON.stringify({ "llm-proxy": "v1.52.0", worker: digest }) } },
        });
        expect(containerOf(chain, "llm-proxy").image).to.match(/proliferate\/dev\/llm-proxy:v1\.52\.0$/);
        expect(containerOf(chain, "worker").image).to.match(new RegExp(`proliferate/dev/worker@${digest}$`));
        expect(containerOf(chain, "gateway").image).to.match(/:git-3f2c1ab$/);
        expect(chain.services.outputs["images"])
            .to.have.property("llm-proxy")
            .that.matches(/:v1\.52\.0$/);
    });

    it("bootstrap mode creates everything but runs no task: without a tag, and with bootstrap=true", async () => {
        for (const extra of [{}, { [`${V}:bootstrap`]: "true" }]) {
            const chain = await runChain("dev", {
                extra: { services: extra },
                services: { env: { [IMAGE_TAG_ENV]: undefined } },
            });
            expect(chain.services.ofType("aws:ecs/service:Service").every((s) => s.inputs["desiredCount"] === 0)).to.be
                .true;
            expect(chain.services.ofType("aws:ecr/repository:Repository")).to.have.length(3);
            expect(Object.values(chain.services.outputs["images"] as Record<string, unknown>).every((i) => i === null))
                .to.be.true;
            expect(chain.services.outputs["imageTag"]).to.equal(null);
            expect(chain.services.outputs["imageDeployment"]).to.equal(null);
        }
    });

    it("a fourth service is one catalog row: every layer builds its groups, secret, repository, roles, load balancer and service", async () => {
        const catalog = [...SERVICES, ADMIN_SERVICE];
        const chain = await runChain("dev", { catalog });
        expect(chain.foundation.outputs["taskSecurityGroupIds"]).to.have.property("admin");
        expect(chain.secrets.outputs["secretArns"]).to.have.property("admin");
        expect(byName(chain, "aws:ecr/repository:Repository", "admin-repo").inputs["name"]).to.equal(
            "proliferate/dev/admin",
        );
        expect(byName(chain, "aws:lb/targetGroup:TargetGroup", "admin-tg").inputs["healthCheck"]).to.include({
            path: "/healthz",
        });
        expect(
            containerOf(chain, "admin")
                .secrets.map((s) => s.name)
                .sort(),
        ).to.deep.equal(["DATABASE_URL", "SERVICE_AUTH_TOKEN"]);
        expect(chain.services.outputs["serviceUrls"]).to.have.property("admin");
    });
});
