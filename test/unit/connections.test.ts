import { expect } from "chai";
import { SERVICES, validateCatalog, type ServiceSpec } from "../../shared/catalog";
import { privateAddress, privateUrls, routes, validateConnections } from "../../shared/connections";

const by = (name: string) => SERVICES.find((s) => s.name === name) as ServiceSpec;

describe("connections of the catalog (pure)", () => {
    it("the shipped catalog's connections are valid", () => {
        expect(validateConnections(SERVICES)).to.deep.equal([]);
    });

    it("routes each connection to a port, a scheme and the group or blocks that admit it", () => {
        const worker = routes(SERVICES).filter((r) => r.from === "worker");
        expect(worker.map((r) => [r.variable, r.to, r.port, r.scheme])).to.deep.equal([
            ["GATEWAY_URL", "gateway", 8080, "http"],
            ["LLM_PROXY_URL", "llm-proxy", 4000, "http"],
            ["DATABASE_URL", "postgres", 5432, "postgresql"],
            ["REDIS_URL", "redis", 6379, "rediss"],
        ]);
        const external = routes(SERVICES, { cidrs: ["10.200.0.0/16"], port: 6432 }).filter(
            (r) => r.to === "external database",
        );
        expect(external.map((r) => [r.from, r.port, r.peer])).to.deep.equal(
            ["worker", "gateway", "llm-proxy"].map((s) => [s, 6432, { cidrs: ["10.200.0.0/16"] }]),
        );
    });

    it("gives each called service one private address, which the caller's variables carry", () => {
        expect(privateAddress(by("gateway"))).to.deep.equal({
            host: "gateway.internal",
            port: 8080,
            url: "http://gateway.internal:8080",
        });
        expect(privateUrls(by("worker"), SERVICES)).to.deep.equal({
            GATEWAY_URL: "http://gateway.internal:8080",
            LLM_PROXY_URL: "http://llm-proxy.internal:4000",
        });
        expect(() => privateAddress(by("worker"))).to.throw(/no port/);
    });

    it("names each mistake: unknown or port-less targets, itself, a secret address, a store read without its connection", () => {
        const worker = by("worker");
        const broken: ServiceSpec[] = [
            ...SERVICES.filter((s) => s.name !== "worker"),
            {
                ...worker,
                connections: [
                    { variable: "GATEWAY_URL", to: { service: "gatewy" } },
                    { variable: "SELF_URL", to: { service: "worker" } },
                    { variable: "DATABASE_URL", to: { service: "gateway" } },
                    { variable: "CACHE", to: "redis" },
                ],
            },
        ];
        const text = validateConnections(broken).join("\n");
        expect(text)
            .to.include('GATEWAY_URL connects to unknown service "gatewy"')
            .and.include("SELF_URL connects to itself")
            .and.include("DATABASE_URL is a secret key")
            .and.include("the redis address is REDIS_URL, not CACHE")
            .and.include('"worker" reads DATABASE_URL but declares no connection to database');
        expect(validateCatalog(broken).join("\n")).to.include("gatewy");
    });
});
