import { expect } from "chai";
import { contractChanges, narrowing, parseShape } from "../../scripts/plan/contract-diff";
import { diffPlans } from "../../scripts/plan/diff";
import type { PlanDocument, PlanLayer, PlanOutput, PlanResource } from "../../scripts/plan/document";
import { shapeOf } from "../../scripts/plan/document-parts";
import { LAYERS, PROJECT_NAMES, type Layer } from "../../shared/layers";

/** A minimal document: per layer its outputs, reads and resources; everything else empty. */
function doc(
    spec: Partial<
        Record<
            Layer,
            { outputs?: PlanOutput[]; reads?: PlanLayer["reads"]; resources?: PlanResource[]; monthly?: number }
        >
    >,
): PlanDocument {
    const layers = LAYERS.map((layer, i) => ({
        layer,
        project: PROJECT_NAMES[layer],
        order: i + 1,
        resources: spec[layer]?.resources ?? [],
        outputs: spec[layer]?.outputs ?? [],
        reads: spec[layer]?.reads ?? [],
        policies: { run: 0, resourcesChecked: 0, violations: [] },
        cost: { monthly: spec[layer]?.monthly ?? 0, lines: [] },
        rollout: [],
        millis: 1,
    }));
    return {
        schema: "proliferate-plan",
        version: 1,
        stack: "dev",
        commit: "c0ffee",
        config: { source: "examples", files: [], placeholders: [] },
        code: 0,
        region: "us-east-1",
        prices: { file: "p", asOf: "2026-11-25", sources: [], assumptions: {} },
        layers,
        totals: {
            resources: 0,
            violations: 0,
            mandatoryViolations: 0,
            monthly: layers.reduce((s, l) => s + l.cost.monthly, 0),
            programMillis: 4,
        },
    };
}

const out = (name: string, value: unknown, secret = false): PlanOutput =>
    secret ? { name, secret, shape: shapeOf(value) } : { name, secret, value, shape: shapeOf(value) };
const res = (type: string, name: string, inputDigests: Record<string, string>): PlanResource => ({
    key: `${type}::${name}`,
    type,
    name,
    custom: true,
    settings: {},
    inputDigests,
});
const COMMIT = "0123456789abcdef0123";

describe("make plan BASE=: output contract gate", () => {
    const readByData = { data: { reads: [{ upstream: "foundation" as const, output: "redisSecurityGroupId" }] } };

    it("a removed output that a downstream layer read at BASE is an error naming the consumer and the safe order", () => {
        const base = doc({
            foundation: { outputs: [out("redisSecurityGroupId", "sg-1"), out("vpcId", "vpc-1")] },
            ...readByData,
        });
        const head = doc({ foundation: { outputs: [out("vpcId", "vpc-1")] } });
        const [c, ...rest] = contractChanges(base, head, COMMIT);
        expect(rest).to.deep.equal([]);
        expect(c).to.include({
            layer: "foundation",
            output: "redisSecurityGroupId",
            change: "removed",
            severity: "error",
        });
        expect(c?.readBy).to.deep.equal(["data"]);
        expect(c?.message).to.include("data reads it at BASE (0123456789ab)");
        expect(c?.message).to.match(
            /Safe order: 1\) stop reading `redisSecurityGroupId` in data .* deploy data; 2\) remove/,
        );
    });

    it("a rename (one new output of the same shape and secrecy) says add, deploy consumers, remove", () => {
        const base = doc({ foundation: { outputs: [out("redisSecurityGroupId", "sg-1")] }, ...readByData });
        const head = doc({ foundation: { outputs: [out("cacheSecurityGroupId", "sg-1")] } });
        const changes = contractChanges(base, head, COMMIT);
        expect(changes).to.have.length(1);
        expect(changes[0]).to.include({ change: "renamed", to: "cacheSecurityGroupId", severity: "error" });
        expect(changes[0]?.message).to.match(
            /1\) add `cacheSecurityGroupId` to foundation and keep `redisSecurityGroupId`, deploy foundation; 2\) switch data to `cacheSecurityGroupId`, deploy data; 3\) remove `redisSecurityGroupId`/,
        );
    });

    it("a narrowed output read downstream is an error: a field removed, or a value retyped", () => {
        const reads = {
            secrets: {
                reads: [
                    { upstream: "data" as const, output: "database" },
                    { upstream: "data" as const, output: "redisPort" },
                ],
            },
        };
        const base = doc({
            data: { outputs: [out("database", { host: "h", port: 5432, name: "n" }), out("redisPort", 6379)] },
            ...reads,
        });
        const head = doc({
            data: { outputs: [out("database", { host: "h", name: "n" }), out("redisPort", "6379")] },
            ...reads,
        });
        const changes = contractChanges(base, head, COMMIT);
        expect(changes.map((c) => [c.output, c.change, c.severity])).to.deep.equal([
            ["database", "narrowed", "error"],
            ["redisPort", "narrowed", "error"],
        ]);
        expect(changes[0]?.detail).to.include(".port removed");
        expect(changes[1]?.detail).to.include("number -> string");
    });

    it("added and widened outputs, secrecy changes and outputs nobody reads are info, not errors", () => {
        const base = doc({
            data: { outputs: [out("database", { host: "h" }), out("redisHost", "r"), out("url", "u")] },
            secrets: {
                reads: [
                    { upstream: "data", output: "database" },
                    { upstream: "data", output: "url" },
                ],
            },
        });
        const head = doc({
            data: { outputs: [out("database", { host: "h", port: 1 }), out("url", "u", true), out("extra", 1)] },
        });
        const changes = contractChanges(base, head, COMMIT);
        expect(
            changes.every((c) => c.severity === "info"),
            JSON.stringify(changes),
        ).to.equal(true);
        expect(changes.map((c) => `${c.output}:${c.change}`).sort()).to.deep.equal(
            ["database:widened", "extra:added", "redisHost:removed", "url:secrecy"].sort(),
        );
    });

    it("parses every shape shapeOf writes and finds what a reader would lose", () => {
        const values = [
            { a: [1, "x"], b: { c: null } },
            ["s"],
            [],
            1,
            "s",
            true,
            null,
            { "llm-proxy": "u", gateway: "v" },
        ];
        for (const v of values) expect(() => parseShape(shapeOf(v)), shapeOf(v)).not.to.throw();
        expect(narrowing(parseShape("{a:string[],b:number}"), parseShape("{a:number[],b:number}"))).to.have.length(1);
        expect(narrowing(parseShape("{a:string}"), parseShape("{a:string,b:number}"))).to.deep.equal([]);
        expect(narrowing(parseShape("null"), parseShape("string"))).to.deep.equal([]);
        expect(() => parseShape("{a:")).to.throw(/not an output shape/);
    });
});

describe("make plan BASE=: resource changes", () => {
    const table = { "aws:rds/instance:Instance": ["engine", "blockDevice.volumeType"] };
    const rds = "aws:rds/instance:Instance";

    it("tells added, removed, updated and replaced resources apart, and a nested replace path only when it changed", () => {
        const base = doc({
            data: {
                resources: [
                    res(rds, "db", {
                        engine: "e1",
                        instanceClass: "c1",
                        blockDevice: "b1",
                        "blockDevice.volumeType": "v1",
                    }),
                    res(rds, "db2", { engine: "e1", blockDevice: "b1", "blockDevice.volumeType": "v1" }),
                    res(rds, "old", {}),
                ],
                monthly: 10,
            },
        });
        const head = doc({
            data: {
                resources: [
                    res(rds, "db", {
                        engine: "e1",
                        instanceClass: "c2",
                        blockDevice: "b2",
                        "blockDevice.volumeType": "v1",
                    }),
                    res(rds, "db2", { engine: "e2", blockDevice: "b1", "blockDevice.volumeType": "v2" }),
                    res(rds, "new", {}),
                ],
                monthly: 25.5,
            },
        });
        const diff = diffPlans(base, head, "origin/main", COMMIT, table);
        const data = diff.layers.find((l) => l.layer === "data");
        expect(data?.added).to.deep.equal([`${rds}::new`]);
        expect(data?.removed).to.deep.equal([`${rds}::old`]);
        expect(data?.changed).to.deep.equal([{ key: `${rds}::db`, fields: ["blockDevice", "instanceClass"] }]);
        expect(data?.replaced).to.deep.equal([{ key: `${rds}::db2`, fields: ["blockDevice.volumeType", "engine"] }]);
        expect(data?.monthlyDelta).to.equal(15.5);
        expect(diff.monthlyDelta).to.equal(15.5);
        expect(diff.errors).to.equal(0);
    });
});
