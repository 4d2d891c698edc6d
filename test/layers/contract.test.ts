import { expect } from "chai";
import { SERVICES } from "../../shared/catalog";
import { CONTRACTS } from "../../shared/contracts";
import { LAYERS, type Layer } from "../../shared/layers";
import { runChain, type Chain } from "../harness/chain";
import { APP_SECRET_VALUES, CERTIFICATE_ARN, DB_PASSWORD, REDIS_TOKEN, type Profile } from "../harness/fixtures";

const TASK_DEF = "aws:ecs/taskDefinition:TaskDefinition";
const SERVICE = "aws:ecs/service:Service";

interface ContainerDef {
    name: string;
    image: string;
    environment: Array<{ name: string; value: string }>;
    secrets: Array<{ name: string; valueFrom: string }>;
}

function container(chain: Chain, service: string): ContainerDef {
    const td = chain.services.ofType(TASK_DEF).find((r) => r.name === `${service}-task`);
    if (!td) throw new Error(`no task definition for ${service}`);
    return (JSON.parse(String(td.inputs["containerDefinitions"])) as ContainerDef[])[0] as ContainerDef;
}

for (const profile of ["dev", "prod"] as Profile[]) {
    describe(`four-layer contract, ${profile === "dev" ? "development-like" : "production-like"} configuration`, () => {
        let chain: Chain;
        let reads: Set<string>;

        before(async () => {
            chain = await runChain(profile);
            reads = new Set(chain.upstreamReads);
        });

        it("each layer exports exactly its contract's keys, each of the declared shape and secrecy", () => {
            for (const layer of LAYERS) {
                const contract = CONTRACTS[layer];
                const run = chain[layer];
                expect(Object.keys(run.outputs).sort(), layer).to.deep.equal(Object.keys(contract.outputs).sort());
                for (const [key, spec] of Object.entries(contract.outputs)) {
                    const parsed = spec.schema.safeParse(run.outputs[key]);
                    expect(parsed.success, `${layer}.${key}: ${parsed.success ? "" : parsed.error.message}`).to.be.true;
                    expect(run.secretOutputs.has(key), `${layer}.${key} secret`).to.equal(spec.secret);
                }
            }
        });

        it("every upstream key a layer reads is declared for it, and every export is read by its declared readers or is for people", () => {
            const expected = new Set<string>();
            for (const layer of LAYERS) {
                for (const [key, spec] of Object.entries(CONTRACTS[layer].outputs)) {
                    if (spec.readBy !== "people")
                        spec.readBy.forEach((consumer) => expected.add(`${consumer} <- ${layer}:${key}`));
                }
            }
            expect([...reads].sort()).to.deep.equal([...expected].sort());
        });

        it("each layer reads only the upstream layers its contract declares", () => {
            for (const read of reads) {
                const [consumer, upstream] = read.split(/ <- |:/) as [Layer, Layer];
                expect(CONTRACTS[consumer].upstreams, read).to.include(upstream);
            }
        });

        it("secret outputs stay secret across references, and no secret value appears in plain text downstream", () => {
            expect(chain.data.secretOutputs).to.have.keys("redisUrl", "databaseUrl");
            for (const version of chain.secrets.ofType("aws:secretsmanager/secretVersion:SecretVersion")) {
                expect(version.secretInputs, version.name).to.include("secretString");
            }
            const secretValues = [REDIS_TOKEN, DB_PASSWORD, ...Object.values(APP_SECRET_VALUES)];
            const plainText = JSON.stringify([
                chain.secrets.outputs,
                chain.services.resources.map((r) => r.inputs),
                chain.services.outputs,
            ]);
            for (const value of secretValues) {
                expect(plainText.includes(value), "a secret value leaked into the services layer or an output").to.be
                    .false;
            }
        });

        it("the gateway runs in foundation's private subnets with foundation's gateway task group, without a public IP", () => {
            const svc = chain.services.ofType(SERVICE).find((r) => r.name === "gateway-service");
            const network = svc?.inputs["networkConfiguration"] as {
                subnets: string[];
                securityGroups: string[];
                assignPublicIp: boolean;
            };
            expect(network.subnets).to.deep.equal(chain.foundation.outputs["privateSubnetIds"]);
            expect(network.securityGroups).to.deep.equal([
                (chain.foundation.outputs["taskSecurityGroupIds"] as Record<string, string>)["gateway"],
            ]);
            expect(network.assignPublicIp).to.equal(false);
        });

        it("the load balancers use foundation's public subnets and ALB groups", () => {
            for (const lb of chain.services.ofType("aws:lb/loadBalancer:LoadBalancer")) {
                const service = lb.name.replace(/-alb$/, "");
                expect(lb.inputs["subnets"]).to.deep.equal(chain.foundation.outputs["publicSubnetIds"]);
                expect(lb.inputs["securityGroups"]).to.deep.equal([
                    (chain.foundation.outputs["albSecurityGroupIds"] as Record<string, string>)[service],
                ]);
            }
        });

        it("the worker's secret payload contains the data layer's databaseUrl, and its container reads it through ECS secrets", () => {
            const worker = chain.secrets
                .ofType("aws:secretsmanager/secretVersion:SecretVersion")
                .find((r) => r.name === "worker-secret-value");
            const payload = JSON.parse(String(worker?.inputs["secretString"])) as Record<string, string>;
            expect(payload["DATABASE_URL"]).to.equal(chain.data.outputs["databaseUrl"]);
            expect(payload["REDIS_URL"]).to.equal(chain.data.outputs["redisUrl"]);
            const arn = (chain.secrets.outputs["secretArns"] as Record<string, string>)["worker"];
            const version = (chain.secrets.outputs["secretVersionIds"] as Record<string, string>)["worker"];
            expect(version).to.be.a("string").and.not.empty;
            // Pinned to the secret's current version, so a new value is a new task definition.
            expect(container(chain, "worker").secrets).to.deep.include({
                name: "DATABASE_URL",
                valueFrom: `${arn}:DATABASE_URL::${version}`,
            });
        });

        it("each execution role can read exactly its own service's secret from the secrets layer", () => {
            const arns = chain.secrets.outputs["secretArns"] as Record<string, string>;
            for (const s of SERVICES) {
                const policy = chain.services
                    .ofType("aws:iam/rolePolicy:RolePolicy")
                    .find((r) => r.name === `${s.name}-execution`);
                const statements = (
                    JSON.parse(String(policy?.inputs["policy"])) as {
                        Statement: Array<{ Action: string[]; Resource: string }>;
                    }
                ).Statement;
                const secretResources = statements
                    .filter((st) => st.Action.some((a) => a.startsWith("secretsmanager:")))
                    .map((st) => st.Resource);
                expect(secretResources, s.name).to.deep.equal([arns[s.name]]);
            }
        });

        it("every container's secrets name only keys its payload holds", () => {
            const keys = chain.secrets.outputs["secretKeys"] as Record<string, string[]>;
            for (const s of SERVICES) {
                expect(
                    container(chain, s.name)
                        .secrets.map((x) => x.name)
                        .sort(),
                ).to.deep.equal([...(keys[s.name] ?? [])].sort());
            }
        });

        if (profile === "dev") {
            it("development shape: one NAT, single-node Redis, single-AZ Postgres, HTTP without certificate, nothing protected", () => {
                expect(chain.foundation.one("awsx:ec2:Vpc").inputs["natGateways"]).to.deep.equal({
                    strategy: "Single",
                });
                expect(
                    chain.data.one("aws:elasticache/replicationGroup:ReplicationGroup").inputs["numCacheClusters"],
                ).to.equal(1);
                expect(chain.data.one("aws:rds/instance:Instance").inputs["multiAz"]).to.equal(false);
                expect(
                    chain.services.ofType("aws:lb/listener:Listener").map((l) => l.inputs["protocol"]),
                ).to.deep.equal(["HTTP", "HTTP"]);
                expect(
                    Object.values(chain.services.outputs["serviceUrls"] as Record<string, string>).every((u) =>
                        u.startsWith("http://"),
                    ),
                ).to.be.true;
                expect(LAYERS.flatMap((l) => chain[l].resources).filter((r) => r.protect)).to.be.empty;
            });
        } else {
            it("production shape: NAT per AZ, replication group, multi-AZ Postgres, HTTPS with the certificate, protection on", () => {
                expect(chain.foundation.one("awsx:ec2:Vpc").inputs["natGateways"]).to.deep.equal({
                    strategy: "OnePerAz",
                });
                const rg = chain.data.one("aws:elasticache/replicationGroup:ReplicationGroup").inputs;
                expect(rg["numCacheClusters"]).to.be.at.least(2);
                expect(rg["automaticFailoverEnabled"]).to.equal(true);
                expect(chain.data.one("aws:rds/instance:Instance").inputs["multiAz"]).to.equal(true);
                const https = chain.services
                    .ofType("aws:lb/listener:Listener")
                    .filter((l) => l.inputs["protocol"] === "HTTPS");
                expect(https.map((l) => l.inputs["certificateArn"])).to.deep.equal([CERTIFICATE_ARN, CERTIFICATE_ARN]);
                expect(
                    Object.values(chain.services.outputs["serviceUrls"] as Record<string, string>).every((u) =>
                        u.startsWith("https://"),
                    ),
                ).to.be.true;
                const protectedTypes = LAYERS.flatMap((l) => chain[l].resources)
                    .filter((r) => r.protect)
                    .map((r) => r.type);
                expect(protectedTypes).to.include.members([
                    "aws:rds/instance:Instance",
                    "aws:elasticache/replicationGroup:ReplicationGroup",
                    "aws:secretsmanager/secret:Secret",
                ]);
                expect(
                    chain.services
                        .ofType("aws:lb/loadBalancer:LoadBalancer")
                        .every((lb) => lb.inputs["enableDeletionProtection"] === true),
                ).to.be.true;
            });
        }
    });
}
