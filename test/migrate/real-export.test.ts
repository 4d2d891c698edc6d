/**
 * The planner on a real state export: fixtures/monolith-export.json is `pulumi stack export` of the
 * apply half's monolith fixture, deployed through the real CLI on the simulated AWS (see the
 * fixtures README). The layer programs run offline with the config that monolith was deployed with
 * (the layers' dev fixture values), so every resource must find its layer resource.
 */
import { expect } from "chai";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { LAYERS, PROJECT_NAMES, type Layer } from "../../shared/layers";
import { buildMapping } from "../../scripts/migrate/build";
import type { MigrationMapping } from "../../scripts/migrate/mapping";
import { parseExport } from "../../scripts/migrate/state-export";
import { runPlanLayers } from "../../scripts/plan/run";
import type { LayerConfig } from "../../scripts/plan/stack-config";
import { dataOptions, foundationOptions, secretsOptions, servicesOptions } from "../harness/fixtures";

const ROOT = join(__dirname, "..", "..", "..");
const EXPORT = readFileSync(join(ROOT, "test", "migrate", "fixtures", "monolith-export.json"), "utf8");
const NONE = { outputs: {}, secretOutputNames: [] };

describe("migrate-plan on a real export of the monolith fixture", function () {
    this.timeout(60_000);
    let m: MigrationMapping;
    before(async () => {
        const options = {
            foundation: foundationOptions("dev"),
            data: dataOptions("dev", NONE),
            secrets: secretsOptions("dev", { foundation: NONE, data: NONE }),
            services: servicesOptions("dev", { foundation: NONE, secrets: NONE }),
        };
        const config = Object.fromEntries(
            LAYERS.map((l) => [l, { config: options[l].config, secretKeys: options[l].secretKeys ?? [] }]),
        ) as Record<Layer, LayerConfig>;
        const { runs } = await runPlanLayers("dev", config);
        m = buildMapping({
            root: ROOT,
            source: "organization/proliferate-infra/dev",
            stack: "dev",
            exported: parseExport(EXPORT, "monolith-export.json"),
            config: [],
            runs,
            answers: new Map(),
            file: "migration/dev/mapping.json",
        });
    });

    it("decides every resource: moves, or stays for the root stack resource and the providers", () => {
        expect(m.undecided, JSON.stringify(m.undecided, null, 1)).to.deep.equal([]);
        const urns = (
            JSON.parse(EXPORT) as { deployment: { resources: Array<{ urn: string }> } }
        ).deployment.resources.map((r) => r.urn);
        expect([...m.moves.map((x) => x.urn), ...m.stays.map((x) => x.urn)].sort()).to.deep.equal([...urns].sort());
        expect(m.stays.map((s) => s.urn.split("::").slice(2).join("::")).sort()).to.deep.equal([
            "pulumi:providers:aws::aws",
            "pulumi:providers:awsx::default_3_9_0",
            "pulumi:providers:pulumi::default",
            "pulumi:pulumi:Stack::proliferate-infra-dev",
        ]);
    });

    it("keeps every URN but the project, except the two top-level names the monolith gives differently", () => {
        const renamed = m.moves
            .filter((x) => x.targetUrn !== x.urn.replace("::proliferate-infra::", `::${PROJECT_NAMES[x.layer]}::`))
            .map((x) => `${x.name} -> ${x.targetUrn.split("::").slice(2).join("::")}`);
        expect(renamed.sort()).to.deep.equal([
            "ecs-cluster -> aws:ecs/cluster:Cluster::cluster",
            "service-discovery -> aws:servicediscovery/httpNamespace:HttpNamespace::service-connect",
        ]);
        expect(m.moves.filter((x) => x.replacedFields)).to.deep.equal([]);
    });

    it("places by layer as the issue says, the awsx Vpc's 20 children included", () => {
        const count = (layer: Layer) => m.moves.filter((x) => x.layer === layer).length;
        const vpcChildren = m.moves.filter((x) => x.targetUrn.includes("$awsx:ec2:Vpc$"));
        expect(vpcChildren).to.have.length(20);
        expect(vpcChildren.every((x) => x.layer === "foundation")).to.be.true;
        expect(m.moves.find((x) => x.type === "aws:rds/instance:Instance")?.layer).to.equal("data");
        expect(m.moves.find((x) => x.type === "aws:secretsmanager/secretVersion:SecretVersion")?.layer).to.equal(
            "secrets",
        );
        expect(m.moves.filter((x) => x.type === "aws:iam/role:Role").every((x) => x.layer === "services")).to.be.true;
        expect(LAYERS.map(count).reduce((a, b) => a + b)).to.equal(m.moves.length);
    });

    it("creates nothing but the layers' stack references", () => {
        expect(m.creates.map((c) => c.type)).to.deep.equal(Array(6).fill("pulumi:pulumi:StackReference"));
        expect(m.creates.every((c) => !c.stateful)).to.be.true;
        expect(JSON.stringify(m)).not.to.include("ciphertext");
    });
});
