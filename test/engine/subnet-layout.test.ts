import { expect } from "chai";
import * as fc from "fast-check";
import { subnetMasks } from "../../shared/network-plan";
import { contains, overlaps, parseBlock } from "./sim/cidr";
import { creationOrder, needsNatGateway, planSubnets } from "./awsx/subnet-layout";

// The simulated awsx VPC's subnet plan (mirrors awsx's "Auto" allocator).

describe("simulated awsx: subnet layout", () => {
    it("plans the foundation layer's VPC: per AZ a /18 private then a /19 public inside a /17 block", () => {
        const masks = subnetMasks(16, 2);
        const plan = planSubnets(
            "network-vpc",
            "10.0.0.0/16",
            ["us-east-1a", "us-east-1b"],
            [
                { type: "Private", name: "private", cidrMask: masks.private },
                { type: "Public", name: "public", cidrMask: masks.public },
            ],
            masks.availabilityZone,
        );
        expect(plan.map((s) => [s.subnetName, s.azName, s.cidrBlock])).to.deep.equal([
            ["network-vpc-private-1", "us-east-1a", "10.0.0.0/18"],
            ["network-vpc-public-1", "us-east-1a", "10.0.64.0/19"],
            ["network-vpc-private-2", "us-east-1b", "10.0.128.0/18"],
            ["network-vpc-public-2", "us-east-1b", "10.0.192.0/19"],
        ]);
    });

    it("property: every planned subnet is inside the VPC and none overlap", () => {
        fc.assert(
            fc.property(fc.integer({ min: 16, max: 22 }), fc.integer({ min: 2, max: 3 }), (prefix, azCount) => {
                const m = subnetMasks(prefix, azCount);
                const vpc = `10.0.0.0/${prefix}`;
                const zones = ["a", "b", "c"].slice(0, azCount).map((z) => `us-east-1${z}`);
                const plan = planSubnets(
                    "v",
                    vpc,
                    zones,
                    [
                        { type: "Private", cidrMask: m.private },
                        { type: "Public", cidrMask: m.public },
                    ],
                    m.availabilityZone,
                );
                expect(plan).to.have.length(azCount * 2);
                for (const s of plan) expect(contains(parseBlock(vpc), parseBlock(s.cidrBlock))).to.equal(true);
                for (const a of plan)
                    for (const b of plan)
                        if (a !== b) expect(overlaps(parseBlock(a.cidrBlock), parseBlock(b.cidrBlock))).to.equal(false);
            }),
        );
    });

    it("uses awsx's defaults without subnetSpecs and rejects subnets that do not fit", () => {
        expect(planSubnets("v", "10.0.0.0/16", ["a", "b"]).map((s) => s.cidrBlock)).to.deep.equal([
            "10.0.0.0/18",
            "10.0.64.0/19",
            "10.0.128.0/18",
            "10.0.192.0/19",
        ]);
        expect(() => planSubnets("v", "10.0.0.0/24", ["a", "b"], [{ type: "Private", cidrMask: 24 }])).to.throw(
            /too large/,
        );
    });

    it("creates public subnets first in each AZ and NAT gateways per strategy", () => {
        const plan = planSubnets("v", "10.0.0.0/16", ["a", "b"]).sort(creationOrder);
        expect(plan.map((s) => `${s.type}${s.azIndex}`)).to.deep.equal(["Public0", "Private0", "Public1", "Private1"]);
        expect([needsNatGateway("Single", 0, 0), needsNatGateway("Single", 1, 1)]).to.deep.equal([true, false]);
        expect([needsNatGateway("OnePerAz", 1, 1), needsNatGateway("None", 0, 0)]).to.deep.equal([true, false]);
    });
});
