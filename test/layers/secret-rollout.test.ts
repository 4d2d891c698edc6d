import { expect } from "chai";
import { APP_SECRETS, type AppSecretKey } from "../../shared/app-settings";
import { SERVICES } from "../../shared/catalog";
import { LAYERS, PROJECT_NAMES } from "../../shared/layers";
import { loadReplaceTable, replacingPaths } from "../engine/sim/replace-table";
import { runChain, type Chain } from "../harness/chain";
import { APP_SECRET_VALUES, DB_PASSWORD, REDIS_TOKEN, secretsOptions, type Profile } from "../harness/fixtures";

/**
 * A changed secret must reach the running tasks, and must never need a protected resource replaced.
 * Each test runs the four layers twice under mocks, before and after a change of secret values,
 * and compares what the layers registered: as the engine would diff the two runs.
 */

const S = PROJECT_NAMES.secrets;
const D = PROJECT_NAMES.data;
const TASK_DEF = "aws:ecs/taskDefinition:TaskDefinition";
const NONE = { outputs: {}, secretOutputNames: [] };

interface Container {
    secrets: Array<{ name: string; valueFrom: string }>;
}

const containerDefinitions = (chain: Chain, service: string) =>
    chain.services.ofType(TASK_DEF).find((r) => r.name === `${service}-task`)?.inputs["containerDefinitions"];

/** The services whose task definition input differs between two runs. */
function redeployed(before: Chain, after: Chain): string[] {
    return SERVICES.map((s) => s.name)
        .filter((name) => containerDefinitions(before, name) !== containerDefinitions(after, name))
        .sort();
}

/** The services whose catalog row reads the payload variable of `key`. */
const readersOf = (key: AppSecretKey) =>
    SERVICES.filter((s) => (s.secretKeys as readonly string[]).includes(APP_SECRETS[key]))
        .map((s) => s.name)
        .sort();

/** Config that gives every secret the profile sets (and the data layer's two) a new value. */
function rotatedSecrets(profile: Profile): { secrets: Record<string, string>; data: Record<string, string> } {
    const set = secretsOptions(profile, { foundation: NONE, data: NONE }).config;
    const secrets = Object.fromEntries(
        Object.keys(APP_SECRET_VALUES)
            .filter((k) => set[`${S}:${k}`] !== undefined)
            .map((k) => [`${S}:${k}`, `${APP_SECRET_VALUES[k]}-rotated`]),
    );
    return { secrets, data: { [`${D}:redisAuthToken`]: `${REDIS_TOKEN}x`, [`${D}:dbPassword`]: `${DB_PASSWORD}x` } };
}

describe("secret changes reach the tasks", () => {
    let baseline: Chain;

    before(async () => {
        baseline = await runChain("dev");
    });

    it("each container reads its secret's current version: valueFrom pins the version id", () => {
        const arns = baseline.secrets.outputs["secretArns"] as Record<string, string>;
        const versions = baseline.secrets.ofType("aws:secretsmanager/secretVersion:SecretVersion");
        for (const s of SERVICES) {
            const current = versions.find((v) => v.name === `${s.name}-secret-value`)?.state?.["versionId"];
            const c = (JSON.parse(String(containerDefinitions(baseline, s.name))) as Container[])[0] as Container;
            for (const ref of c.secrets) {
                expect(ref.valueFrom, s.name).to.equal(`${arns[s.name]}:${ref.name}::${String(current)}`);
            }
        }
    });

    const cases: AppSecretKey[] = ["llmProxyMasterKey", "betterAuthSecret", "anthropicApiKey", "serviceAuthToken"];
    for (const key of cases) {
        it(`a new ${key} gives a new task definition to exactly ${readersOf(key).join(" and ")}`, async () => {
            const after = await runChain("dev", {
                extra: { secrets: { [`${S}:${key}`]: `${APP_SECRET_VALUES[key]}-rotated` } },
            });
            expect(redeployed(baseline, after)).to.deep.equal(readersOf(key));
        });
    }

    it("an unchanged run changes no task definition (a redeploy starts no deployment)", async () => {
        expect(redeployed(baseline, await runChain("dev"))).to.deep.equal([]);
    });

    it("a task definition change is a new revision, which the ECS service rolls out without downtime", () => {
        const table = loadReplaceTable();
        expect(table.types[TASK_DEF]).to.include("containerDefinitions");
        for (const svc of baseline.services.ofType("aws:ecs/service:Service")) {
            expect(svc.inputs).to.deep.include({
                deploymentMinimumHealthyPercent: 100,
                deploymentMaximumPercent: 200,
                deploymentCircuitBreaker: { enable: true, rollback: true },
            });
        }
    });
});

describe("a secret change never replaces a protected resource", () => {
    const table = loadReplaceTable();
    for (const profile of ["dev", "prod"] as Profile[]) {
        it(`${profile === "dev" ? "development" : "production"}: no protected resource of any layer has a replace-on-change input that changes`, async () => {
            const base = await runChain(profile);
            const rotated = await runChain(profile, { extra: rotatedSecrets(profile) });
            const problems: string[] = [];
            let protectedCount = 0;
            for (const layer of LAYERS) {
                for (const r of base[layer].resources.filter((x) => x.protect)) {
                    protectedCount++;
                    const paths = table.types[r.type];
                    if (paths === undefined) {
                        problems.push(`${layer}: protected ${r.type} is not in shared/data/replace-on-change.json`);
                        continue;
                    }
                    const next = rotated[layer].resources.find((x) => x.type === r.type && x.name === r.name);
                    const changed = replacingPaths(paths, r.inputs, next?.inputs ?? {});
                    if (changed.length > 0)
                        problems.push(`${layer}: ${r.type} ${r.name} would be replaced (${changed.join(", ")})`);
                }
            }
            expect(problems).to.deep.equal([]);
            // Not vacuous: the change reaches every secret's value.
            const values = (c: Chain) =>
                c.secrets.ofType("aws:secretsmanager/secretVersion:SecretVersion").map((v) => v.inputs["secretString"]);
            expect(values(rotated).filter((v, i) => v === values(base)[i])).to.deep.equal([]);
            if (profile === "prod") {
                expect(protectedCount).to.be.at.least(5); // RDS, Redis and the three secrets
            }
        });
    }
});
