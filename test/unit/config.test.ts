import { expect } from "chai";
import { inspect } from "node:util";
import { parseDataConfig } from "../../shared/config/data";
import { parseFoundationConfig } from "../../shared/config/foundation";
import { ConfigError } from "../../shared/config/issues";
import { Secret } from "../../shared/config/secret";
import { MapConfigSource } from "../../shared/config/source";

const F = "proliferate-foundation";
const D = "proliferate-data";

describe("config parsing (pure, no Pulumi engine)", () => {
    it("a Secret never prints its value", () => {
        const s = Secret.of("hunter2-very-secret");
        for (const shown of [String(s), JSON.stringify({ s }), inspect(s), s.toString()]) {
            expect(shown).not.to.include("hunter2");
        }
        expect(s.reveal()).to.equal("hunter2-very-secret");
    });

    it("derives foundation defaults from the environment class", () => {
        const base = { "aws:region": "eu-west-1" };
        const dev = parseFoundationConfig(
            new MapConfigSource({ ...base, [`${F}:environmentClass`]: "development" }, "dev"),
        );
        const prod = parseFoundationConfig(
            new MapConfigSource({ ...base, [`${F}:environmentClass`]: "production" }, "prod"),
        );
        expect([dev.natGateways, dev.flowLogsEnabled]).to.deep.equal(["single", false]);
        expect([prod.natGateways, prod.flowLogsEnabled]).to.deep.equal(["perAz", true]);
        expect(dev.env).to.deep.equal({
            app: "proliferate",
            name: "dev",
            class: "development",
            region: "eu-west-1",
            tags: {},
        });
    });

    it("uses the stack name as the environment name unless it is not a valid name", () => {
        const source = new MapConfigSource(
            { "aws:region": "eu-west-1", [`${F}:environmentClass`]: "development" },
            "Feature_Branch",
        );
        expect(() => parseFoundationConfig(source)).to.throw(ConfigError, `${F}:environment`);
    });

    it("derives data defaults from the environment class read from foundation", () => {
        const source = new MapConfigSource(
            { [`${D}:redisAuthToken`]: "a".repeat(32), [`${D}:dbPassword`]: "b".repeat(16) },
            "x",
        );
        const dev = parseDataConfig(source, "development");
        const prod = parseDataConfig(source, "production");
        expect([dev.redis.nodeCount, dev.redis.snapshotRetentionDays, dev.rds?.multiAz]).to.deep.equal([1, 1, false]);
        expect([prod.redis.nodeCount, prod.redis.snapshotRetentionDays, prod.rds?.multiAz]).to.deep.equal([2, 7, true]);
        expect(prod.redis.parameterFamily).to.equal("redis7");
    });

    it("counts an encrypted (secure:) value as present without reading it", () => {
        const source = new MapConfigSource(
            { [`${D}:redisAuthToken`]: { encrypted: true }, [`${D}:dbPassword`]: { encrypted: true } },
            "x",
        );
        const parsed = parseDataConfig(source, "development");
        expect(parsed.redis.authToken.known).to.equal(false);
    });

    it("refuses an encrypted value for a key that is not a secret", () => {
        const source = new MapConfigSource(
            { "aws:region": "eu-west-1", [`${F}:environmentClass`]: { encrypted: true } },
            "x",
        );
        expect(() => parseFoundationConfig(source)).to.throw(ConfigError, "stored encrypted but is not a secret key");
    });

    it("reports every problem of a layer in one error, with a fix per problem", () => {
        try {
            parseDataConfig(
                new MapConfigSource({ [`${D}:redisEngine`]: "memcached", [`${D}:dbAllocatedStorageGb`]: "10" }, "x"),
                "development",
            );
            expect.fail("expected a ConfigError");
        } catch (err) {
            expect(err).to.be.instanceOf(ConfigError);
            const issues = (err as ConfigError).issues;
            expect(issues.map((i) => i.key).sort()).to.deep.equal([
                `${D}:dbAllocatedStorageGb`,
                `${D}:dbPassword`,
                `${D}:redisAuthToken`,
                `${D}:redisEngine`,
            ]);
            expect(issues.every((i) => i.fix.startsWith("pulumi config "))).to.be.true;
        }
    });
});
