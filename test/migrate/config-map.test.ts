/**
 * Config translation: each monolith key to the layer whose schema has it, secret flags from the
 * schema (never downgraded), unknown keys listed with a reason, and no value in the mapping rows.
 */
import { expect } from "chai";
import { parseConfigJson, translateConfig } from "../../scripts/migrate/config-map";

const CANARY = "canary-Zq9-never-printed";

describe("migrate-plan: config translation", () => {
    const source = parseConfigJson(
        JSON.stringify({
            "aws:region": { value: "eu-west-1", secret: false },
            "aws:profile": { value: "acme-admin", secret: false },
            "proliferate-infra:dbPassword": { value: CANARY, secret: true },
            "proliferate-infra:dbInstanceClass": { value: "db.t4g.small", secret: false },
            "proliferate-infra:anthropicApiKey": { value: `${CANARY}-2`, secret: false },
            "proliferate-infra:githubAppId": { value: `${CANARY}-3`, secret: true },
            "proliferate-infra:redisReplicationEnabeld": { value: "true", secret: false },
            "proliferate-infra:workerCpu": { value: "512", secret: false },
        }),
    );
    const { config, settings } = translateConfig(source);
    const row = (from: string) => config.filter((c) => c.from === from);

    it("maps keys to the layer whose schema has them, in that layer's namespace", () => {
        expect(row("proliferate-infra:dbInstanceClass")).to.deep.include({
            from: "proliferate-infra:dbInstanceClass",
            layer: "data",
            to: "proliferate-data:dbInstanceClass",
            secret: false,
            why: "the data config schema has proliferate-data:dbInstanceClass",
        });
        expect(row("aws:region").map((c) => [c.layer, c.to])).to.deep.equal([["foundation", "aws:region"]]);
        expect(settings.foundation).to.deep.include({ key: "aws:region", value: "eu-west-1", secret: false });
    });

    it("takes the secret flag from the schema, and never turns a monolith secret into plain text", () => {
        expect(row("proliferate-infra:dbPassword")[0]).to.include({ layer: "data", secret: true });
        expect(row("proliferate-infra:anthropicApiKey")[0]).to.include({ layer: "secrets", secret: true });
        expect(row("proliferate-infra:anthropicApiKey")[0]?.why).to.include("the schema says so");
        expect(row("proliferate-infra:githubAppId")[0]).to.include({ layer: "services", secret: true });
        expect(settings.secrets).to.deep.include({
            key: "proliferate-secrets:anthropicApiKey",
            value: `${CANARY}-2`,
            secret: true,
        });
    });

    it("lists a key no layer knows with layer null and a reason (a near spelling named), never silently", () => {
        const typo = row("proliferate-infra:redisReplicationEnabeld")[0];
        expect(typo).to.include({ layer: null, to: null });
        expect(typo?.why).to.include('"redisReplicationEnabled"');
        expect(row("proliferate-infra:workerCpu")[0]).to.include({ layer: null });
        expect(row("aws:profile")[0]?.why).to.match(/no layer reads aws:profile/);
        expect(config).to.have.length(8);
    });

    it("the rows that go into the mapping file hold no value", () => {
        expect(JSON.stringify(config)).not.to.include(CANARY);
        expect(JSON.stringify(config)).not.to.include("db.t4g.small");
    });
});
