import { expect } from "chai";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { formatPreflight, preflight } from "../../scripts/preflight";
import { PROJECT_NAMES, type Layer } from "../../shared/layers";
import { validStackConfig, writeStackFiles } from "../harness/stack-files";

const F = PROJECT_NAMES.foundation;
const D = PROJECT_NAMES.data;
const S = PROJECT_NAMES.secrets;
const V = PROJECT_NAMES.services;

type Config = Record<Layer, Record<string, unknown>>;

/** One broken stack, as a new user would write it, and what pre-flight must say about it. */
interface Case {
    title: string;
    change: (c: Config) => void;
    /** Whole files written instead of the config (for broken YAML). */
    files?: Partial<Record<Layer, string>>;
    includes: string[];
    /** Text that must not appear (a secret value, a placeholder fix). */
    excludes?: string[];
}

const SECRET = "hunter2-Very-Secret";

/** The classes of issue 15, at least three cases each. */
const CLASSES: Record<string, Case[]> = {
    "broken YAML": [
        {
            title: "an unclosed quote on a secret's line",
            change: () => undefined,
            files: { secrets: `config:\n  ${S}:deploymentProfile: cloud\n  ${S}:anthropicApiKey: "${SECRET}\n` },
            includes: [
                `stacks/secrets/Pulumi.dev.yaml:3:${`  ${S}:anthropicApiKey: `.length + 1}`,
                "close the quote",
                "skip  services",
            ],
            excludes: [SECRET, "    at "],
        },
        {
            title: "a tab used for indentation",
            change: () => undefined,
            files: { foundation: `config:\n\taws:region: us-east-1\n` },
            includes: ["stacks/foundation/Pulumi.dev.yaml:2:1", "indent with spaces", "checked as production"],
        },
        {
            title: "a key set twice",
            change: () => undefined,
            files: { data: `config:\n  ${D}:dbName: app\n  ${D}:dbName: ${SECRET}\n` },
            includes: ["stacks/data/Pulumi.dev.yaml:3:3", "remove one of the two entries"],
            excludes: [SECRET],
        },
        {
            title: "a key indented deeper than its siblings",
            change: () => undefined,
            files: { services: `config:\n  ${V}:appUrl: https://app.example.com\n    ${V}:githubAppId: "1"\n` },
            includes: ["stacks/services/Pulumi.dev.yaml:2:", "indent each key under config: by two spaces"],
        },
    ],
    typo: [
        {
            title: "dbInstanceClas",
            change: (c) => (c.data[`${D}:dbInstanceClas`] = "db.t4g.small"),
            includes: [`did you mean \`${D}:dbInstanceClass\``, `pulumi config rm ${D}:dbInstanceClas --stack dev`],
        },
        {
            title: "vpcCdir",
            change: (c) => (c.foundation[`${F}:vpcCdir`] = "10.1.0.0/16"),
            includes: [`did you mean \`${F}:vpcCidr\``, `pulumi config set ${F}:vpcCidr "$value" --stack dev`],
        },
        {
            title: "githubAppSlg",
            change: (c) => (c.services[`${V}:githubAppSlg`] = "my-app"),
            includes: [`did you mean \`${V}:githubAppSlug\``],
        },
        {
            title: "a key of no layer",
            change: (c) => (c.data[`${D}:frobnicateEverything`] = "true"),
            includes: ["is not a key of any layer", `pulumi config rm ${D}:frobnicateEverything --stack dev`],
        },
    ],
    "misplaced key": [
        {
            title: "a foundation key, misspelt, in the data file",
            change: (c) => (c.data[`${D}:flowLogEnabled`] = "true"),
            includes: [
                `\`${F}:flowLogsEnabled\` is a foundation key; move it to stacks/foundation/Pulumi.dev.yaml`,
                `(cd ../foundation && pulumi config set ${F}:flowLogsEnabled "$value" --stack dev)`,
            ],
        },
        {
            title: "a data key in the foundation file",
            change: (c) => (c.foundation[`${D}:dbMultiAz`] = "false"),
            includes: ["is a data key; move it to stacks/data/Pulumi.dev.yaml"],
        },
        {
            title: "a services key under the secrets namespace, in the secrets file",
            change: (c) => (c.secrets[`${S}:appUrl`] = "https://app.example.com"),
            includes: [`\`${V}:appUrl\` is a services key`, "stacks/services/Pulumi.dev.yaml"],
        },
        {
            title: "a secret moved without showing it",
            change: (c) => (c.services[`${V}:dbPassword`] = { secure: "v1:AAAA" }),
            includes: ["is a data key", `pulumi config set --secret ${D}:dbPassword "$value" --stack dev`],
        },
    ],
    "fake region": [
        {
            title: "eu-middle-1",
            change: (c) => (c.foundation["aws:region"] = "eu-middle-1"),
            includes: ['"eu-middle-1" is not an AWS region', "pulumi config set aws:region eu-central-1 --stack dev"],
        },
        {
            title: "us-east-7",
            change: (c) => (c.foundation["aws:region"] = "us-east-7"),
            includes: ["did you mean us-east-1?", "pulumi config set aws:region us-east-1 --stack dev"],
        },
        {
            title: "us-est-1",
            change: (c) => (c.foundation["aws:region"] = "us-est-1"),
            includes: ["did you mean us-east-1?"],
        },
        {
            title: "ap-southeast-9",
            change: (c) => (c.foundation["aws:region"] = "ap-southeast-9"),
            includes: ['"ap-southeast-9" is not an AWS region'],
        },
    ],
    "foreign-region ARN": [
        {
            title: "a KMS key in another region",
            change: (c) => (c.secrets[`${S}:kmsKeyArn`] = "arn:aws:kms:us-west-2:123456789012:key/abc"),
            includes: ["region us-west-2 (the stack's is us-east-1)", "arn:aws:kms:us-east-1:123456789012:key/abc"],
        },
        {
            title: "a certificate of another partition",
            change: (c) => (c.services[`${V}:certificateArn`] = "arn:aws-cn:acm:cn-north-1:123456789012:certificate/x"),
            includes: ["partition aws-cn (the stack's is aws)", "region cn-north-1"],
        },
        {
            title: "a KMS key of an account the stack does not allow",
            change: (c) => {
                c.foundation["aws:allowedAccountIds"] = '["111111111111"]';
                c.secrets[`${S}:kmsKeyArn`] = "arn:aws:kms:us-east-1:222222222222:key/abc";
            },
            includes: ["account 222222222222 (aws:allowedAccountIds allows 111111111111)"],
        },
    ],
    "plaintext secret": [
        {
            title: "a data secret in clear",
            change: (c) => (c.data[`${D}:redisAuthToken`] = SECRET),
            includes: [`pulumi config set --secret ${D}:redisAuthToken "$(pulumi config get ${D}:redisAuthToken`],
            excludes: [SECRET],
        },
        {
            title: "a password of digits, written as a YAML number",
            change: (c) => (c.data[`${D}:dbPassword`] = 1234567890123),
            includes: [`${D}:dbPassword: is a secret but is stored in clear text`],
            excludes: ["1234567890123"],
        },
        {
            title: "an API key in clear",
            change: (c) => (c.secrets[`${S}:anthropicApiKey`] = SECRET),
            includes: ["stored in clear text", "--secret"],
            excludes: [SECRET],
        },
        {
            title: "a generator the shell never ran",
            change: (c) => (c.data[`${D}:dbPassword`] = "$(openssl rand -hex 24)"),
            includes: ["unexpanded command substitution", `${D}:dbPassword "$(openssl rand -hex 24)" --stack dev`],
        },
        {
            title: "backquotes in a plain key",
            change: (c) => (c.services[`${V}:githubAppSlug`] = "`whoami`"),
            includes: ["unexpanded command substitution"],
        },
    ],
    "wrong fix text": [
        {
            title: "a generated key is double-quoted so bash expands it",
            change: (c) => delete c.secrets[`${S}:llmProxyMasterKey`],
            includes: [`pulumi config set --secret ${S}:llmProxyMasterKey "sk-$(openssl rand -hex 24)" --stack dev`],
            excludes: ["'sk-$("],
        },
        {
            title: "a key the user chooses is a quoted example, never <...>",
            change: (c) => delete c.secrets[`${S}:anthropicApiKey`],
            includes: [`${S}:anthropicApiKey 'sk-ant-api03-your-anthropic-key' --stack dev`],
            excludes: ["<your"],
        },
        {
            title: "an enum is corrected to its right spelling",
            change: (c) => (c.foundation[`${F}:environmentClass`] = "prodution"),
            includes: [`pulumi config set ${F}:environmentClass production --stack dev`],
        },
        {
            title: "a range error suggests the bound it crossed",
            change: (c) => (c.data[`${D}:dbBackupRetentionDays`] = "90"),
            includes: [`pulumi config set ${D}:dbBackupRetentionDays 35 --stack dev`],
        },
    ],
};

describe("pre-flight: broken stack files, as a new user writes them", () => {
    let root: string;
    beforeEach(() => (root = mkdtempSync(join(tmpdir(), "preflight-classes-"))));
    afterEach(() => rmSync(root, { recursive: true, force: true }));

    for (const [cls, cases] of Object.entries(CLASSES)) {
        describe(cls, () => {
            for (const c of cases) {
                it(c.title, () => {
                    const config = validStackConfig("dev");
                    c.change(config);
                    writeStackFiles(root, "dev", config);
                    for (const [layer, text] of Object.entries(c.files ?? {})) {
                        writeFileSync(join(root, "stacks", layer, "Pulumi.dev.yaml"), text);
                    }
                    const result = preflight(root, "dev");
                    const report = formatPreflight("dev", result);
                    expect(result.ok, report).to.be.false;
                    for (const text of c.includes) expect(report).to.include(text);
                    for (const text of c.excludes ?? []) expect(report).not.to.include(text);
                    // Every layer is still reported, and each problem once.
                    for (const layer of ["foundation", "data", "secrets", "services"]) expect(report).to.include(layer);
                    const problems = result.layers.flatMap((l) => l.issues.map((i) => `${i.key}|${i.problem}`));
                    expect(new Set(problems).size).to.equal(problems.length);
                });
            }
        });
    }

    it("keeps other namespaces' keys (aws:, pulumi:, a namespace of no layer) working", () => {
        const config = validStackConfig("dev");
        config.data["aws:profile"] = "work";
        config.services["pulumi:tags"] = { team: "platform" };
        config.secrets["acme:anything"] = "x";
        config.foundation["aws:allowedAccountIds"] = '["123456789012"]';
        config.secrets[`${S}:kmsKeyArn`] = "arn:aws:kms:us-east-1:123456789012:key/abc";
        writeStackFiles(root, "dev", config);
        const result = preflight(root, "dev");
        expect(result.ok, formatPreflight("dev", result)).to.be.true;
    });

    it("never suggests a <...> value nor a pulumi command without the stack", () => {
        const config = validStackConfig("prod");
        for (const layer of Object.keys(config) as Layer[]) {
            for (const key of Object.keys(config[layer])) if (!key.startsWith("aws:")) delete config[layer][key];
        }
        writeStackFiles(root, "dev", config);
        const fixes = preflight(root, "dev").layers.flatMap((l) => l.issues.map((i) => i.fix));
        expect(fixes.length).to.be.greaterThan(3);
        for (const fix of fixes) {
            expect(fix).not.to.match(/<[^>]*>/);
            if (fix.includes("pulumi config")) expect(fix).to.include("--stack dev");
        }
    });
});
