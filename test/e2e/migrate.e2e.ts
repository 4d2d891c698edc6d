/**
 * `make e2e`, issue 16: a running `proliferate-infra` monolith (test/e2e/fixtures/monolith, seed 001)
 * adopted into the four layer stacks without recreating anything, on the real Pulumi engine over the
 * simulated AWS (harness.ts), with a file backend and passphrase secrets (the S3/KMS backend is proved
 * by scenario.e2e.ts; state moves do not depend on the backend kind). Every step is the make target
 * users run: `make migrate-plan` writes the mapping and creates the layer stacks with the monolith's
 * config, `make migrate-apply` carries it out, `make deploy-all` and `make migrate-rollback` follow.
 *
 * What it does not prove: anything about real AWS (simulated providers whose tags are not diffed
 * through `tagsAll`), or a monolith whose physical names differ from the layers' (the plan asks about
 * those, and migrate-apply's preview check refuses what the plan cannot see).
 */
import { expect } from "chai";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { LAYERS, PROJECT_NAMES } from "../../shared/layers";
import { readMapping, sha256 } from "../../scripts/migrate/apply-plan";
import type { MigrationMapping } from "../../scripts/migrate/mapping";
import type { MakeRun } from "../make/make-harness";
import { EngineRepo, e2eTools } from "./harness";
import {
    MONOLITH_DIR,
    configureMonolith,
    exportText,
    idsOf,
    layerFixtureOptions,
    layerIds,
    monolithSet,
    monolithUp,
    resourcesOf,
} from "./migrate-harness";

const STACK = "mig";
const ORG = "organization";
const SOURCE = `${ORG}/proliferate-infra/${STACK}`;
/** The command docs/migration.md gives, with the fixture's folder (relative, as a user in the repo types it). */
const PLAN = ["migrate-plan", `SOURCE=${SOURCE}`, `STACK=${STACK}`, `SOURCE_DIR=${MONOLITH_DIR.join("/")}`];
const APPLY = ["migrate-apply", `STACK=${STACK}`];
const BUCKET = `urn:pulumi:${STACK}::proliferate-infra::aws:s3/bucket:Bucket::shared-uploads`;

/** A layer's row of a run's summary table: result and create/update/replace/delete counts. */
function row(run: MakeRun, layer: string): { result: string; counts: number[] } {
    const m = new RegExp(`^\\s+${layer}\\s+([a-z ]+?)\\s+(\\S+)\\s+(\\S+)\\s+(\\S+)\\s+(\\S+)\\s+\\S+$`, "m").exec(
        run.stderr,
    );
    if (!m) throw new Error(`no summary row for ${layer}:\n${run.out.slice(-3000)}`);
    return { result: m[1] ?? "", counts: [m[2], m[3], m[4], m[5]].map((c) => Number(c)) };
}

/** A move as `<type>::<name> -> <layer> <type chain>::<name>`, for comparing two plans. */
const moveLine = (m: MigrationMapping["moves"][number]) =>
    `${m.urn.split("::").slice(2).join("::")} -> ${m.layer} ${m.targetUrn.split("::").slice(2).join("::")}`;

describe("make migrate-plan, migrate-apply, migrate-rollback: the seed-001 monolith into the four layers on the real engine", function () {
    this.timeout(900_000);
    let env: EngineRepo;
    let mapping: MigrationMapping;
    /** The first plan's file as written, reviewed before the monolith changed (the stale-mapping step). */
    let firstPlan: string;
    /** Monolith URN → id before the migration. */
    let idsBefore: Map<string, string>;
    const mappingFile = () => env.repo.path("migration", STACK, "mapping.json");
    const nothingStarted = () => {
        expect(existsSync(env.repo.path("migration", STACK, "backups")), "backups taken").to.equal(false);
        expect(existsSync(env.repo.path("migration", STACK, "journal.json")), "journal written").to.equal(false);
    };

    before(function () {
        const tools = e2eTools();
        if ("missing" in tools) {
            console.error(`    skipped: ${tools.missing}`);
            return this.skip();
        }
        env = new EngineRepo(tools, { url: "file://" });
        const dir = env.repo.path("..", "file-state");
        mkdirSync(dir, { recursive: true });
        env.env["BACKEND"] = `file://${dir}`;
        env.env["PULUMI_CONFIG_PASSPHRASE"] = "e2e-only-passphrase";
        env.repo.build();
        configureMonolith(env, STACK);
    });
    after(() => env?.remove());

    it("make migrate-plan maps the deployed monolith: nothing undecided, two renames, no stateful create", async () => {
        monolithUp(env, STACK);
        const text = exportText(env, SOURCE);
        const run = await env.make(PLAN);
        expect(run.status, run.out).to.equal(0);
        expect(run.out).to.include("Nothing is undecided").and.include(`make migrate-apply STACK=${STACK}`);
        firstPlan = readFileSync(mappingFile(), "utf8");
        mapping = readMapping(env.repo.root, STACK).mapping;
        expect(mapping.source).to.deep.equal({
            stack: SOURCE,
            exportSha256: sha256(text),
            resources: resourcesOf(text).length,
        });
        expect(mapping.undecided).to.deep.equal([]);
        // Every monolith resource is decided exactly once; only the root stack resource and providers stay.
        const urns = resourcesOf(text).map((r) => r.urn);
        expect([...mapping.moves, ...mapping.stays].map((x) => x.urn).sort()).to.deep.equal([...urns].sort());
        expect(mapping.stays.map((s) => s.urn.split("::")[2]).sort()).to.deep.equal([
            "pulumi:providers:aws",
            "pulumi:providers:awsx",
            "pulumi:providers:pulumi",
            "pulumi:pulumi:Stack",
        ]);
        // URNs keep everything but the project, except the two top-level names the monolith gives differently.
        const renamed = mapping.moves
            .filter((m) => m.targetUrn !== m.urn.replace("::proliferate-infra::", `::${PROJECT_NAMES[m.layer]}::`))
            .map((m) => `${m.name} -> ${m.layer} ${m.targetUrn.split("::").slice(2).join("::")}`);
        expect(renamed.sort()).to.deep.equal([
            "ecs-cluster -> services aws:ecs/cluster:Cluster::cluster",
            "service-discovery -> services aws:servicediscovery/httpNamespace:HttpNamespace::service-connect",
        ]);
        expect(mapping.moves.filter((m) => m.replacedFields)).to.deep.equal([]);
        // The first up creates only the layers' stack references: nothing stateful.
        expect(mapping.creates.map((c) => `${c.type} ${String(c.stateful)}`)).to.deep.equal(
            Array(6).fill("pulumi:pulumi:StackReference false"),
        );
        const where = (type: string) => [...new Set(mapping.moves.filter((m) => m.type === type).map((m) => m.layer))];
        expect(where("aws:ec2/vpc:Vpc")).to.deep.equal(["foundation"]);
        expect(where("aws:rds/instance:Instance")).to.deep.equal(["data"]);
        expect(where("aws:secretsmanager/secretVersion:SecretVersion")).to.deep.equal(["secrets"]);
        expect(where("aws:ecs/service:Service")).to.deep.equal(["services"]);
        // The plan created the layer stacks with the config the layers were written for (the monolith's,
        // translated), secrets still secret; no value of it is in the mapping or the plan's output.
        const fixtures = layerFixtureOptions();
        for (const layer of LAYERS) {
            const { config, secretKeys = [] } = fixtures[layer];
            const got = env.pulumi(layer, ["config", "--show-secrets", "--json", "--stack", STACK]);
            expect(got.status, got.stderr).to.equal(0);
            const values = JSON.parse(got.stdout) as Record<string, { value: string; secret: boolean }>;
            const expected = Object.fromEntries(
                Object.entries(config).map(([k, v]) => [k, { value: v, secret: secretKeys.includes(k) }]),
            );
            expect(values, layer).to.deep.equal(expected);
        }
        const secrets = LAYERS.flatMap((l) => (fixtures[l].secretKeys ?? []).map((k) => fixtures[l].config[k]));
        expect(secrets.length).to.be.greaterThan(10);
        for (const value of secrets) {
            if (value === undefined) continue;
            expect(firstPlan.includes(value) || run.out.includes(value), "a secret leaked").to.equal(false);
        }
        expect(firstPlan).not.to.include("ciphertext");
    });

    it("a bucket of unclear role: migrate-plan asks which layer and how to answer; migrate-apply refuses with that question, moving nothing", async () => {
        monolithSet(env, STACK, "proliferate-infra:extraBucket", "true");
        monolithUp(env, STACK);
        const text = exportText(env, SOURCE);
        const plan = await env.make(PLAN);
        // make reports a failed recipe as 2; the script's own code (1: undecided) is in make's message.
        expect(plan.status, plan.out).to.equal(2);
        expect(plan.stderr).to.include("migrate-plan] Error 1");
        const asked = readMapping(env.repo.root, STACK).mapping;
        expect(asked.source.exportSha256).to.equal(sha256(text));
        expect(asked.undecided.map((u) => u.urn)).to.deep.equal([BUCKET]);
        const question = asked.undecided[0]?.question ?? "(no question)";
        expect(question).to.include('aws:s3/bucket:Bucket "shared-uploads"');
        expect(question).to.include(`in migration/${STACK}/mapping.json, set "layer" of this entry`);
        expect(question).to.include('"stays"').and.include("run make migrate-plan again");
        expect(plan.out).to.include("UNDECIDED (1)").and.include(BUCKET).and.include(question);
        // Everything else is planned as before.
        expect(asked.moves.map(moveLine).sort()).to.deep.equal(mapping.moves.map(moveLine).sort());

        const run = await env.make(APPLY);
        expect(run.status, run.out).to.equal(2);
        expect(run.stderr).to.include("migrate-apply] Error 1");
        expect(run.stderr).to.include("undecided").and.include("nothing was moved");
        expect(run.stderr).to.include(BUCKET).and.include(question);
        expect(sha256(exportText(env, SOURCE)), "the monolith's state changed").to.equal(sha256(text));
        nothingStarted();
    });

    it("a mapping made before the monolith changed is refused, moving nothing; planning again after the change is clean", async () => {
        // The first plan, reviewed and kept; since then the monolith's up added the bucket.
        writeFileSync(mappingFile(), firstPlan);
        const text = exportText(env, SOURCE);
        const run = await env.make(APPLY);
        expect(run.status, run.out).to.equal(2);
        expect(run.stderr).to.include("migrate-apply] Error 1");
        expect(run.stderr).to.include("changed since the mapping was made").and.include("make migrate-plan");
        expect(sha256(exportText(env, SOURCE)), "the monolith's state changed").to.equal(sha256(text));
        nothingStarted();

        // The bucket's owner decided it goes away: the monolith's next up deletes it, and the plan is clean again.
        monolithSet(env, STACK, "proliferate-infra:extraBucket", "false");
        monolithUp(env, STACK);
        const plan = await env.make(PLAN);
        expect(plan.status, plan.out).to.equal(0);
        const again = readMapping(env.repo.root, STACK).mapping;
        expect(again.source.exportSha256).to.equal(sha256(exportText(env, SOURCE)));
        expect(again.undecided).to.deep.equal([]);
        expect(again.moves.map(moveLine).sort()).to.deep.equal(mapping.moves.map(moveLine).sort());
        mapping = again;
    });

    it("an interrupted migrate-apply resumes at its first unfinished step and moves every resource with its id", async () => {
        const text = exportText(env, SOURCE);
        idsBefore = idsOf(text);

        // migrate-apply changes state only: the simulated account (every "cloud" object) must not change.
        const account = env.env["SIMULATED_AWS_STATE"] ?? "";
        const cloudBefore = sha256(readFileSync(account, "utf8"));
        // Ctrl-C once the data layer's move has started: foundation's move is done and journaled.
        const interrupted = await env.makeInterrupted(APPLY, "SIGINT", (out) =>
            out.includes(`--dest ${ORG}/proliferate-data/${STACK}`),
        );
        expect(interrupted.status, interrupted.out).to.not.equal(0);
        expect(interrupted.out).to.include(`Resume: make migrate-apply STACK=${STACK}`);
        expect(env.leftoverProcesses(), "pulumi processes left running").to.deep.equal([]);

        const resumed = await env.make(APPLY);
        expect(resumed.status, resumed.out).to.equal(0);
        expect(resumed.stderr).to.match(/resuming: \d+ of \d+ steps done/);
        // Done steps are not repeated: no second backup, no second foundation move.
        expect(resumed.stderr).to.not.include("backup:");
        expect(resumed.stderr).to.not.include(`--dest ${ORG}/proliferate-foundation/${STACK}`);
        expect(resumed.stderr).to.include("migration of").and.include("complete");
        // The previews after the moves run with the policy pack, as make preview-all does.
        for (const layer of LAYERS)
            expect(resumed.stderr).to.match(
                new RegExp(`\\(cd stacks/${layer} && pulumi preview --stack \\S+ --policy-pack \\S+/policy\\)`),
            );
        expect(sha256(readFileSync(account, "utf8")), "a cloud object changed").to.equal(cloudBefore);

        // Every moved resource kept its cloud id under its layer URN: nothing was replaced or recreated.
        const after = layerIds(env, ORG, STACK, PROJECT_NAMES);
        const moved = mapping.moves.filter((m) => idsBefore.has(m.urn));
        expect(moved.length).to.equal(idsBefore.size);
        expect(moved.length).to.be.greaterThan(100);
        for (const m of moved) expect(after.get(m.targetUrn), m.targetUrn).to.equal(idsBefore.get(m.urn));
        expect(after.size).to.equal(idsBefore.size);
        // The monolith keeps only its root stack resource.
        expect(resourcesOf(exportText(env, SOURCE)).map((r) => r.type)).to.deep.equal(["pulumi:pulumi:Stack"]);
    });

    it("deploy-all afterwards creates, replaces and deletes nothing; a second deploy-all changes nothing", async () => {
        const first = await env.make(["deploy-all", `STACK=${STACK}`, "FLAGS=--yes", "SMOKE=0"]);
        expect(first.status, first.out).to.equal(0);
        for (const layer of LAYERS) {
            const [create, , replace, del] = row(first, layer).counts;
            expect({ layer, create, replace, del }).to.deep.equal({ layer, create: 0, replace: 0, del: 0 });
        }
        const second = await env.make(["deploy-all", `STACK=${STACK}`, "FLAGS=--yes", "SMOKE=0"]);
        expect(second.status, second.out).to.equal(0);
        for (const layer of LAYERS) expect(row(second, layer).counts, layer).to.deep.equal([0, 0, 0, 0]);
        const after = layerIds(env, ORG, STACK, PROJECT_NAMES);
        for (const m of mapping.moves.filter((x) => idsBefore.has(x.urn)))
            expect(after.get(m.targetUrn), m.targetUrn).to.equal(idsBefore.get(m.urn));
    });

    it("make migrate-rollback restores the monolith (same ids) and empties the layer stacks", async () => {
        const run = await env.make(["migrate-rollback", `STACK=${STACK}`]);
        expect(run.status, run.out).to.equal(0);
        expect(idsOf(exportText(env, SOURCE))).to.deep.equal(idsBefore);
        for (const layer of LAYERS) {
            const left = resourcesOf(exportText(env, `${ORG}/${PROJECT_NAMES[layer]}/${STACK}`));
            expect(
                left.filter((r) => !r.type.startsWith("pulumi:")),
                layer,
            ).to.deep.equal([]);
        }
        expect(existsSync(env.repo.path("migration", STACK, "journal.json"))).to.equal(false);
        const again = await env.make(["migrate-rollback", `STACK=${STACK}`]);
        expect(again.status, "a second rollback imports the same backups").to.equal(0);
    });
});
