import { expect } from "chai";
import { resolve } from "node:path";
import { costLines, readPriceTable, totalOf } from "../../scripts/plan/cost";
import type { RecordedResource } from "../../scripts/plan/mock-engine";

const ROOT = resolve(__dirname, "..", "..", "..");
const table = readPriceTable(ROOT);

function res(type: string, name: string, inputs: Record<string, unknown>, arn?: string): RecordedResource {
    return { type, name, inputs, custom: true, id: `${name}-id`, state: { ...inputs, arn: arn ?? `arn:${name}` } };
}

/** A small stack: one NAT gateway, the smallest database and cache, two small tasks, a secret, a key, a log group. */
const SMALL: RecordedResource[] = [
    res("awsx:ec2:Vpc", "vpc", { availabilityZoneNames: ["a", "b"], natGateways: { strategy: "Single" } }),
    res("aws:rds/instance:Instance", "db", { instanceClass: "db.t4g.micro", allocatedStorage: 20, multiAz: false }),
    res("aws:elasticache/replicationGroup:ReplicationGroup", "redis", {
        engine: "redis",
        nodeType: "cache.t4g.micro",
        numCacheClusters: 1,
    }),
    res("aws:ecs/taskDefinition:TaskDefinition", "td", { cpu: "256", memory: "512" }, "arn:td"),
    res("aws:ecs/service:Service", "svc", { desiredCount: 2, taskDefinition: "arn:td" }),
    res("aws:secretsmanager/secret:Secret", "secret", {}),
    res("aws:kms/key:Key", "key", {}),
    res("aws:cloudwatch/logGroup:LogGroup", "logs", { retentionInDays: 30 }),
    res("aws:iam/role:Role", "role", {}),
];

describe("plan cost estimate", () => {
    it("the price table is dated, names its sources and has the same items in every region", () => {
        expect(table.asOf).to.match(/^\d{4}-\d{2}-\d{2}$/);
        expect(table.source.length).to.be.greaterThan(0);
        table.source.forEach((s) => expect(s).to.match(/^https:\/\/aws\.amazon\.com\//));
        expect(table.description).to.match(/LIST prices/);
        const regions = Object.keys(table.regions);
        expect(regions).to.include.members(["us-east-1", "eu-west-1"]);
        const shape = (r: string) => JSON.stringify(Object.keys(table.regions[r] ?? {}).sort());
        regions.forEach((r) => expect(shape(r), r).to.equal(shape("us-east-1")));
    });

    it("prices a known small config in us-east-1 as computed by hand", () => {
        const lines = costLines(SMALL, table, "us-east-1");
        const by = (name: string) => lines.find((l) => l.name === name)?.monthly ?? NaN;
        // (0.045 NAT + 0.005 IPv4) × 730 h + 50 GB × 0.045
        expect(by("vpc")).to.be.closeTo(38.75, 1e-9);
        // 0.016 × 730 + 20 GB × 0.115
        expect(by("db")).to.be.closeTo(13.98, 1e-9);
        expect(by("redis")).to.be.closeTo(11.68, 1e-9);
        // 2 tasks × (0.25 vCPU × 0.04048 + 0.5 GB × 0.004445) × 730
        expect(by("svc")).to.be.closeTo(18.02005, 1e-9);
        expect(by("secret")).to.equal(0.4);
        expect(by("key")).to.equal(1);
        // 5 GB assumed × 0.50
        expect(by("logs")).to.equal(2.5);
        expect(lines.map((l) => l.name)).not.to.include("role");
        expect(totalOf(lines)).to.be.closeTo(86.33005, 1e-9);
        expect(lines.find((l) => l.name === "logs")?.basis).to.include("assuming 5 GB/month");
    });

    it("doubles a Multi-AZ database's instance and storage (eu-west-1) and discounts Valkey", () => {
        const lines = costLines(
            [
                res("aws:rds/instance:Instance", "db", {
                    instanceClass: "db.t4g.small",
                    allocatedStorage: 100,
                    multiAz: true,
                }),
                res("aws:elasticache/replicationGroup:ReplicationGroup", "valkey", {
                    engine: "valkey",
                    nodeType: "cache.t4g.small",
                    numCacheClusters: 3,
                }),
            ],
            table,
            "eu-west-1",
        );
        // 0.034 × 730 × 2 + 100 × 0.127 × 2
        expect(lines[0]?.monthly).to.be.closeTo(75.04, 1e-9);
        // 3 × 0.034 × 0.8 × 730
        expect(lines[1]?.monthly).to.be.closeTo(59.568, 1e-9);
    });

    it("marks a size missing from the table as unpriced and refuses an unknown region", () => {
        const [line] = costLines(
            [res("aws:rds/instance:Instance", "db", { instanceClass: "db.x9.huge" })],
            table,
            "us-east-1",
        );
        expect(line?.unpriced).to.equal(true);
        expect(() => costLines(SMALL, table, "ap-south-2")).to.throw(/no prices for ap-south-2/);
    });
});
