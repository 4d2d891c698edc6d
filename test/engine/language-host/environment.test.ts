import { expect } from "chai";

import { configJson, environmentFromList, parseConfigKey, runEnvironment } from "./environment";
import { parseNodeOptions } from "./options";
import { policyPackEnvironment } from "./policy-proxy";
import { analyzerPb } from "./proto";

describe("language host: program environment", () => {
    it("rewrites config keys to the legacy <namespace>:config:<name> form cmd/run's SDK reads", () => {
        const config = new Map([
            ["aws:region", "us-east-1"],
            ["proliferate-foundation:environmentClass", "development"],
            ["legacy:config:kept", "1"],
        ]);
        expect(JSON.parse(configJson(config))).to.deep.equal({
            "aws:config:region": "us-east-1",
            "proliferate-foundation:config:environmentClass": "development",
            "legacy:config:kept": "1",
        });
    });

    it("rejects a key that is not <namespace>:<name>, as config.ParseKey does", () => {
        expect(() => parseConfigKey("nocolon")).to.throw(
            "configuration keys should be of the form `<namespace>:<name>`",
        );
        expect(() => parseConfigKey("a:b:c")).to.throw("could not parse a:b:c");
        expect(parseConfigKey("aws:region")).to.deep.equal({ namespace: "aws", name: "region" });
    });

    it("adds config, secret keys and the TypeScript switches to the host's environment", () => {
        const env = runEnvironment(
            { PATH: "/bin" },
            new Map([["p:token", "s"]]),
            ["p:token"],
            parseNodeOptions({ tsconfig: "t.json" }),
        );
        expect(env).to.deep.equal({
            PATH: "/bin",
            PULUMI_CONFIG: '{"p:config:token":"s"}',
            PULUMI_CONFIG_SECRET_KEYS: '["p:token"]',
            PULUMI_NODEJS_TYPESCRIPT: "true",
            PULUMI_NODEJS_TSCONFIG_PATH: "t.json",
        });
        const plain = runEnvironment({}, new Map(), [], parseNodeOptions({ typescript: false }));
        expect(plain).not.to.have.property("PULUMI_NODEJS_TYPESCRIPT");
        expect(plain["PULUMI_CONFIG_SECRET_KEYS"]).to.equal("[]");
    });

    it("reads the engine's KEY=value list for plugins, values with '=' intact", () => {
        expect(environmentFromList(["A=1", "B=x=y", "junk", "A=2"])).to.deep.equal({ A: "2", B: "x=y" });
    });
});

describe("language host: policy pack environment from ConfigureStack", () => {
    it("sets organization, project, stack, dry-run and config (keys unchanged)", () => {
        const request = new analyzerPb.AnalyzerStackConfigureRequest()
            .setOrganization("organization")
            .setProject("hello")
            .setStack("dev")
            .setDryRun(true);
        request.getConfigMap().set("hello:greeting", "hi");
        expect(policyPackEnvironment(request)).to.deep.equal({
            PULUMI_NODEJS_ORGANIZATION: "organization",
            PULUMI_NODEJS_PROJECT: "hello",
            PULUMI_NODEJS_STACK: "dev",
            PULUMI_NODEJS_DRY_RUN: "true",
            PULUMI_CONFIG: '{"hello:greeting":"hi"}',
        });
    });

    it("sets nothing when the engine sent no stack (e.g. `pulumi policy publish`)", () => {
        expect(policyPackEnvironment(undefined)).to.deep.equal({});
        expect(policyPackEnvironment(new analyzerPb.AnalyzerStackConfigureRequest())).to.deep.equal({
            PULUMI_NODEJS_DRY_RUN: "false",
        });
    });
});
