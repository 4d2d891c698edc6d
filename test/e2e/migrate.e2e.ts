/**
 * `make e2e`, issue 16: a running `proliferate-infra` monolith (test/e2e/fixtures/monolith, seed 001)
 * adopted into the four layer stacks without recreating anything, on the real Pulumi engine over the
 * simulated AWS (harness.ts), with a file backend and passphrase secrets (the S3/KMS backend is proved
 * by scenario.e2e.ts; state moves do not depend on the backend kind).
 *
 * The mapping is written by a test helper (migrate-mapping.ts) until `make migrate-plan` (the other
 * half of the issue) is merged; then the steps below should call `make migrate-plan` instead.
 *
 * What it does not prove: anything about real AWS (simulated providers whose tags are not diffed
 * through `tagsAll`), or a monolith whose physical names differ from the layers' (that needs a mapping
 * the planner cannot make here; migrate-apply's preview check refuses it).
 */
import { expect } from "chai";
import { existsSync, mkdirSync, readFileSync } from "node:fs";
import { LAYERS, PROJECT_NAMES } from "../../shared/layers";
import { sha256 } from "../../scripts/migrate/apply-plan";
import type { MigrationMapping } from "../../scripts/migrate/mapping";
import type { MakeRun } from "../make/make-harness";
import { EngineRepo, e2eTools } from "./harness";
import { fixtureMapping, writeMapping } from "./migrate-mapping";
import { configureMonolith, exportText, idsOf, layerIds, monolithUp, resourcesOf } from "./migrate-harness";

const STACK = "mig";
const ORG = "organization";
const SOURCE = `${ORG}/proliferate-infra/${STACK}`;

/** A layer's row of a run's summary table: result and create/update/replace/delete counts. */
function row(run: MakeRun, layer: string): { result: string; counts: number[] } {
    const m = new RegExp(`^\\s+${layer}\\s+([a-z ]+?)\\s+(\\S+)\\s+(\\S+)\\s+(\\S+)\\s+(\\S+)\\s+\\S+$`, "m").exec(
        run.stderr,
    );
    if (!m) throw new Error(`no summary row for ${layer}:\n${run.out.slice(-3000)}`);
    return { result: m[1] ?? "", counts: [m[2], m[3], m[4], m[5]].map((c) => Number(c)) };
}

describe("make migrate-apply: the seed-001 monolith into the four layers on the real engine", function () {
    this.timeout(900_000);
    let env: EngineRepo;
    let mapping: MigrationMapping;
    /** Monolith URN → id before the migration. */
    let idsBefore: Map<string, string>;

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
        // The layer stacks with their config, as make migrate-plan leaves them (same values as the monolith's).
        env.configure(STACK, "dev");
    });
    after(() => env?.remove());

    it("a mapping with one undecided resource stops migrate-apply with the question, moving nothing", async () => {
        configureMonolith(env, STACK, { "proliferate-infra:extraBucket": "true" });
        monolithUp(env, STACK);
        const text = exportText(env, SOURCE);
        mapping = fixtureMapping(text, SOURCE, ORG, STACK);
        expect(mapping.undecided.map((u) => u.name)).to.deep.equal(["shared-uploads"]);
        writeMapping(env.repo.root, mapping);

        const run = await env.make(["migrate-apply", `STACK=${STACK}`]);
        // make reports a failed recipe as 2; the script's own code (1: refused) is in make's message.
        expect(run.status, run.out).to.equal(2);
        expect(run.stderr).to.include("migrate-apply] Error 1");
        expect(run.stderr).to.include("undecided").and.include("nothing was moved");
        expect(run.stderr).to.include(mapping.undecided[0]?.question ?? "(no question)");
        expect(sha256(exportText(env, SOURCE)), "the monolith's state changed").to.equal(sha256(text));
        expect(existsSync(env.repo.path("migration", STACK, "backups")), "backups taken").to.equal(false);
        expect(existsSync(env.repo.path("migration", STACK, "journal.json")), "journal written").to.equal(false);
    });

    it("a monolith changed after the mapping was made is refused, moving nothing", async () => {
        // The bucket's owner decided it goes away: the monolith's next up deletes it.
        configureMonolith(env, STACK, { "proliferate-infra:extraBucket": "false" });
        monolithUp(env, STACK);
        const stale = { ...mapping, undecided: [] };
        writeMapping(env.repo.root, stale);
        const run = await env.make(["migrate-apply", `STACK=${STACK}`]);
        expect(run.status, run.out).to.equal(2);
        expect(run.stderr).to.include("migrate-apply] Error 1");
        expect(run.stderr).to.include("changed since the mapping was made").and.include("make migrate-plan");
        expect(existsSync(env.repo.path("migration", STACK, "backups"))).to.equal(false);
    });

    it("an interrupted migrate-apply resumes at its first unfinished step and moves every resource with its id", async () => {
        const text = exportText(env, SOURCE);
        idsBefore = idsOf(text);
        mapping = fixtureMapping(text, SOURCE, ORG, STACK);
        expect(mapping.undecided).to.deep.equal([]);
        writeMapping(env.repo.root, mapping);

        // migrate-apply changes state only: the simulated account (every "cloud" object) must not change.
        const account = env.env["SIMULATED_AWS_STATE"] ?? "";
        const cloudBefore = sha256(readFileSync(account, "utf8"));
        // Ctrl-C once the data layer's move has started: foundation's move is done and journaled.
        const interrupted = await env.makeInterrupted(["migrate-apply", `STACK=${STACK}`], "SIGINT", (out) =>
            out.includes(`--dest ${ORG}/proliferate-data/${STACK}`),
        );
        expect(interrupted.status, interrupted.out).to.not.equal(0);
        expect(interrupted.out).to.include(`Resume: make migrate-apply STACK=${STACK}`);
        expect(env.leftoverProcesses(), "pulumi processes left running").to.deep.equal([]);

        const resumed = await env.make(["migrate-apply", `STACK=${STACK}`]);
        expect(resumed.status, resumed.out).to.equal(0);
        expect(resumed.stderr).to.match(/resuming: \d+ of \d+ steps done/);
        // Done steps are not repeated: no second backup, no second foundation move.
        expect(resumed.stderr).to.not.include("backup:");
        expect(resumed.stderr).to.not.include(`--dest ${ORG}/proliferate-foundation/${STACK}`);
        expect(resumed.stderr).to.include("migration of").and.include("complete");
        expect(sha256(readFileSync(account, "utf8")), "a cloud object changed").to.equal(cloudBefore);

        // Every moved resource kept its cloud id under its layer URN: nothing was replaced or recreated.
        const after = layerIds(env, ORG, STACK, PROJECT_NAMES);
        const moved = mapping.moves.filter((m) => idsBefore.has(m.urn));
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
