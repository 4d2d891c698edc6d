/**
 * Matching over a state export fixture: the four layer programs run offline (the engine of make
 * plan) and each monolith resource becomes exactly one of their resources, or a question.
 * Fixture: fixtures/synthetic-export.json, a hand-built export of a dev monolith (see its README);
 * each test changes one thing in a copy of it.
 */
import { expect } from "chai";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { LAYERS, type Layer } from "../../shared/layers";
import { buildMapping } from "../../scripts/migrate/build";
import type { MigrationMapping } from "../../scripts/migrate/mapping";
import type { Answer } from "../../scripts/migrate/match";
import { parseExport, type ExportedResource } from "../../scripts/migrate/state-export";
import type { LayerRun } from "../../scripts/plan/mock-engine";
import { runPlanLayers } from "../../scripts/plan/run";
import { readPlanConfig } from "../../scripts/plan/stack-config";

const ROOT = join(__dirname, "..", "..", "..");
const FIXTURE = join(ROOT, "test", "migrate", "fixtures", "synthetic-export.json");
const FILE = "migration/dev/mapping.json";
const M = (qt: string, name: string) => `urn:pulumi:dev::proliferate-infra::${qt}::${name}`;

type Doc = { version: number; deployment: { resources: ExportedResource[] } };
const fixture = (): Doc => JSON.parse(readFileSync(FIXTURE, "utf8")) as Doc;

describe("migrate-plan: matching a monolith export to the layer programs", function () {
    this.timeout(60_000);
    let runs: Record<Layer, Pick<LayerRun, "resources">>;
    before(async () => {
        runs = (await runPlanLayers("dev", readPlanConfig(ROOT, "dev").layers)).runs;
    });
    const plan = (doc: Doc, answers = new Map<string, Answer>()): MigrationMapping =>
        buildMapping({
            root: ROOT,
            source: "organization/proliferate-infra/dev",
            stack: "dev",
            exported: parseExport(JSON.stringify(doc), "fixture"),
            config: [],
            runs,
            answers,
            file: FILE,
        });
    const moveOf = (m: MigrationMapping, urn: string) => m.moves.find((x) => x.urn === urn);

    it("places every resource exactly once and decides all of the clean fixture", () => {
        const doc = fixture();
        const m = plan(doc);
        expect(m.undecided, JSON.stringify(m.undecided, null, 1)).to.deep.equal([]);
        const seen = [...m.moves.map((x) => x.urn), ...m.stays.map((x) => x.urn)];
        expect(seen.sort()).to.deep.equal(doc.deployment.resources.map((r) => r.urn).sort());
        expect(m.stays.map((s) => s.urn)).to.deep.equal([
            M("pulumi:pulumi:Stack", "proliferate-infra-dev"),
            M("pulumi:providers:aws", "aws"),
        ]);
        const targets = m.moves.map((x) => x.targetUrn);
        expect(new Set(targets).size, "a target claimed twice").to.equal(targets.length);
        expect(m.source.resources).to.equal(doc.deployment.resources.length);
        expect(m.source.exportSha256).to.match(/^[0-9a-f]{64}$/);
        expect(m.target.stacks).to.deep.equal({
            foundation: "organization/proliferate-foundation/dev",
            data: "organization/proliferate-data/dev",
            secrets: "organization/proliferate-secrets/dev",
            services: "organization/proliferate-services/dev",
        });
    });

    it("gives each move the URN the layer program registers, with its component parent's type chain", () => {
        const m = plan(fixture());
        const db = moveOf(m, M("proliferate:data:PostgresDatabase$aws:rds/instance:Instance", "db"));
        expect(db).to.include({
            layer: "data",
            targetUrn:
                "urn:pulumi:dev::proliferate-data::proliferate:data:PostgresDatabase$aws:rds/instance:Instance::postgres-instance",
            targetParent: "urn:pulumi:dev::proliferate-data::proliferate:data:PostgresDatabase::postgres",
        });
        expect(db?.why).to.include("identifier");
        const role = moveOf(m, M("proliferate:services:FargateService$aws:iam/role:Role", "gateway-exec-role"));
        expect(role?.layer).to.equal("services");
        expect(role?.targetUrn).to.match(
            /::proliferate:services:FargateService\$aws:iam\/role:Role::gateway-execution$/,
        );
        const logs = moveOf(
            m,
            M("proliferate:services:FargateService$aws:cloudwatch/logGroup:LogGroup", "worker-logs"),
        );
        expect(logs?.why).to.match(/used by aws:ecs\/taskDefinition:TaskDefinition worker-task/);
    });

    it("renames the awsx Vpc's children with the Vpc's name prefix, under the layer's Vpc", () => {
        const m = plan(fixture());
        const subnetQt = "proliferate:foundation:Network$awsx:ec2:Vpc$aws:ec2/vpc:Vpc$aws:ec2/subnet:Subnet";
        const nat = moveOf(m, M(`${subnetQt}$aws:ec2/natGateway:NatGateway`, "vpc-1"));
        expect(nat?.targetUrn).to.equal(
            `urn:pulumi:dev::proliferate-foundation::${subnetQt}$aws:ec2/natGateway:NatGateway::network-vpc-1`,
        );
        expect(nat?.targetParent).to.equal(`urn:pulumi:dev::proliferate-foundation::${subnetQt}::network-vpc-public-1`);
    });

    it("renames a top-level resource whose name differs, keeping its type chain", () => {
        const m = plan(fixture());
        expect(moveOf(m, M("aws:ecs/cluster:Cluster", "ecs-cluster"))?.targetUrn).to.equal(
            "urn:pulumi:dev::proliferate-services::aws:ecs/cluster:Cluster::cluster",
        );
    });

    it("a move that would change the parent type chain is undecided: state move and rename cannot do it", () => {
        const doc = fixture();
        const db = doc.deployment.resources.find(
            (r) => r.urn === M("proliferate:data:PostgresDatabase$aws:rds/instance:Instance", "db"),
        ) as ExportedResource;
        db.urn = M("aws:rds/instance:Instance", "db");
        db.parent = M("pulumi:pulumi:Stack", "proliferate-infra-dev");
        const m = plan(doc);
        expect(m.undecided.map((u) => u.urn)).to.deep.equal([db.urn]);
        expect(m.undecided[0]?.question).to.include(
            "under proliferate:data:PostgresDatabase, but the monolith has it under (the root stack)",
        );
        expect(m.undecided[0]?.question).to.include("neither pulumi state move nor pulumi state rename can change");
    });

    it("lists what no monolith resource becomes as creates, stateful ones flagged; the monolith's provider is not one", () => {
        const m = plan(fixture());
        const refs = m.creates.filter((c) => c.type === "pulumi:pulumi:StackReference");
        expect(refs.map((c) => c.layer).sort()).to.deep.equal([
            "data",
            "secrets",
            "secrets",
            "services",
            "services",
            "services",
        ]);
        expect(refs.every((c) => !c.stateful)).to.be.true;
        expect(m.creates.some((c) => c.type === "pulumi:providers:aws")).to.be.false;
        const egress = m.creates.find((c) => c.targetUrn.endsWith("::security-groups-worker-task-out-5432-postgres"));
        expect(egress?.stateful).to.be.true;
    });

    it("an ambiguous resource is undecided with a question naming it, its candidates and how to answer", () => {
        const doc = fixture();
        const bucket: ExportedResource = {
            urn: M("aws:sqs/queue:Queue", "jobs"),
            type: "aws:sqs/queue:Queue",
            custom: true,
            id: "https://sqs.us-east-1.amazonaws.com/123456789012/acme-jobs",
            parent: M("pulumi:pulumi:Stack", "proliferate-infra-dev"),
            inputs: { name: "acme-jobs" },
            outputs: {},
        };
        doc.deployment.resources.push(bucket);
        const m = plan(doc);
        expect(m.undecided).to.have.length(1);
        const u = m.undecided[0];
        expect(u).to.include({ urn: bucket.urn, type: "aws:sqs/queue:Queue", name: "jobs" });
        expect(u?.candidates).to.deep.equal([...LAYERS]);
        expect(u?.question).to.include(`in ${FILE}, set "layer" of this entry`);
        expect(u?.question).to.include("no rule places aws:sqs/queue:Queue");
        expect(m.moves.some((x) => x.urn === bucket.urn)).to.be.false;
        // The answer, read back by the next plan, decides it.
        const answered = plan(doc, new Map([[bucket.urn, { layer: "stays" as const }]]));
        expect(answered.undecided).to.deep.equal([]);
        expect(answered.stays.find((s) => s.urn === bucket.urn)?.why).to.equal(`answered in ${FILE}`);
    });

    it("an answered layer and targetUrn decide between several candidates; an answer naming no candidate does not", () => {
        const doc = fixture();
        const rule = doc.deployment.resources.find((r) => r.urn.endsWith("::gateway-alb-https-in")) as ExportedResource;
        const vague = {
            ...rule,
            urn: rule.urn.replace("gateway-alb-https-in", "gateway-alb-in"),
            id: "sgr-vague",
            inputs: { securityGroupId: rule.inputs["securityGroupId"] },
        };
        doc.deployment.resources.push(vague);
        const asked = plan(doc).undecided;
        expect(asked.map((u) => u.urn)).to.deep.equal([vague.urn]);
        const http = asked[0]?.candidates.find((c) =>
            c.endsWith("::security-groups-gateway-alb-in-80-ipv4-any"),
        ) as string;
        expect(asked[0]?.candidates).to.have.length(4);
        const answered = plan(doc, new Map([[vague.urn, { layer: "foundation" as const, targetUrn: http }]]));
        expect(answered.undecided).to.deep.equal([]);
        expect(moveOf(answered, vague.urn)?.targetUrn).to.equal(http);
        const wrong = plan(
            doc,
            new Map([
                [
                    vague.urn,
                    {
                        layer: "foundation" as const,
                        targetUrn: "urn:pulumi:dev::proliferate-foundation::aws:ec2/vpc:Vpc::nope",
                    },
                ],
            ]),
        );
        expect(wrong.undecided[0]?.question).to.include(
            "is none of the foundation program's aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule resources",
        );
    });

    it("a physical-name mismatch on a stateful resource is flagged as a would-be replacement with the field", () => {
        const doc = fixture();
        const secret = doc.deployment.resources.find(
            (r) => r.urn === M("aws:secretsmanager/secret:Secret", "gateway-secret"),
        ) as ExportedResource;
        secret.inputs = { ...secret.inputs, name: "proliferate-gateway" };
        const m = plan(doc);
        // Its version follows it: moved without its parent it would lose its parent type.
        const version = M(
            "aws:secretsmanager/secret:Secret$aws:secretsmanager/secretVersion:SecretVersion",
            "gateway-secret-version",
        );
        expect(m.undecided.map((u) => u.urn)).to.deep.equal([secret.urn, version]);
        expect(m.undecided[1]?.question).to.include(`its parent ${secret.urn} is undecided`);
        const q = m.undecided[0]?.question ?? "";
        expect(q).to.include("REPLACE");
        expect(q).to.include(
            'name is "proliferate-gateway" in the monolith but "proliferate/dev/gateway" in the secrets program',
        );
        expect(m.undecided[0]?.candidates).to.deep.equal([
            "urn:pulumi:dev::proliferate-secrets::aws:secretsmanager/secret:Secret::gateway-secret",
        ]);
    });

    it("a child whose parent stays behind is undecided: state move would re-parent it to the root stack", () => {
        const doc = fixture();
        const worker = M("proliferate:services:FargateService", "worker");
        const m = plan(doc, new Map([[worker, { layer: "stays" as const }]]));
        const children = doc.deployment.resources.filter((r) => r.parent === worker).map((r) => r.urn);
        expect(children.length).to.be.greaterThan(5);
        expect(m.undecided.map((u) => u.urn).sort()).to.deep.equal([...children].sort());
        expect(m.undecided[0]?.question).to.include(`its parent ${worker} stays in the monolith`);
        expect(m.moves.some((x) => children.includes(x.urn))).to.be.false;
    });

    it("two monolith resources matching one target are both undecided, never a guess", () => {
        const doc = fixture();
        const db = doc.deployment.resources.find(
            (r) => r.urn === M("proliferate:data:PostgresDatabase$aws:rds/instance:Instance", "db"),
        ) as ExportedResource;
        doc.deployment.resources.push({ ...db, urn: M("aws:rds/instance:Instance", "db-copy") });
        const m = plan(doc);
        expect(m.undecided.map((u) => u.name).sort()).to.deep.equal(["db", "db-copy"]);
        expect(m.undecided[0]?.question).to.include("only one can become it");
    });

    it("no secret of the export reaches the mapping", () => {
        const text = JSON.stringify(plan(fixture()));
        expect(text).not.to.include("ciphertext");
        expect(text).not.to.include("v1:AAAA");
    });
});
