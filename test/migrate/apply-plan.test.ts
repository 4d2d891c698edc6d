import { expect } from "chai";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { EngineEvent } from "@pulumi/pulumi/automation";
import { main } from "../../scripts/migrate-apply";
import { planSteps, readMapping, validateMapping } from "../../scripts/migrate/apply-plan";
import { judgeChanges, previewChanges } from "../../scripts/migrate/apply-preview";
import { backupNumbers, latestBackup, writeBackup } from "../../scripts/migrate/backup";
import type { MigrationMapping } from "../../scripts/migrate/mapping";
import { UsageError } from "../../scripts/runner/usage-error";
import { fixtureMapping } from "./apply-mapping";
import { FakePulumi } from "./apply-fake";

const SOURCE = "acme/proliferate-infra/prod";

function sample(): { mapping: MigrationMapping; parents: Map<string, string | undefined> } {
    const fake = new FakePulumi();
    fake.addStack(SOURCE, [
        { name: "network", type: "proliferate:foundation:Network", custom: false },
        { name: "network-vpc", type: "awsx:ec2:Vpc", custom: false, parentName: "network" },
        { name: "network-vpc", type: "aws:ec2/vpc:Vpc", custom: true, id: "vpc-1", parentName: "network-vpc" },
        { name: "ecs-cluster", type: "aws:ecs/cluster:Cluster", custom: true, id: "arn:c" },
    ]);
    const text = fake.exportOf(SOURCE);
    const resources = (JSON.parse(text) as { deployment: { resources: Array<{ urn: string; parent?: string }> } })
        .deployment.resources;
    return {
        mapping: fixtureMapping(text, SOURCE, "acme", "prod"),
        parents: new Map(resources.map((r) => [r.urn, r.parent])),
    };
}

const refused = (fn: () => unknown): string => {
    try {
        fn();
    } catch (err) {
        expect(err).to.be.instanceOf(UsageError);
        return (err as Error).message;
    }
    throw new Error("no UsageError");
};

describe("migrate-apply: the mapping and the steps", () => {
    it("plans backup, one move per layer naming only top-most resources, the renames, then cleanup", () => {
        const { mapping, parents } = sample();
        const steps = planSteps(mapping, (u) => parents.get(u));
        expect(steps.map((s) => s.id)).to.deep.equal([
            "backup",
            "move:foundation",
            "move:services",
            "rename:urn:pulumi:prod::proliferate-services::aws:ecs/cluster:Cluster::cluster",
            "cleanup-source",
        ]);
        const foundation = steps[1] as Extract<(typeof steps)[number], { kind: "move" }>;
        expect(foundation.urns).to.deep.equal([
            "urn:pulumi:prod::proliferate-infra::proliferate:foundation:Network::network",
        ]);
        expect(foundation.all).to.have.length(3);
    });

    it("validates the keys apply relies on, naming the wrong one", () => {
        const { mapping } = sample();
        const check = (doc: unknown) => refused(() => validateMapping(doc, "migration/prod/mapping.json", "prod"));
        expect(check({ ...mapping, version: 2 }))
            .to.include("version is 2")
            .and.include("make migrate-plan");
        expect(check({ ...mapping, target: { ...mapping.target, stack: "dev" } })).to.include("target.stack");
        expect(check({ ...mapping, undecided: null })).to.include("undecided is not a list");
        const wrongLayer = { ...mapping, moves: [{ ...mapping.moves[0], layer: "network" }] };
        expect(check(wrongLayer)).to.include("moves[0].layer");
        const reparented = {
            ...mapping,
            moves: [
                {
                    ...mapping.moves[2],
                    targetUrn: "urn:pulumi:prod::proliferate-foundation::aws:ec2/vpc:Vpc::network-vpc",
                },
            ],
        };
        expect(check(reparented)).to.include("moves[0].targetUrn").and.include("parent type chain");
        expect(validateMapping(JSON.parse(JSON.stringify(mapping)), "m", "prod").moves).to.have.length(4);
    });

    it("a missing mapping file names the command that makes it", () => {
        const root = mkdtempSync(join(tmpdir(), "migrate-plan-"));
        try {
            expect(refused(() => readMapping(root, "prod"))).to.include("make migrate-plan SOURCE=");
        } finally {
            rmSync(root, { recursive: true, force: true });
        }
    });

    it("STACK is validated before anything runs (exit 2)", async () => {
        const errors: string[] = [];
        const original = console.error;
        console.error = (line: string) => errors.push(line);
        try {
            expect(await main([], { PROLIFERATE_STACK: "a/b/c/d" })).to.equal(2);
        } finally {
            console.error = original;
        }
        expect(errors.join("\n")).to.include('STACK "a/b/c/d"');
    });
});

describe("migrate-apply: what a preview may show", () => {
    const event = (op: string, type: string, name: string) =>
        ({
            resourcePreEvent: { metadata: { op, type, urn: `urn:pulumi:p::x::${type}::${name}` } },
        }) as unknown as EngineEvent;

    it("refuses creates, deletes and replacements of stateful or networked resources, lists the rest", () => {
        const changes = previewChanges([
            event("same", "aws:rds/instance:Instance", "db"),
            event("update", "aws:rds/instance:Instance", "db"),
            event("update", "pulumi:providers:aws", "aws"),
            event("create", "aws:iam/role:Role", "role"),
            event("create", "pulumi:providers:pulumi", "default"),
            event("replace", "aws:ecs/taskDefinition:TaskDefinition", "task"),
            event("create", "aws:ec2/subnet:Subnet", "subnet"),
            event("create-replacement", "aws:elasticache/replicationGroup:ReplicationGroup", "redis"),
            event("delete", "aws:secretsmanager/secret:Secret", "secret"),
            event("replace", "aws:lb/loadBalancer:LoadBalancer", "alb"),
        ]);
        const { refused: no, listed } = judgeChanges(changes);
        expect(no.map((c) => c.urn.split("::").pop())).to.deep.equal(["subnet", "redis", "secret", "alb"]);
        expect(listed.map((c) => `${c.op} ${c.urn.split("::").pop()}`)).to.deep.equal([
            "update db",
            "update aws",
            "create role",
            "create default",
            "replace task",
        ]);
    });
});

describe("migrate-apply: backups", () => {
    it("numbers backups per stack and never overwrites one", () => {
        const dir = join(mkdtempSync(join(tmpdir(), "migrate-backup-")), "backups");
        try {
            writeBackup(dir, SOURCE, "one");
            writeBackup(dir, SOURCE, "two");
            writeBackup(dir, "acme/proliferate-data/prod", "x");
            expect(backupNumbers(dir, SOURCE)).to.deep.equal([1, 2]);
            expect(latestBackup(dir, SOURCE)).to.equal(join(dir, "acme.proliferate-infra.prod-2.json"));
            expect(latestBackup(dir, "acme/proliferate-secrets/prod")).to.equal(undefined);
        } finally {
            rmSync(join(dir, ".."), { recursive: true, force: true });
        }
    });
});
