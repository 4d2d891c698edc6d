/**
 * `make migrate-plan` as users type it, in a fresh copy of the repository with the stand-in pulumi
 * (test/fixtures/bin/pulumi: it serves the monolith's export from FAKE_PULUMI_EXPORT, its config
 * from the monolith folder, and reads `config set --secret` values from stdin).
 */
import { expect } from "chai";
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parse, stringify } from "yaml";
import { LAYERS } from "../../shared/layers";
import { dataOptions, foundationOptions, secretsOptions, servicesOptions } from "../harness/fixtures";
import { RepoCopy, type Call, type MakeRun } from "../make/make-harness";

/** The script's own exit code: make turns any failing recipe into 2 and names the recipe's code ("Error 1"). */
function scriptExit(run: MakeRun): number {
    if (run.status === 0) return 0;
    return Number(/migrate-plan\] Error (\d+)/.exec(run.out)?.[1] ?? -1);
}

const NONE = { outputs: {}, secretOutputNames: [] };
const SOURCE = "organization/proliferate-infra/dev";
const FIXTURE = join(__dirname, "..", "..", "..", "test", "migrate", "fixtures", "synthetic-export.json");

/** The monolith's config: the fixtures' valid layer config under the proliferate-infra namespace, without environmentClass (a key the monolith never had). */
function monolithConfig(): { config: Record<string, unknown>; secrets: string[] } {
    const all = [
        foundationOptions("dev"),
        dataOptions("dev", NONE),
        secretsOptions("dev", { foundation: NONE, data: NONE }),
        servicesOptions("dev", { foundation: NONE, secrets: NONE }),
    ];
    const config: Record<string, unknown> = {};
    const secrets: string[] = [];
    for (const o of all) {
        for (const [key, value] of Object.entries(o.config)) {
            if (key.endsWith(":environmentClass")) continue;
            const to = key.startsWith("aws:") ? key : `proliferate-infra:${key.split(":")[1]}`;
            const secret = (o as { secretKeys?: string[] }).secretKeys?.includes(key) === true;
            // The stand-in's "encryption": base64 behind a marker, decoded by its `config --json --show-secrets`.
            config[to] = secret ? { secure: `fake-enc:${Buffer.from(value).toString("base64")}` } : value;
            if (secret) secrets.push(value);
        }
    }
    config["proliferate-infra:workerCpu"] = "512";
    return { config, secrets };
}

describe("make migrate-plan, through make", function () {
    this.timeout(120_000);
    let repo: RepoCopy;
    let monolith: string;
    let secrets: string[];
    before(() => {
        repo = new RepoCopy();
        monolith = repo.path("..", "monolith");
        mkdirSync(monolith);
        writeFileSync(join(monolith, "Pulumi.yaml"), "name: proliferate-infra\nruntime: nodejs\n");
        const m = monolithConfig();
        secrets = m.secrets;
        writeFileSync(join(monolith, "Pulumi.dev.yaml"), stringify({ config: m.config }));
    });
    after(() => repo.remove());

    const args = (extra: string[] = []) => [
        "migrate-plan",
        `SOURCE=${SOURCE}`,
        "STACK=dev",
        `SOURCE_DIR=${monolith}`,
        ...extra,
    ];
    const env = (extra: Record<string, string> = {}) => ({ FAKE_PULUMI_EXPORT: FIXTURE, ...extra });
    const mappingFile = () => repo.path("migration", "dev", "mapping.json");
    const writes = (calls: Call[]) =>
        calls.filter((c) => (c.args[0] === "config" && c.args[1] === "set") || c.args[1] === "init");
    const stackFiles = () => LAYERS.map((l) => repo.path("stacks", l, "Pulumi.dev.yaml")).filter(existsSync);

    it("a bad SOURCE, STACK or SOURCE_DIR is refused with exit 2 and a pasteable example, before any pulumi call", async () => {
        const cases: Array<[string[], RegExp]> = [
            [
                ["migrate-plan", "SOURCE=dev", "STACK=dev", `SOURCE_DIR=${monolith}`],
                /SOURCE "dev" is not a fully qualified stack: give <org>\/proliferate-infra\/<stack>/,
            ],
            [
                ["migrate-plan", "SOURCE=acme/proliferate-foundation/dev", "STACK=dev", `SOURCE_DIR=${monolith}`],
                /names the project "proliferate-foundation".*give acme\/proliferate-infra\/dev/,
            ],
            [
                ["migrate-plan", `SOURCE=${SOURCE}`, "STACK=a/b/c", `SOURCE_DIR=${monolith}`],
                /STACK "a\/b\/c" names a project/,
            ],
            [["migrate-plan", `SOURCE=${SOURCE}`, "STACK=dev"], /SOURCE_DIR is not set/],
            [
                ["migrate-plan", `SOURCE=${SOURCE}`, "STACK=dev", `SOURCE_DIR=${repo.path("stacks", "data")}`],
                /holds the project "proliferate-data", not "proliferate-infra"/,
            ],
            [
                [
                    "migrate-plan",
                    "SOURCE=acme/proliferate-infra/dev$(touch pwned)",
                    "STACK=dev",
                    `SOURCE_DIR=${monolith}`,
                ],
                /is not a fully qualified stack/,
            ],
        ];
        for (const [a, message] of cases) {
            const run = await repo.make(a, env());
            expect(scriptExit(run), run.out).to.equal(2);
            expect(run.out).to.match(message);
            expect(run.out).to.include("make migrate-plan SOURCE=");
            expect(
                run.calls.filter((c) => c.args[0] !== "version"),
                a.join(" "),
            ).to.deep.equal([]);
        }
        expect(existsSync(repo.path("pwned"))).to.be.false;
        expect(existsSync(mappingFile())).to.be.false;
    });

    it("refuses before writing anything when a layer stack already holds resources", async () => {
        const run = await repo.make(args(), env({ FAKE_PULUMI_RESOURCES: "data:3" }));
        expect(scriptExit(run), run.out).to.equal(1);
        expect(run.out).to.include("organization/proliferate-data/dev already holds 3 resource(s)");
        expect(writes(run.calls)).to.deep.equal([]);
        expect(stackFiles()).to.deep.equal([]);
        expect(existsSync(mappingFile())).to.be.false;
    });

    it("creates the layer stacks, sets the config (secrets through stdin), asks for the missing key, then writes the mapping", async () => {
        const first = await repo.make(args(), env({ FAKE_PULUMI_NO_STACK: LAYERS.join(",") }));
        expect(scriptExit(first), first.out).to.equal(1);
        expect(first.calls.filter((c) => c.args[1] === "init").map((c) => c.layer)).to.deep.equal([...LAYERS]);
        expect(first.out).to.include("proliferate-foundation:environmentClass");
        expect(existsSync(mappingFile()), "no mapping without the layer programs' run").to.be.false;
        const secretSets = first.calls.filter((c) => c.args[0] === "config" && c.args.includes("--secret"));
        expect(secretSets.map((c) => c.args.at(-1)).sort()).to.include.members([
            "proliferate-data:dbPassword",
            "proliferate-secrets:anthropicApiKey",
        ]);
        // The user sets the key the monolith never had, as pre-flight said, and plans again.
        const foundation = repo.path("stacks", "foundation", "Pulumi.dev.yaml");
        const doc = parse(readFileSync(foundation, "utf8")) as { config: Record<string, unknown> };
        doc.config["proliferate-foundation:environmentClass"] = "development";
        writeFileSync(foundation, stringify(doc));
        const second = await repo.make(args(), env());
        expect(scriptExit(second), second.out).to.equal(0);
        expect(second.calls.filter((c) => c.args[1] === "init")).to.deep.equal([]);
        const mapping = JSON.parse(readFileSync(mappingFile(), "utf8")) as {
            moves: unknown[];
            undecided: unknown[];
            config: Array<{ from: string; layer: string | null }>;
        };
        expect(mapping.undecided).to.deep.equal([]);
        // Everything but the root stack resource and the provider moves.
        const total = (JSON.parse(readFileSync(FIXTURE, "utf8")) as { deployment: { resources: unknown[] } }).deployment
            .resources.length;
        expect(mapping.moves).to.have.length(total - 2);
        expect(mapping.config.find((c) => c.from === "proliferate-infra:workerCpu")?.layer).to.equal(null);
        // The data layer takes the RedisCache and PostgresDatabase components, their parameter and subnet
        // groups, the replication group and the instance: 8 moves, 1 create (its foundation StackReference).
        expect(second.stdout).to.match(/^data\s+8\s+1\s+0\s+2$/m);
        expect(second.stdout).to.include("proliferate-infra:workerCpu: no layer's config schema has");
        // No secret in plain text anywhere: output, pulumi's argv, the mapping, the layer stack files.
        const seen = [
            first.out,
            second.out,
            JSON.stringify([...first.calls, ...second.calls]),
            readFileSync(mappingFile(), "utf8"),
            ...stackFiles().map((f) => readFileSync(f, "utf8")),
        ].join("\n");
        for (const s of secrets) expect(seen, "a secret leaked").not.to.include(s);
        // ...yet each reached its layer stack intact (decoded from the stand-in's encoding).
        const data = parse(readFileSync(repo.path("stacks", "data", "Pulumi.dev.yaml"), "utf8")) as {
            config: Record<string, { secure?: string }>;
        };
        const stored = data.config["proliferate-data:dbPassword"]?.secure ?? "";
        expect(stored).to.match(/^fake-enc:/);
        expect(Buffer.from(stored.slice("fake-enc:".length), "base64").toString()).to.equal("test-db-pass-8c2d1e9f");
    });

    it("one ambiguous resource: exit 1, the question printed, the mapping written with it", async () => {
        const doc = JSON.parse(readFileSync(FIXTURE, "utf8")) as { deployment: { resources: object[] } };
        const urn = "urn:pulumi:dev::proliferate-infra::aws:s3/bucket:Bucket::uploads";
        doc.deployment.resources.push({
            urn,
            type: "aws:s3/bucket:Bucket",
            custom: true,
            id: "acme-uploads",
            inputs: { bucket: "acme-uploads" },
            outputs: {},
        });
        const file = repo.path("..", "with-bucket.json");
        writeFileSync(file, JSON.stringify(doc));
        const run = await repo.make(args(), env({ FAKE_PULUMI_EXPORT: file }));
        expect(scriptExit(run), run.out).to.equal(1);
        expect(run.stdout).to.include("UNDECIDED (1)");
        expect(run.stdout).to.include(urn);
        expect(run.stdout).to.include('set "layer" of this entry');
        const mapping = JSON.parse(readFileSync(mappingFile(), "utf8")) as { undecided: Array<{ urn: string }> };
        expect(mapping.undecided.map((u) => u.urn)).to.deep.equal([urn]);
        expect(readdirSync(repo.path("migration", "dev"))).to.deep.equal(["mapping.json"]);
    });
});
