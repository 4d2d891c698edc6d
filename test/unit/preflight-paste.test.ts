import { expect } from "chai";
import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { delimiter, join, resolve } from "node:path";
import { preflight } from "../../scripts/preflight";
import { PROJECT_NAMES, type Layer } from "../../shared/layers";
import { validStackConfig, writeStackFiles } from "../harness/stack-files";

const F = PROJECT_NAMES.foundation;
const D = PROJECT_NAMES.data;
const S = PROJECT_NAMES.secrets;
const V = PROJECT_NAMES.services;

/** The repository root, from test/unit (sources) or dist/test/unit (compiled). */
function repoRoot(): string {
    let dir = __dirname;
    while (!existsSync(join(dir, "package.json"))) dir = resolve(dir, "..");
    return dir;
}

type Config = Record<Layer, Record<string, unknown>>;

/** Broken stacks whose every fix is a command: pasted into bash, each must make its problem go away. */
const BROKEN: Array<{ title: string; change: (c: Config) => void }> = [
    { title: "a fake region", change: (c) => (c.foundation["aws:region"] = "eu-middle-1") },
    { title: "a misspelt region", change: (c) => (c.foundation["aws:region"] = "us-east-7") },
    {
        title: "typos and misplaced keys",
        change: (c) => {
            c.data[`${D}:dbInstanceClas`] = "db.t4g.small";
            c.data[`${D}:flowLogEnabled`] = "true";
            c.foundation[`${D}:dbMultiAz`] = "false";
            c.secrets[`${S}:appUrl`] = "https://app.example.com";
            c.services[`${V}:frobnicate`] = "x";
        },
    },
    {
        title: "foreign ARNs",
        change: (c) => {
            c.foundation["aws:allowedAccountIds"] = '["123456789012"]';
            c.secrets[`${S}:kmsKeyArn`] = "arn:aws:kms:us-west-2:210987654321:key/abc";
            c.services[`${V}:certificateArn`] = "arn:aws-cn:acm:cn-north-1:123456789012:certificate/x";
        },
    },
    {
        title: "secrets in clear and generators never run",
        change: (c) => {
            c.data[`${D}:redisAuthToken`] = "a-clear-text-redis-token";
            c.data[`${D}:dbPassword`] = "$(openssl rand -hex 24)";
            c.secrets[`${S}:llmProxyMasterKey`] = "sk-`openssl rand -hex 24`";
        },
    },
    {
        title: "keys that would be ignored",
        change: (c) => {
            c.foundation[`${F}:flowLogsRetentionDays`] = "30";
            c.data[`${D}:redisReplicaCount`] = "2";
        },
    },
    {
        title: "missing keys, a misspelt enum and a number out of range",
        change: (c) => {
            delete c.secrets[`${S}:llmProxyMasterKey`];
            delete c.secrets[`${S}:anthropicApiKey`];
            delete c.data[`${D}:redisAuthToken`];
            c.foundation[`${F}:natGateways`] = "singel";
            c.data[`${D}:dbBackupRetentionDays`] = "90";
        },
    },
];

describe("pre-flight fixes, pasted into bash", () => {
    let root: string;
    let secretsLog: string;
    const bin = join(repoRoot(), "test", "fixtures", "preflight-bin");
    beforeEach(() => {
        root = mkdtempSync(join(tmpdir(), "preflight-paste-"));
        secretsLog = join(root, "secrets.log");
    });
    afterEach(() => rmSync(root, { recursive: true, force: true }));

    for (const b of BROKEN) {
        it(`${b.title}: every fix works as pasted, and its problem is gone`, () => {
            const config = validStackConfig("dev");
            b.change(config);
            writeStackFiles(root, "dev", config);
            const before = preflight(root, "dev").layers.flatMap((l) => l.issues);
            expect(before.length).to.be.greaterThan(0);
            for (const issue of before) {
                execFileSync("bash", ["-c", issue.fix], {
                    cwd: root,
                    env: {
                        ...process.env,
                        PATH: `${bin}${delimiter}${process.env.PATH ?? ""}`,
                        PREFLIGHT_SECRETS_LOG: secretsLog,
                    },
                    stdio: ["ignore", "pipe", "pipe"],
                });
            }
            const after = preflight(root, "dev").layers.flatMap((l) => l.issues);
            for (const issue of before) {
                expect(
                    after.filter((i) => i.key === issue.key).map((i) => i.problem),
                    `${issue.key} after: ${issue.fix}`,
                ).to.deep.equal([]);
            }
            // Generated values were generated, not stored as the command's text.
            const stored = existsSync(secretsLog) ? readFileSync(secretsLog, "utf8") : "";
            expect(stored).not.to.include("$(").and.not.to.include("`");
        });
    }

    it("the stand-in stores what bash expanded: a double-quoted generator is run", () => {
        writeStackFiles(root, "dev", { data: {} });
        execFileSync("bash", ["-c", `pulumi config set --secret ${D}:x "sk-$(echo generated)" --stack dev`], {
            cwd: join(root, "stacks", "data"),
            env: {
                ...process.env,
                PATH: `${bin}${delimiter}${process.env.PATH ?? ""}`,
                PREFLIGHT_SECRETS_LOG: secretsLog,
            },
        });
        expect(readFileSync(secretsLog, "utf8")).to.include('"value":"sk-generated"');
    });
});
