import { expect } from "chai";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { formatPreflight, main, preflight } from "../../scripts/preflight";
import { PROJECT_NAMES, type Layer } from "../../shared/layers";
import type { Profile } from "../harness/fixtures";
import { validStackConfig, writeStackFiles } from "../harness/stack-files";

const F = PROJECT_NAMES.foundation;
const D = PROJECT_NAMES.data;
const S = PROJECT_NAMES.secrets;
const V = PROJECT_NAMES.services;
const validConfig = validStackConfig;

describe("pre-flight config check (reads Pulumi.<stack>.yaml, never decrypts)", () => {
    let root: string;
    beforeEach(() => {
        root = mkdtempSync(join(tmpdir(), "preflight-"));
    });
    afterEach(() => rmSync(root, { recursive: true, force: true }));

    const write = (
        config: Partial<Record<Layer, Record<string, unknown>>>,
        extraDoc: Partial<Record<Layer, object>> = {},
    ) => writeStackFiles(root, "dev", config, extraDoc);

    for (const profile of ["dev", "prod"] as Profile[]) {
        it(`accepts the valid ${profile} configuration, counting secure: values as present`, () => {
            write(validConfig(profile));
            const result = preflight(root, "dev");
            expect(formatPreflight("dev", result)).to.include("config is valid in all 4 layers");
            expect(result.ok).to.be.true;
            expect(result.environment?.region).to.equal("us-east-1");
        });
    }

    const cases: Array<{
        title: string;
        change: (c: Record<Layer, Record<string, unknown>>) => void;
        expectKeys: string[];
    }> = [
        {
            title: "missing key",
            change: (c) => delete c.foundation["aws:region"],
            expectKeys: ["aws:region", "pulumi config set aws:region us-east-1"],
        },
        {
            title: "placeholder value",
            change: (c) => (c.services[`${V}:githubAppSlug`] = "TODO"),
            expectKeys: [`${V}:githubAppSlug`, "placeholder"],
        },
        {
            title: "conditional rule across layers (modal provider needs modal settings in services)",
            change: (c) => (c.secrets[`${S}:defaultSandboxProvider`] = "modal"),
            expectKeys: [`${S}:modalTokenId`, `${V}:modalAppName`, `${V}:e2bDomain`],
        },
        {
            title: "production rule applied to the data layer from foundation's class",
            change: (c) => (
                (c.foundation[`${F}:environmentClass`] = "production"),
                (c.data[`${D}:dbMultiAz`] = "false")
            ),
            expectKeys: [`${D}:dbMultiAz`],
        },
        {
            title: "structured YAML values are checked too",
            change: (c) => (c.foundation[`${F}:dbAllowedCidrs`] = ["0.0.0.0/0"]),
            expectKeys: [`${F}:dbAllowedCidrs`],
        },
        {
            title: "an external database (enableRds=false) that foundation opens no path to",
            change: (c) => {
                c.data[`${D}:enableRds`] = "false";
                delete c.data[`${D}:dbPassword`];
                c.data[`${D}:databaseUrlOverride`] = { secure: "v1:AAAAencryptedAAAA" };
            },
            expectKeys: [`${D}:enableRds`, `${F}:externalDatabaseCidrs`],
        },
        {
            title: "a certificate whose names do not cover the domains",
            change: (c) => {
                c.foundation[`${F}:environmentClass`] = "production";
                c.services[`${V}:certificateArn`] = "arn:aws:acm:us-east-1:123456789012:certificate/abc";
                c.services[`${V}:domains`] = '{"gateway":"api.example.com","llm-proxy":"llm.example.net"}';
                c.services[`${V}:certificateDomains`] = '["*.example.com"]';
            },
            expectKeys: [`${V}:certificateDomains`, "do not cover llm.example.net"],
        },
        {
            title: "a production stack without host names",
            change: (c) => {
                c.foundation[`${F}:environmentClass`] = "production";
                c.services[`${V}:certificateArn`] = "arn:aws:acm:us-east-1:123456789012:certificate/abc";
            },
            expectKeys: [`${V}:domains`, "gateway, llm-proxy"],
        },
        {
            title: "the retired imageTag key",
            change: (c) => (c.services[`${V}:imageTag`] = "git-3f2c1ab"),
            expectKeys: [`${V}:imageTag`, `pulumi config rm ${V}:imageTag --stack dev`],
        },
        {
            title: "a secure: value on a plain key",
            change: (c) => (c.foundation[`${F}:vpcCidr`] = { secure: "v1:xyz" }),
            expectKeys: [`${F}:vpcCidr`, "not a secret key"],
        },
    ];
    for (const c of cases) {
        it(`reports ${c.title}, with the fix`, () => {
            const config = validConfig("dev");
            c.change(config);
            write(config);
            const result = preflight(root, "dev");
            const report = formatPreflight("dev", result);
            expect(result.ok).to.be.false;
            for (const k of c.expectKeys) expect(report).to.include(k);
            expect(report).to.include("nothing was deployed");
        });
    }

    it("accepts an external database when foundation opens a path to it, without decrypting the URL", () => {
        const config = validConfig("dev");
        config.foundation[`${F}:externalDatabaseCidrs`] = '["10.200.0.0/16"]';
        config.data[`${D}:enableRds`] = "false";
        delete config.data[`${D}:dbPassword`];
        config.data[`${D}:databaseUrlOverride`] = { secure: "v1:AAAAencryptedAAAA" };
        write(config);
        expect(preflight(root, "dev").ok).to.be.true;
    });

    it("reports a layer with no stack file, with the command that creates it", () => {
        const config: Partial<Record<Layer, Record<string, unknown>>> = validConfig("dev");
        delete config.data;
        write(config);
        const report = formatPreflight("dev", preflight(root, "dev"));
        expect(report).to.include("stacks/data/Pulumi.dev.yaml").and.include("pulumi stack init dev");
    });

    it("reports every layer's problems in one run", () => {
        const config = validConfig("dev");
        delete config.foundation["aws:region"];
        delete config.data[`${D}:redisAuthToken`];
        delete config.services[`${V}:githubAppId`];
        write(config);
        const result = preflight(root, "dev");
        expect(result.layers.filter((l) => l.issues.length > 0).map((l) => l.layer)).to.deep.equal([
            "foundation",
            "data",
            "services",
        ]);
    });

    it("as `make check-config`, takes the stack from PROLIFERATE_STACK (org/ prefix allowed) and words the fix for make", () => {
        const printed: string[] = [];
        const [log, error] = [console.log, console.error];
        console.log = console.error = (...parts: unknown[]) => void printed.push(parts.join(" "));
        try {
            expect(main([], {})).to.equal(2);
            expect(main([], { PROLIFERATE_STACK: "acme/no-such-stack" })).to.equal(1);
        } finally {
            [console.log, console.error] = [log, error];
        }
        expect(printed[0]).to.include("make check-config STACK=<stack>");
        expect(printed[1])
            .to.include("stacks/foundation/Pulumi.no-such-stack.yaml")
            .and.include("make check-config STACK=no-such-stack");
    });

    it("does not block on keys a Pulumi ESC environment may provide, and says so", () => {
        const config = validConfig("dev");
        delete config.secrets[`${S}:anthropicApiKey`];
        write(config, { secrets: { environment: ["proliferate/dev"] } });
        const result = preflight(root, "dev");
        expect(result.ok).to.be.true;
        expect(formatPreflight("dev", result)).to.include("proliferate/dev").and.include(`${S}:anthropicApiKey`);
    });
});
