import { expect } from "chai";
import * as fc from "fast-check";
import { SERVICES } from "../../shared/catalog";
import { ruleName, securityGroupRules, subnetMasks } from "../../shared/network-plan";

describe("network plan", () => {
    it("splits a /16 over 2 AZs into /17 blocks with /18 private and /19 public subnets", () => {
        expect(subnetMasks(16, 2)).to.deep.equal({ availabilityZone: 17, private: 18, public: 19 });
    });

    it("property: the subnets of all AZs fit in the VPC and are never smaller than /28", () => {
        fc.assert(
            fc.property(fc.integer({ min: 16, max: 22 }), fc.integer({ min: 2, max: 3 }), (prefix, azs) => {
                const m = subnetMasks(prefix, azs);
                const perAz = 2 ** (32 - m.private) + 2 ** (32 - m.public);
                expect(perAz).to.be.at.most(2 ** (32 - m.availabilityZone));
                expect(azs * 2 ** (32 - m.availabilityZone)).to.be.at.most(2 ** (32 - prefix));
                expect(m.public).to.be.at.most(28);
            }),
        );
    });

    it("refuses a VPC too small for its AZs", () => {
        expect(() => subnetMasks(26, 3)).to.throw(/too small/);
    });

    describe("security group rules", () => {
        const rules = securityGroupRules(SERVICES, ["10.100.0.0/16"]);

        it("opens 0.0.0.0/0 and ::/0 only on ALB groups, only on 80 and 443", () => {
            const open = rules.filter((r) =>
                "cidrIpv4" in r.peer
                    ? r.peer.cidrIpv4 === "0.0.0.0/0"
                    : "cidrIpv6" in r.peer && r.peer.cidrIpv6 === "::/0",
            );
            const openIngress = open.filter((r) => r.direction === "ingress");
            expect(openIngress.every((r) => r.group.endsWith("-alb") && [80, 443].includes(r.port))).to.be.true;
            expect(openIngress).to.have.length(8);
            // The only open egress is HTTPS from tasks.
            expect(
                open.filter((r) => r.direction === "egress").every((r) => r.group.endsWith("-task") && r.port === 443),
            ).to.be.true;
        });

        it("gives each task access to exactly the data stores it reads, and the worker no ingress", () => {
            expect(rules.filter((r) => r.group === "worker-task" && r.direction === "ingress")).to.be.empty;
            for (const s of SERVICES) {
                const readsRedis = s.secretKeys.includes("REDIS_URL");
                const redisIngress = {
                    group: "redis",
                    direction: "ingress",
                    port: 6379,
                    peer: { securityGroup: `${s.name}-task` },
                    description: `from ${s.name} tasks`,
                };
                if (readsRedis) expect(rules, s.name).to.deep.include(redisIngress);
                else expect(rules, s.name).not.to.deep.include(redisIngress);
                expect(
                    rules.some((r) => r.group === `${s.name}-task` && r.direction === "egress" && r.port === 5432),
                    s.name,
                ).to.equal(s.secretKeys.includes("DATABASE_URL"));
            }
        });

        it("adds one egress rule per external database block and caller, and no ingress for it", () => {
            const withExternal = securityGroupRules(SERVICES, [], { cidrs: ["10.200.0.0/16"], port: 6432 });
            const external = withExternal.filter((r) => r.port === 6432);
            expect(external.every((r) => r.direction === "egress" && "cidrIpv4" in r.peer)).to.be.true;
            expect(external.map((r) => r.group).sort()).to.deep.equal([
                "gateway-task",
                "llm-proxy-task",
                "worker-task",
            ]);
        });

        it("gives every rule a unique logical name", () => {
            const names = rules.map(ruleName);
            expect(new Set(names).size).to.equal(names.length);
        });
    });
});
