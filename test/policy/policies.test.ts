import { expect } from "chai";
import { ALL_POLICIES } from "../../policy/policies";
import { runOnPolicyResources } from "../harness/policy-harness";
import { CASES } from "./policy-cases";
import { DEV, goodDb, lb, listener, providerRes, RDS, res } from "./policy-fixtures";

describe("every policy: a compliant and a violating input", () => {
    it("every policy of the pack has a case here, and every case names a policy", () => {
        expect(Object.keys(CASES).sort()).to.deep.equal(ALL_POLICIES.map((p) => p.name).sort());
    });

    for (const policy of ALL_POLICIES) {
        const c = CASES[policy.name];
        if (!c) continue;
        it(`${policy.name} (${policy.meta.control}, ${policy.enforcementLevel}${policy.meta.scope === "production" ? ", production" : ""})`, async () => {
            const good = await runOnPolicyResources([policy], c.good);
            expect(
                good.violations.map((v) => v.message),
                "compliant input",
            ).to.deep.equal([]);
            const bad = await runOnPolicyResources([policy], c.bad);
            expect(bad.violations, "violating input").to.have.length.greaterThan(0);
            for (const v of bad.violations) {
                expect(v.message).to.include(`${c.names} (`);
                expect(v.message).to.match(/\. Fix: \S/);
                expect(v.urn).to.match(/^urn:pulumi:/);
            }
        });
    }

    it("NAT per AZ reads the registered children on the engine, where the awsx Vpc shows its outputs", async () => {
        const nat = ALL_POLICIES.filter((p) => p.name === "nat-gateway-per-az");
        const subnets = ["a", "b"].map((az) =>
            res("aws:ec2/subnet:Subnet", `private-${az}`, { availabilityZone: `us-east-1${az}` }),
        );
        const natGateway = (n: string) => res("aws:ec2/natGateway:NatGateway", n, {});
        const vpc = res("awsx:ec2:Vpc", "vpc", { natGateways: [{ id: "nat-1" }, { id: "nat-2" }] });
        const perAz = [providerRes("production"), vpc, ...subnets, natGateway("nat-1"), natGateway("nat-2")];
        expect((await runOnPolicyResources(nat, perAz)).violations).to.deep.equal([]);
        const single = await runOnPolicyResources(nat, [
            providerRes("production"),
            vpc,
            ...subnets,
            natGateway("nat-1"),
        ]);
        expect(single.violations.map((v) => v.message).join()).to.include("1 NAT gateway(s) for 2 AZs");
    });

    it("EC2.2 counts an awsx Vpc once when the engine also registers its aws:ec2 Vpc child", async () => {
        const ec2 = ALL_POLICIES.filter((p) => p.name === "ec2-2-default-security-group-closed");
        const onEngine = [
            res("awsx:ec2:Vpc", "vpc", {}),
            res("aws:ec2/vpc:Vpc", "vpc", { cidrBlock: "10.0.0.0/16" }),
            res("aws:ec2/defaultSecurityGroup:DefaultSecurityGroup", "default-sg", {}),
        ];
        expect((await runOnPolicyResources(ec2, onEngine)).violations).to.deep.equal([]);
        const unmanaged = await runOnPolicyResources(ec2, onEngine.slice(0, 2));
        expect(unmanaged.violations.map((v) => v.message).join()).to.include("is not managed");
    });

    it("elb-https-host-name-covered refuses HTTPS on a load balancer without a host name, in every environment", async () => {
        const policy = ALL_POLICIES.filter((p) => p.name === "elb-https-host-name-covered");
        const run = await runOnPolicyResources(policy, [
            providerRes("development"),
            lb,
            listener("https", { protocol: "HTTPS", port: 443 }),
        ]);
        expect(run.mandatory.map((v) => v.message)).to.have.length(1);
        expect(run.mandatory[0]?.message).to.include("without a host name").and.include("proliferate-services:domains");
    });

    it("production-only policies do not apply to a development environment", async () => {
        const dev = await runOnPolicyResources(
            ALL_POLICIES.filter((p) => p.meta.scope === "production"),
            [
                res(RDS, "db", { ...goodDb, multiAz: false, deletionProtection: false }, { provider: DEV }),
                providerRes("development"),
                res("awsx:ec2:Vpc", "vpc", { natGateways: { strategy: "Single" } }),
            ],
        );
        expect(dev.violations).to.deep.equal([]);
    });

    it("the pack's config can lower or disable a policy, as pulumi's --policy-pack-config does", async () => {
        const bad = [res(RDS, "db", { ...goodDb, publiclyAccessible: true }, { provider: DEV })];
        expect((await runOnPolicyResources(ALL_POLICIES, bad)).mandatory.map((v) => v.policy)).to.deep.equal([
            "rds-2-not-public",
        ]);
        const lowered = await runOnPolicyResources(ALL_POLICIES, bad, { "rds-2-not-public": "advisory" });
        expect(lowered.mandatory).to.deep.equal([]);
        expect(lowered.violations.map((v) => v.policy)).to.include("rds-2-not-public");
        expect(
            (await runOnPolicyResources(ALL_POLICIES, bad, { "rds-2-not-public": "disabled" })).violations.map(
                (v) => v.policy,
            ),
        ).not.to.include("rds-2-not-public");
    });
});
