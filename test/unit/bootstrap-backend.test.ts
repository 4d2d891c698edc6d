import { expect } from "chai";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const REPO = join(__dirname, "..", "..", "..");
const SCRIPT = join(REPO, "scripts", "bootstrap-backend.sh");
const FAKE_BIN = join(REPO, "test", "fixtures", "bin");

describe("bootstrap-backend with a recording fake AWS CLI", () => {
    let dir: string;
    beforeEach(() => (dir = mkdtempSync(join(tmpdir(), "bootstrap-"))));
    afterEach(() => rmSync(dir, { recursive: true, force: true }));

    function bootstrap(env: Record<string, string>) {
        const log = join(dir, "aws.log");
        const r = spawnSync("bash", [SCRIPT], { encoding: "utf8", env: { PATH: `${FAKE_BIN}:/usr/bin:/bin`, FAKE_AWS_LOG: log, ...env } });
        let calls: string[] = [];
        try {
            calls = readFileSync(log, "utf8").trim().split("\n");
        } catch {
            calls = [];
        }
        return { status: r.status, out: r.stdout + r.stderr, calls };
    }

    it("creates a KMS key with rotation and a versioned, encrypted, private, TLS-only bucket; no DynamoDB table", () => {
        const { status, calls, out } = bootstrap({ BUCKET: "acme-state", AWS_REGION: "eu-west-1" });
        expect(status, out).to.equal(0);
        const find = (prefix: string) => calls.find((c) => c.startsWith(prefix)) ?? "";
        expect(find("kms create-key")).to.not.equal("");
        expect(find("kms create-alias")).to.include("--alias-name alias/proliferate-pulumi --target-key-id key-new");
        expect(find("kms enable-key-rotation")).to.include("--key-id key-new");
        expect(find("s3api create-bucket")).to.include("LocationConstraint=eu-west-1");
        expect(find("s3api put-bucket-versioning")).to.include("Status=Enabled");
        expect(find("s3api put-bucket-encryption")).to.include('"SSEAlgorithm":"aws:kms"').and.include("key-new");
        expect(find("s3api put-public-access-block")).to.include("BlockPublicAcls=true,IgnorePublicAcls=true,BlockPublicPolicy=true,RestrictPublicBuckets=true");
        expect(find("s3api put-bucket-policy")).to.include('"aws:SecureTransport":"false"').and.include('"Effect":"Deny"');
        expect(calls.some((c) => c.startsWith("dynamodb"))).to.be.false;
        expect(out).to.include("export BACKEND='s3://acme-state?region=eu-west-1'").and.include("awskms://alias/proliferate-pulumi");
    });

    it("is idempotent: an existing key and bucket are reused, settings re-applied", () => {
        const { status, calls } = bootstrap({ BUCKET: "acme-state", FAKE_AWS_EXISTING: "1" });
        expect(status).to.equal(0);
        expect(calls.some((c) => c.startsWith("kms create-key") || c.startsWith("s3api create-bucket"))).to.be.false;
        expect(calls.find((c) => c.startsWith("kms enable-key-rotation"))).to.include("key-existing");
    });

    it("refuses to run without BUCKET, saying how to set it", () => {
        const { status, out, calls } = bootstrap({});
        expect(status).to.equal(1);
        expect(out).to.include("set BUCKET=");
        expect(calls).to.be.empty;
    });
});
