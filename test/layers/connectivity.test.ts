import { expect } from "chai";
import { SERVICES } from "../../shared/catalog";
import { PROJECT_NAMES } from "../../shared/layers";
import { runChain, type Chain, type ChainOptions } from "../harness/chain";
import { CERTIFICATE_ARN, domainsOf, type Profile } from "../harness/fixtures";
import type { RecordedResource } from "../harness/mocks";

/**
 * The deployed system must work as a system: every address a service is given (plain variables and
 * the values of its secrets) must have a network path in the security groups foundation created.
 * The walk reads only what the layers registered: the task definitions, the secret payloads, the
 * ECS services, load balancers and data stores, and the rules. It resolves each URL's host to what
 * it names and asks for an egress rule on the caller's group and an ingress rule on the target's
 * group for that port (for a host outside the stack, egress to a block that holds it).
 */

const F = PROJECT_NAMES.foundation;
const D = PROJECT_NAMES.data;
const V = PROJECT_NAMES.services;
const DEFAULT_PORTS: Record<string, number> = {
    http: 80,
    https: 443,
    redis: 6379,
    rediss: 6379,
    postgres: 5432,
    postgresql: 5432,
};
const EXTERNAL_DB_IP = "10.200.4.20";

interface Endpoint {
    service: string;
    variable: string;
    host: string;
    port: number;
}

interface Rule {
    group: string;
    direction: "ingress" | "egress";
    from: number;
    to: number;
    peerGroup?: string;
    cidr?: string;
}

interface Container {
    environment: Array<{ name: string; value: string }>;
    secrets: Array<{ name: string; valueFrom: string }>;
}

function ipv4(address: string): number | undefined {
    const m = /^(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(address);
    return m ? m.slice(1).reduce((acc, o) => acc * 256 + Number(o), 0) : undefined;
}

function cidrHolds(cidr: string, address: string): boolean {
    const [base = "", bits = "32"] = cidr.split("/");
    const ip = ipv4(address);
    const net = ipv4(base);
    if (ip === undefined || net === undefined) return false;
    const size = 2 ** (32 - Number(bits));
    return ip >= net && ip < net + size;
}

/** The variables a catalog row declares it only hands out (its own public URL), never calls. */
function advertisedBy(service: string): readonly string[] {
    const spec = SERVICES.find((s) => s.name === service) as { advertised?: readonly string[] } | undefined;
    return spec?.advertised ?? [];
}

/** Every URL-valued variable and secret of every task, except the ones its catalog row only advertises. */
function endpoints(chain: Chain): Endpoint[] {
    const out: Endpoint[] = [];
    const secrets = chain.secrets.ofType("aws:secretsmanager/secret:Secret");
    const versions = chain.secrets.ofType("aws:secretsmanager/secretVersion:SecretVersion");
    for (const td of chain.services.ofType("aws:ecs/taskDefinition:TaskDefinition")) {
        const service = td.name.replace(/-task$/, "");
        const advertised = advertisedBy(service);
        const c = (JSON.parse(String(td.inputs["containerDefinitions"])) as Container[])[0] as Container;
        const values: Array<[string, string]> = c.environment.map((e) => [e.name, e.value]);
        for (const ref of c.secrets) {
            const arn = ref.valueFrom.split(`:${ref.name}:`)[0];
            const secret = secrets.find((x) => x.state?.["arn"] === arn);
            const current = versions.find((x) => x.inputs["secretId"] === secret?.id);
            const payload = JSON.parse(String(current?.inputs["secretString"])) as Record<string, string>;
            values.push([ref.name, String(payload[ref.name])]);
        }
        for (const [variable, value] of values) {
            if (advertised.includes(variable)) continue;
            let url: URL;
            try {
                url = new URL(value);
            } catch {
                continue;
            }
            const scheme = url.protocol.replace(/:$/, "");
            if (!(scheme in DEFAULT_PORTS) || url.hostname === "") continue;
            out.push({ service, variable, host: url.hostname, port: Number(url.port || DEFAULT_PORTS[scheme]) });
        }
    }
    return out;
}

function rules(chain: Chain): Rule[] {
    const text = (v: unknown) => (typeof v === "string" && v !== "" ? v : undefined);
    const read = (r: RecordedResource, direction: Rule["direction"]): Rule => {
        const peerGroup = text(r.inputs["referencedSecurityGroupId"]);
        const cidr = text(r.inputs["cidrIpv4"]);
        return {
            group: String(text(r.inputs["securityGroupId"])),
            direction,
            from: Number(r.inputs["fromPort"]),
            to: Number(r.inputs["toPort"]),
            ...(peerGroup !== undefined ? { peerGroup } : {}),
            ...(cidr !== undefined ? { cidr } : {}),
        };
    };
    return [
        ...chain.foundation
            .ofType("aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule")
            .map((r) => read(r, "ingress")),
        ...chain.foundation
            .ofType("aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule")
            .map((r) => read(r, "egress")),
    ];
}

/** Whether a path exists for each endpoint; returns one line per endpoint without one, and the calls that hair-pin. */
function walk(chain: Chain): { missing: string[]; hairpins: string[]; walked: string[] } {
    const all = rules(chain);
    const allows = (direction: Rule["direction"], group: string, port: number, peer: (r: Rule) => boolean) =>
        all.some((r) => r.direction === direction && r.group === group && r.from <= port && port <= r.to && peer(r));
    const ecs = chain.services.ofType("aws:ecs/service:Service");
    const groupOf = (svc: RecordedResource | undefined) =>
        (svc?.inputs["networkConfiguration"] as { securityGroups: string[] } | undefined)?.securityGroups[0] ?? "?";
    type Connect = {
        enabled: boolean;
        namespace: string;
        services?: Array<{ clientAlias: Array<{ dnsName: string; port: number }> }>;
    };
    const connectOf = (svc: RecordedResource | undefined) =>
        svc?.inputs["serviceConnectConfiguration"] as Connect | undefined;
    const lbs = chain.services.ofType("aws:lb/loadBalancer:LoadBalancer");
    const listeners = chain.services.ofType("aws:lb/listener:Listener");
    const redis = chain.data.ofType("aws:elasticache/replicationGroup:ReplicationGroup")[0];
    const rds = chain.data.ofType("aws:rds/instance:Instance")[0];
    const missing: string[] = [];
    const hairpins: string[] = [];
    const walked: string[] = [];
    for (const e of endpoints(chain)) {
        const name = `${e.service} ${e.variable} -> ${e.host}:${e.port}`;
        walked.push(`${e.service} ${e.variable}`);
        const caller = ecs.find((s) => s.name === `${e.service}-service`);
        const from = groupOf(caller);
        const between = (to: string) =>
            allows("egress", from, e.port, (r) => r.peerGroup === to) &&
            allows("ingress", to, e.port, (r) => r.peerGroup === from);
        const target = ecs.find((s) =>
            connectOf(s)?.services?.some((x) => x.clientAlias.some((a) => a.dnsName === e.host && a.port === e.port)),
        );
        const lb = lbs.find(
            (x) =>
                x.state?.["dnsName"] === e.host ||
                (x.inputs["tags"] as Record<string, string> | undefined)?.["proliferate:domain"] === e.host,
        );
        let ok: boolean;
        if (target) {
            const same =
                connectOf(caller)?.enabled === true && connectOf(caller)?.namespace === connectOf(target)?.namespace;
            ok = same && between(groupOf(target));
        } else if (lb) {
            // Through the internet and back: the caller leaves through NAT, the ALB sees a public address.
            hairpins.push(name);
            const lbGroup = (lb.inputs["securityGroups"] as string[])[0] ?? "?";
            const listens = listeners.some(
                (l) => l.inputs["loadBalancerArn"] === lb.state?.["arn"] && l.inputs["port"] === e.port,
            );
            ok =
                listens &&
                allows("egress", from, e.port, (r) => r.cidr === "0.0.0.0/0") &&
                allows("ingress", lbGroup, e.port, (r) => r.cidr === "0.0.0.0/0");
        } else if (redis && e.host === redis.state?.["primaryEndpointAddress"]) {
            ok = between((redis.inputs["securityGroupIds"] as string[])[0] ?? "?");
        } else if (rds && e.host === rds.state?.["address"]) {
            ok = between((rds.inputs["vpcSecurityGroupIds"] as string[])[0] ?? "?");
        } else if (ipv4(e.host) !== undefined) {
            ok = allows("egress", from, e.port, (r) => r.cidr !== undefined && cidrHolds(r.cidr, e.host));
        } else {
            // A public name outside the stack: any egress block on the port (the internet's, for HTTPS).
            ok = allows("egress", from, e.port, (r) => r.cidr !== undefined);
        }
        if (!ok) missing.push(name);
    }
    return { missing, hairpins, walked };
}

const EXTERNAL_DB: ChainOptions["extra"] = {
    foundation: { [`${F}:externalDatabaseCidrs`]: '["10.200.0.0/16"]' },
    data: {
        [`${D}:enableRds`]: "false",
        [`${D}:dbPassword`]: "<unset>",
        [`${D}:databaseUrlOverride`]: `postgresql://app:test-ext-pass-77@${EXTERNAL_DB_IP}:5432/app?sslmode=require`,
    },
};
const WITH_CERTIFICATE = { [`${V}:certificateArn`]: CERTIFICATE_ARN, [`${V}:domains`]: domainsOf() };

const MATRIX: Array<{ title: string; profile: Profile; https: boolean; rds: boolean }> = [
    { title: "development, no certificate, RDS", profile: "dev", https: false, rds: true },
    { title: "development, certificate, RDS", profile: "dev", https: true, rds: true },
    { title: "production, certificate, RDS", profile: "prod", https: true, rds: true },
    { title: "development, no certificate, external database", profile: "dev", https: false, rds: false },
    { title: "development, certificate, external database", profile: "dev", https: true, rds: false },
    { title: "production, certificate, external database", profile: "prod", https: true, rds: false },
];

describe("connectivity: every address a service is given has a security-group path", () => {
    for (const m of MATRIX) {
        describe(m.title, () => {
            let result: ReturnType<typeof walk>;
            before(async () => {
                const extra: NonNullable<ChainOptions["extra"]> = m.rds ? {} : { ...EXTERNAL_DB };
                if (m.https && m.profile === "dev") extra.services = WITH_CERTIFICATE;
                const chain = await runChain(m.profile, { extra });
                expect(chain.data.ofType("aws:rds/instance:Instance")).to.have.length(m.rds ? 1 : 0);
                const urls = Object.values(chain.services.outputs["serviceUrls"] as Record<string, string>);
                expect(urls.every((u) => u.startsWith(m.https ? "https://" : "http://"))).to.be.true;
                result = walk(chain);
            });

            it("walks the addresses of the spec's connections (the walk is not vacuous)", () => {
                expect(result.walked).to.include.members([
                    "worker GATEWAY_URL",
                    "worker LLM_PROXY_URL",
                    "worker DATABASE_URL",
                    "worker REDIS_URL",
                    "gateway DATABASE_URL",
                    "gateway REDIS_URL",
                    "llm-proxy DATABASE_URL",
                ]);
            });

            it("finds an egress rule on the caller and an ingress rule on the target for each", () => {
                expect(result.missing).to.deep.equal([]);
            });

            it("never sends one service's calls to another through a public load balancer", () => {
                expect(result.hairpins).to.deep.equal([]);
            });
        });
    }

    it("the URLs a service only advertises are the system's own public URLs", async () => {
        const chain = await runChain("prod");
        const urls = Object.values(chain.services.outputs["serviceUrls"] as Record<string, string>);
        for (const td of chain.services.ofType("aws:ecs/taskDefinition:TaskDefinition")) {
            const spec = SERVICES.find((s) => `${s.name}-task` === td.name);
            const env = (JSON.parse(String(td.inputs["containerDefinitions"])) as Container[])[0]?.environment ?? [];
            for (const variable of advertisedBy(spec?.name ?? "")) {
                expect(urls, `${spec?.name} ${variable}`).to.include(env.find((e) => e.name === variable)?.value);
            }
        }
    });
});
