import { expect } from "chai";
import { ALL_POLICIES } from "../../policy/policies";
import { LAYERS } from "../../shared/layers";
import { runChain } from "../harness/chain";
import { ADMIN_SERVICE } from "../harness/fixtures";
import { runLayer } from "../harness/mocks";
import { dataOptions, foundationOptions, type Profile } from "../harness/fixtures";
import { runPolicies } from "../harness/policy-harness";
import { SERVICES } from "../../shared/catalog";

describe("policy pack over the four chained layers", () => {
    for (const profile of ["dev", "prod"] as Profile[]) {
        it(`${profile === "dev" ? "development" : "production"}-like configuration: zero mandatory violations in every layer`, async () => {
            const chain = await runChain(profile, { catalog: [...SERVICES, ADMIN_SERVICE] });
            let policies = 0;
            let resources = 0;
            const mandatory: string[] = [];
            for (const layer of LAYERS) {
                const run = await runPolicies(ALL_POLICIES, chain[layer].resources);
                policies = run.policiesRun;
                resources += run.resourcesChecked;
                mandatory.push(...run.mandatory.map((v) => `${layer}: [${v.policy}] ${v.message}`));
            }
            console.log(`      ${policies} policies ran over ${resources} resources of 4 layers (${profile})`);
            expect(mandatory, mandatory.join("\n")).to.deep.equal([]);
            expect(policies).to.equal(ALL_POLICIES.length);
        });
    }
});

describe("policy pack catches a layer broken on purpose", () => {
    it("a publicly accessible database", async () => {
        const { foundation } = await import("../../stacks/foundation/program");
        const { data } = await import("../../stacks/data/program");
        const up = (await runLayer(() => foundation(), foundationOptions("dev"))).asUpstream();
        const run = await runLayer(() => data(), {
            ...dataOptions("dev", up),
            transform: (type, _name, props) =>
                type === "aws:rds/instance:Instance" ? { ...props, publiclyAccessible: true } : undefined,
        });
        const result = await runPolicies(ALL_POLICIES, run.resources);
        expect(result.mandatory.map((v) => v.policy)).to.deep.equal(["rds-2-not-public"]);
        expect(result.mandatory[0]?.message)
            .to.include("postgres-instance")
            .and.include("Fix: set publiclyAccessible: false");
    });

    it("HTTPS on a load balancer whose host name the certificate does not cover", async () => {
        const chain = await runChain("prod");
        const { services } = await import("../../stacks/services/program");
        const { servicesOptions } = await import("../harness/fixtures");
        const run = await runLayer(() => services(), {
            ...servicesOptions("prod", {
                foundation: chain.foundation.asUpstream(),
                secrets: chain.secrets.asUpstream(),
            }),
            transform: (type, name, props) =>
                type === "aws:lb/loadBalancer:LoadBalancer" && name === "gateway-alb"
                    ? { ...props, tags: { "proliferate:domain": "api.example.org" } }
                    : undefined,
        });
        const result = await runPolicies(ALL_POLICIES, run.resources);
        expect(result.mandatory.map((v) => v.policy)).to.deep.equal(["elb-https-host-name-covered"]);
        expect(result.mandatory[0]?.message).to.include("gateway-https").and.include("api.example.org");
    });

    it("a security group open to the internet on 5432", async () => {
        const { foundation } = await import("../../stacks/foundation/program");
        const run = await runLayer(() => foundation(), {
            ...foundationOptions("dev"),
            transform: (type, name, props) =>
                type === "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule" &&
                name.endsWith("postgres-in-5432-gateway-task")
                    ? { ...props, referencedSecurityGroupId: undefined, cidrIpv4: "0.0.0.0/0" }
                    : undefined,
        });
        const result = await runPolicies(ALL_POLICIES, run.resources);
        expect(result.mandatory.map((v) => v.policy)).to.deep.equal(["ec2-18-19-no-unrestricted-ingress"]);
        expect(result.mandatory[0]?.message).to.include("postgres-in-5432").and.include("ports 5432-5432");
    });
});
