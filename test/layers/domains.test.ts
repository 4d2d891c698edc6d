import { expect } from "chai";
import { smokeTargets } from "../../scripts/smoke";
import { SERVICES } from "../../shared/catalog";
import { PROJECT_NAMES } from "../../shared/layers";
import { runChain, type Chain } from "../harness/chain";
import { CERTIFICATE_ARN, CERTIFICATE_DOMAINS, HOSTED_ZONE_ID } from "../harness/fixtures";

/** Public host names: the URLs every output and smoke check uses, the certificate, the DNS records. */

const V = PROJECT_NAMES.services;
const RECORD = "aws:route53/record:Record";
const LB = "aws:lb/loadBalancer:LoadBalancer";

const urlsOf = (chain: Chain) => chain.services.outputs["serviceUrls"] as Record<string, string>;
const envOf = (chain: Chain, service: string) => {
    const td = chain.services.ofType("aws:ecs/taskDefinition:TaskDefinition").find((r) => r.name === `${service}-task`);
    const c = (
        JSON.parse(String(td?.inputs["containerDefinitions"])) as Array<{
            environment: Array<{ name: string; value: string }>;
        }>
    )[0];
    return Object.fromEntries((c?.environment ?? []).map((e) => [e.name, e.value]));
};

describe("public host names (under mocks)", () => {
    let prod: Chain;
    let dev: Chain;

    before(async () => {
        prod = await runChain("prod", { extra: { services: { [`${V}:hostedZoneId`]: HOSTED_ZONE_ID } } });
        dev = await runChain("dev");
    });

    it("production exports https://<domain> for each public service, and the smoke checks probe those names", () => {
        expect(urlsOf(prod)).to.deep.equal({
            gateway: "https://gateway.example.com",
            "llm-proxy": "https://llm-proxy.example.com",
        });
        expect(smokeTargets(urlsOf(prod)).map((t) => t.url)).to.deep.equal([
            "https://gateway.example.com/health",
            "https://llm-proxy.example.com/health/liveliness",
        ]);
        expect(envOf(prod, "gateway")["API_URL"]).to.equal("https://gateway.example.com");
    });

    it("one certificate serves both load balancers, and each HTTPS listener carries its names for the policy pack", () => {
        const https = prod.services.ofType("aws:lb/listener:Listener").filter((l) => l.inputs["protocol"] === "HTTPS");
        expect(https).to.have.length(SERVICES.filter((s) => s.public).length);
        for (const l of https) {
            expect(l.inputs["certificateArn"]).to.equal(CERTIFICATE_ARN);
            expect(l.inputs["tags"]).to.deep.equal({
                "proliferate:certificate-domains": CERTIFICATE_DOMAINS.join(" "),
            });
        }
        for (const lb of prod.services.ofType(LB)) {
            const service = lb.name.replace(/-alb$/, "");
            expect(lb.inputs["tags"]).to.deep.equal({ "proliferate:domain": `${service}.example.com` });
        }
    });

    it("creates a Route 53 alias record per domain in the configured zone, pointing at that service's load balancer", () => {
        const records = prod.services.ofType(RECORD);
        expect(records.map((r) => r.inputs["name"]).sort()).to.deep.equal([
            "gateway.example.com",
            "llm-proxy.example.com",
        ]);
        for (const r of records) {
            const service = String(r.inputs["name"]).replace(/\.example\.com$/, "");
            const lb = prod.services.ofType(LB).find((x) => x.name === `${service}-alb`);
            expect(r.inputs).to.deep.include({
                zoneId: HOSTED_ZONE_ID,
                type: "A",
                aliases: [{ name: lb?.state?.["dnsName"], zoneId: lb?.state?.["zoneId"], evaluateTargetHealth: true }],
            });
        }
    });

    it("development without domains uses the load balancers' names over HTTP and creates no record", () => {
        const dns = dev.services.outputs["loadBalancerDnsNames"] as Record<string, string>;
        expect(urlsOf(dev)).to.deep.equal({
            gateway: `http://${dns["gateway"]}`,
            "llm-proxy": `http://${dns["llm-proxy"]}`,
        });
        expect(dev.services.ofType(RECORD)).to.be.empty;
        expect(dev.services.ofType(LB).every((lb) => lb.inputs["tags"] === undefined)).to.be.true;
    });

    it("development with domains but no certificate or zone: http://<domain>, DNS left to the operator", async () => {
        const chain = await runChain("dev", {
            extra: {
                services: { [`${V}:domains`]: '{"gateway":"api.dev.example.com","llm-proxy":"llm.dev.example.com"}' },
            },
        });
        expect(urlsOf(chain)).to.deep.equal({
            gateway: "http://api.dev.example.com",
            "llm-proxy": "http://llm.dev.example.com",
        });
        expect(chain.services.ofType(RECORD)).to.be.empty;
    });
});
