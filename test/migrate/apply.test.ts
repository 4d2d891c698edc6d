import { expect } from "chai";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { applyMigration } from "../../scripts/migrate/apply";
import { backupDir } from "../../scripts/migrate/backup";
import { journalPath, readJournal } from "../../scripts/migrate/journal";
import type { MigrationMapping } from "../../scripts/migrate/mapping";
import { rollbackMigration } from "../../scripts/migrate/rollback";
import { fixtureMapping, writeMapping } from "./apply-mapping";
import { FakePulumi } from "./apply-fake";

const SOURCE = "acme/proliferate-infra/prod";
const LAYER_STACKS = ["foundation", "data", "secrets", "services"].map((l) => `acme/proliferate-${l}/prod`);
const PROVIDER = "urn:pulumi:prod::proliferate-infra::pulumi:providers:aws::aws::0b5e";

/** A small monolith with the fixture's shapes: components with children, a secret with its version, a rename. */
function world(): FakePulumi {
    const fake = new FakePulumi();
    const c = (name: string, type: string, id?: string, parentName?: string) => ({
        name,
        type,
        custom: id !== undefined,
        ...(id ? { id, provider: PROVIDER } : {}),
        ...(parentName ? { parentName } : {}),
    });
    fake.addStack(SOURCE, [
        { name: "aws", type: "pulumi:providers:aws", custom: true, id: "0b5e" },
        c("network", "proliferate:foundation:Network"),
        c("network-vpc", "aws:ec2/vpc:Vpc", "vpc-0a1", "network"),
        c("network-vpc-private-1", "aws:ec2/subnet:Subnet", "subnet-0b2", "network-vpc"),
        c("postgres", "proliferate:data:PostgresDatabase"),
        c("postgres-instance", "aws:rds/instance:Instance", "db-0c3", "postgres"),
        c("worker-secret", "aws:secretsmanager/secret:Secret", "arn:secret:worker"),
        c("worker-secret-value", "aws:secretsmanager/secretVersion:SecretVersion", "v-0d4", "worker-secret"),
        c("ecs-cluster", "aws:ecs/cluster:Cluster", "arn:cluster"),
    ]);
    for (const s of LAYER_STACKS) fake.addStack(s);
    return fake;
}

const ids = (fake: FakePulumi, stack: string) =>
    new Map(
        (fake.stacks.get(stack) ?? [])
            .filter((r) => r.custom && r.id && !r.type.startsWith("pulumi:"))
            .map((r) => [r.urn, r.id]),
    );

describe("migrate-apply (against an in-memory engine)", () => {
    let root: string;
    let fake: FakePulumi;
    let mapping: MigrationMapping;
    const lines: string[] = [];
    const ctx = () => ({ root, stack: "prod", pulumi: fake.asEngine(), say: (l: string) => lines.push(l) });
    const output = () => lines.join("\n");

    beforeEach(() => {
        root = mkdtempSync(join(tmpdir(), "migrate-apply-"));
        fake = world();
        mapping = fixtureMapping(fake.exportOf(SOURCE), SOURCE, "acme", "prod");
        writeMapping(root, mapping);
        lines.length = 0;
    });
    afterEach(() => rmSync(root, { recursive: true, force: true }));

    it("moves each layer with one state move of its top-most resources, renames, keeps every id, empties the monolith", async () => {
        const before = ids(fake, SOURCE);
        expect(await applyMigration(ctx()), output()).to.equal(0);
        const moves = fake.calls.filter((c) => c.startsWith("move "));
        // Children are not named: they come along with their parent.
        expect(moves).to.deep.equal(LAYER_STACKS.map((s) => `move ${s} 1`));
        expect(fake.calls).to.include(
            "rename urn:pulumi:prod::proliferate-services::aws:ecs/cluster:Cluster::ecs-cluster cluster",
        );
        const after = new Map(LAYER_STACKS.flatMap((s) => [...ids(fake, s)]));
        for (const m of mapping.moves.filter((x) => before.has(x.urn)))
            expect(after.get(m.targetUrn), m.targetUrn).to.equal(before.get(m.urn));
        expect(fake.stacks.get(SOURCE)?.map((r) => r.type)).to.deep.equal(["pulumi:pulumi:Stack"]);
        expect(fake.calls.filter((c) => c.startsWith("publish")).map((c) => c.split(" ")[1])).to.deep.equal([
            "foundation",
            "data",
            "secrets",
        ]);
        expect(readJournal(root, "prod")?.verifiedAt).to.be.a("string");
    });

    it("backs up all five stacks before the first move, as 0600 files", async () => {
        expect(await applyMigration(ctx()), output()).to.equal(0);
        const firstMove = fake.calls.findIndex((c) => c.startsWith("move "));
        const exports = fake.calls.slice(0, firstMove).filter((c) => c.startsWith("export "));
        expect(new Set(exports.map((c) => c.split(" ")[1]))).to.deep.equal(new Set([SOURCE, ...LAYER_STACKS]));
        const dir = backupDir(root, "prod");
        const files = readdirSync(dir).sort();
        expect(files).to.have.length(5);
        expect(files).to.include("acme.proliferate-infra.prod-1.json");
        for (const f of files) expect(statSync(join(dir, f)).mode & 0o777, f).to.equal(0o600);
        expect(statSync(journalPath(root, "prod")).mode & 0o777).to.equal(0o600);
    });

    it("refuses while anything is undecided, printing each question, and calls no pulumi command", async () => {
        mapping.undecided.push({
            urn: "urn:pulumi:prod::proliferate-infra::aws:s3/bucket:Bucket::shared-uploads",
            type: "aws:s3/bucket:Bucket",
            name: "shared-uploads",
            candidates: ["services", "data"],
            question: "Is shared-uploads application data (data) or the load balancers' logs (services)?",
        });
        writeMapping(root, mapping);
        expect(await applyMigration(ctx())).to.equal(1);
        expect(output()).to.include("nothing was moved").and.include("Is shared-uploads application data");
        expect(fake.calls).to.deep.equal([]);
        expect(existsSync(journalPath(root, "prod"))).to.equal(false);
    });

    it("refuses when the monolith's export no longer matches the mapping, before any backup", async () => {
        mapping.source.exportSha256 = "0".repeat(64);
        writeMapping(root, mapping);
        expect(await applyMigration(ctx())).to.equal(1);
        expect(output()).to.include("changed since the mapping was made").and.include("make migrate-plan");
        expect(existsSync(backupDir(root, "prod"))).to.equal(false);
        expect(fake.calls.filter((c) => !c.startsWith("export "))).to.deep.equal([]);
    });

    it("refuses a mapping that moves a child without its parent component, before any backup (exit 2)", async () => {
        const component = mapping.moves.find((m) => m.type === "proliferate:data:PostgresDatabase");
        mapping.moves = mapping.moves.filter((m) => m !== component);
        mapping.stays.push({ urn: component?.urn ?? "", why: "a component whose children go to different layers" });
        writeMapping(root, mapping);
        let error: unknown;
        try {
            await applyMigration(ctx());
        } catch (err) {
            error = err;
        }
        expect(String(error)).to.include("would lose their parent").and.include("postgres-instance moves to data");
        expect(String(error)).to.include("stays in the monolith");
        expect(existsSync(backupDir(root, "prod"))).to.equal(false);
        expect(existsSync(journalPath(root, "prod"))).to.equal(false);
    });

    it("refuses when a layer stack does not exist, moving nothing", async () => {
        fake.stacks.delete(LAYER_STACKS[1] as string);
        expect(await applyMigration(ctx())).to.equal(1);
        expect(output()).to.include("acme/proliferate-data/prod does not exist").and.include("pulumi stack init");
        expect(fake.calls.some((c) => c.startsWith("move "))).to.equal(false);
    });

    it("an interruption after a move resumes at the first unfinished step and repeats no done one", async () => {
        const before = ids(fake, SOURCE);
        fake.interruptAfter = "move#2"; // the data move completes, then Ctrl-C is noticed
        expect(await applyMigration(ctx())).to.equal(130);
        expect(output()).to.include("Resume: make migrate-apply STACK=prod");
        expect(readJournal(root, "prod")?.done.map((d) => d.id)).to.deep.equal(["backup", "move:foundation"]);

        fake.interruptAfter = undefined;
        fake.calls.length = 0;
        expect(await applyMigration(ctx()), output()).to.equal(0);
        expect(output()).to.match(/resuming: 2 of \d+ steps done/);
        // The data move was found done (nothing of it left in the monolith): no second move of it or of foundation.
        expect(fake.calls.filter((c) => c.startsWith("move ")).map((c) => c.split(" ")[1])).to.deep.equal([
            LAYER_STACKS[2],
            LAYER_STACKS[3],
        ]);
        expect(readdirSync(backupDir(root, "prod"))).to.have.length(5);
        const after = new Map(LAYER_STACKS.flatMap((s) => [...ids(fake, s)]));
        expect(after.size).to.equal(before.size);
    });

    it("a failed command stops with the reason and the resume command; the re-run finishes", async () => {
        fake.failOn = "rename#1";
        expect(await applyMigration(ctx())).to.equal(1);
        expect(output()).to.include("pulumi rename failed").and.include("make migrate-apply STACK=prod");
        fake.failOn = undefined;
        expect(await applyMigration(ctx())).to.equal(0);
        expect(fake.stacks.get(LAYER_STACKS[3] as string)?.some((r) => r.urn.endsWith("::cluster"))).to.equal(true);
    });

    it("refuses to finish when a layer's preview would replace a stateful resource; in-place updates are only listed", async () => {
        fake.previews = {
            foundation: [{ op: "update", type: "pulumi:providers:aws", urn: "urn:x::aws" }],
            data: [{ op: "replace", type: "aws:rds/instance:Instance", urn: "urn:x::postgres-instance" }],
        };
        expect(await applyMigration(ctx())).to.equal(1);
        expect(output()).to.include("update pulumi:providers:aws aws");
        expect(output()).to.include("! replace aws:rds/instance:Instance postgres-instance");
        expect(output()).to.include("make migrate-rollback STACK=prod");
        expect(fake.calls.filter((c) => c.startsWith("publish")).map((c) => c.split(" ")[1])).to.deep.equal([
            "foundation",
        ]);
        expect(readJournal(root, "prod")?.verifiedAt).to.equal(undefined);
    });

    it("refuses to continue when mapping.json changed since the migration started", async () => {
        fake.interruptAfter = "move#1";
        expect(await applyMigration(ctx())).to.equal(130);
        writeFileSync(join(root, "migration", "prod", "mapping.json"), JSON.stringify({ ...mapping, stays: [] }));
        expect(await applyMigration(ctx())).to.equal(1);
        expect(output()).to.include("changed since this migration started");
    });

    it("make migrate-rollback restores every stack from the backups in reverse order and clears the journal", async () => {
        const before = fake.exportOf(SOURCE);
        expect(await applyMigration(ctx())).to.equal(0);
        fake.calls.length = 0;
        expect(await rollbackMigration(ctx())).to.equal(0);
        expect(fake.calls.map((c) => c.split(" ")[1])).to.deep.equal([...LAYER_STACKS].reverse().concat(SOURCE));
        expect(fake.exportOf(SOURCE)).to.equal(before);
        for (const s of LAYER_STACKS) expect(fake.stacks.get(s)).to.have.length(1);
        expect(existsSync(journalPath(root, "prod"))).to.equal(false);
    });

    it("make migrate-rollback refuses when there are no backups, importing nothing", async () => {
        expect(await rollbackMigration(ctx())).to.equal(1);
        expect(output()).to.include("no backup of").and.include("nothing was restored");
        expect(fake.calls).to.deep.equal([]);
    });

    it("a damaged journal is bad input naming the file and the way out", async () => {
        writeFileSync(journalPath(root, "prod"), "{ half");
        let error: unknown;
        try {
            await applyMigration(ctx());
        } catch (err) {
            error = err;
        }
        expect(String(error)).to.match(/migration\/prod\/journal.json is not JSON.*migrate-rollback/);
        expect(readFileSync(journalPath(root, "prod"), "utf8")).to.equal("{ half");
    });
});
