/**
 * `make migrate-plan` with the real Pulumi CLI (built by tools/pulumi-engine) on a file backend: the
 * monolith stack is the synthetic export imported with `pulumi stack import`, its config set with
 * real passphrase encryption. Proves what the stand-in cannot: the CLI reads `config set --secret`
 * from stdin when it is not a terminal, values arrive byte for byte (multi-line, trailing newline),
 * and the layer stacks are created and re-encrypted. No program runs, so no provider plugin is needed.
 * Skipped (as the engine's own end-to-end tests are) when no CLI was built.
 */
import { expect } from "chai";
import { spawnSync } from "node:child_process";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { LAYERS } from "../../shared/layers";
import { engineBinDir } from "../engine/harness/sandbox";
import { RepoCopy, type MakeRun } from "../make/make-harness";

const FIXTURE = join(__dirname, "..", "..", "..", "test", "migrate", "fixtures", "synthetic-export.json");
const SOURCE = "organization/proliferate-infra/dev";
const PEM = "-----BEGIN RSA PRIVATE KEY-----\nREAL-CLI-CANARY-PEM\n-----END RSA PRIVATE KEY-----\n";
const SECRETS: Record<string, string> = {
    redisAuthToken: "real-cli-canary-redis-6f1c9a2b7d3e",
    dbPassword: "real-cli-canary-db-8c2d1e9f",
    serviceAuthToken: "real-cli-canary-svc-5d7e2a91c4",
    userSecretsEncryptionKey: "real-cli-canary-usk-0b8f3e6a",
    anthropicApiKey: "real-cli-canary-anth-71c2d9e4",
    betterAuthSecret: "real-cli-canary-ba-9a4e1f7c",
    githubAppWebhookSecret: "real-cli-canary-wh-2f6b8d0e",
    billingJwtSecret: "real-cli-canary-jwt-c3a7e9f1",
    autumnApiKey: "real-cli-canary-aut-8e2c4a6b",
    resendApiKey: "real-cli-canary-res-4b9d1f3a",
    llmProxyMasterKey: "sk-real-cli-canary-litellm-0e4c",
    e2bApiKey: "real-cli-canary-e2b-6c1e8a2d",
    githubAppPrivateKey: PEM,
};
const PLAIN: Record<string, string> = {
    defaultSandboxProvider: "e2b",
    appUrl: "https://app.example.com",
    githubAppId: "123456",
    githubAppSlug: "proliferate-test",
    autumnApiUrl: "https://api.useautumn.com",
    emailFrom: "Proliferate <noreply@example.com>",
    e2bDomain: "e2b.app",
    e2bTemplate: "proliferate-sandbox",
    e2bTemplateAlias: "proliferate",
};

describe("make migrate-plan on the real Pulumi CLI (file backend)", function () {
    this.timeout(300_000);
    const bin = engineBinDir();
    let repo: RepoCopy;
    let monolith: string;
    let env: Record<string, string>;

    const pulumi = (cwd: string, args: string[], input?: string) => {
        const r = spawnSync("pulumi", args, {
            cwd,
            env: repo.env(env),
            encoding: "utf8",
            ...(input !== undefined ? { input } : {}),
        });
        if (r.status !== 0) throw new Error(`pulumi ${args.join(" ")}: ${r.stderr}`);
        return r.stdout;
    };
    const scriptExit = (run: MakeRun) =>
        run.status === 0 ? 0 : Number(/migrate-plan\] Error (\d+)/.exec(run.out)?.[1] ?? -1);

    before(function () {
        if (!bin) this.skip();
        repo = new RepoCopy();
        // The backend make resolves (BACKEND), also for the direct pulumi calls of the set-up.
        env = { PATH: `${bin}:${process.env["PATH"] ?? ""}`, PULUMI_BACKEND_URL: repo.env()["BACKEND"] ?? "" };
        mkdirSync((env["PULUMI_BACKEND_URL"] ?? "").replace(/^file:\/\//, ""), { recursive: true });
        monolith = repo.path("..", "monolith");
        mkdirSync(monolith);
        writeFileSync(join(monolith, "Pulumi.yaml"), "name: proliferate-infra\nruntime: nodejs\n");
        pulumi(monolith, ["stack", "init", SOURCE]);
        // The fixture's resources in a state of this stack's own secrets provider (import needs it to encrypt).
        const state = JSON.parse(pulumi(monolith, ["stack", "export", "--stack", SOURCE])) as {
            deployment: Record<string, unknown>;
        };
        const fixture = readFileSync(FIXTURE, "utf8").replaceAll(
            '"ciphertext": "v1:AAAAciphertextAAAA"',
            '"plaintext": "\\"state-canary-1\\""',
        );
        state.deployment["resources"] = (
            JSON.parse(fixture) as { deployment: { resources: unknown[] } }
        ).deployment.resources;
        writeFileSync(repo.path("..", "import.json"), JSON.stringify(state));
        pulumi(monolith, ["stack", "import", "--force", "--stack", SOURCE, "--file", repo.path("..", "import.json")]);
        pulumi(monolith, ["config", "set", "--stack", SOURCE, "aws:region", "us-east-1"]);
        for (const [k, v] of Object.entries(PLAIN))
            pulumi(monolith, ["config", "set", "--stack", SOURCE, "--", `proliferate-infra:${k}`, v]);
        // As a user sets them: the value on stdin (a trailing newline, as `pulumi config set` drops one).
        for (const [k, v] of Object.entries(SECRETS))
            pulumi(monolith, ["config", "set", "--secret", "--stack", SOURCE, `proliferate-infra:${k}`], `${v}\n`);
    });
    after(() => repo?.remove());

    it("creates the layer stacks, re-encrypts every secret exactly, and writes the mapping; no secret in plain text", async () => {
        const args = ["migrate-plan", `SOURCE=${SOURCE}`, "STACK=dev", `SOURCE_DIR=${monolith}`];
        const first = await repo.make(args, env);
        expect(scriptExit(first), first.out).to.equal(1);
        expect(first.out).to.include("proliferate-foundation:environmentClass");
        pulumi(repo.path("stacks", "foundation"), [
            "config",
            "set",
            "--stack",
            "dev",
            "proliferate-foundation:environmentClass",
            "development",
        ]);
        const second = await repo.make(args, env);
        expect(scriptExit(second), second.out).to.equal(0);
        const stacks = JSON.parse(pulumi(repo.path("stacks", "data"), ["stack", "ls", "--json"])) as Array<{
            name: string;
        }>;
        expect(stacks.map((s) => s.name)).to.include("dev");
        const secrets = JSON.parse(
            pulumi(repo.path("stacks", "secrets"), ["config", "--show-secrets", "--json", "--stack", "dev"]),
        ) as Record<string, { value: string; secret: boolean }>;
        expect(secrets["proliferate-secrets:githubAppPrivateKey"]).to.deep.equal({ value: PEM, secret: true });
        expect(secrets["proliferate-secrets:anthropicApiKey"]).to.deep.equal({
            value: SECRETS["anthropicApiKey"],
            secret: true,
        });
        const data = JSON.parse(
            pulumi(repo.path("stacks", "data"), ["config", "--show-secrets", "--json", "--stack", "dev"]),
        ) as Record<string, { value: string }>;
        expect(data["proliferate-data:dbPassword"]?.value).to.equal(SECRETS["dbPassword"]);
        const files = [
            readFileSync(repo.path("migration", "dev", "mapping.json"), "utf8"),
            ...LAYERS.map((l) => readFileSync(repo.path("stacks", l, "Pulumi.dev.yaml"), "utf8")),
        ];
        const seen = [first.out, second.out, ...files].join("\n");
        for (const v of [...Object.values(SECRETS), "REAL-CLI-CANARY-PEM", "state-canary-1"])
            expect(seen, "a secret leaked").not.to.include(v.trim());
        const mapping = JSON.parse(files[0] ?? "{}") as { undecided: unknown[]; source: { exportSha256: string } };
        expect(mapping.undecided).to.deep.equal([]);
        expect(mapping.source.exportSha256).to.match(/^[0-9a-f]{64}$/);
    });
});
