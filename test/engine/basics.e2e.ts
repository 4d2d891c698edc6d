import { expect } from "chai";
import { BASICS_PROGRAM, DATABASE_PROGRAM, PEER_PROGRAM } from "./harness/programs";
import { engineBinDir, Sandbox } from "./harness/sandbox";

// The simulated aws plugin under the real Pulumi engine: create, replace-on-change in preview,
// protect, and the AWS rules that break real deployments. Needs the engine from
// tools/pulumi-engine/build.sh and `npx tsc -p tsconfig.json`; run with
//   npx mocha --no-config --timeout 600000 dist/test/engine/basics.e2e.js

interface PreviewStep {
    op: string;
    urn: string;
    replaceReasons?: string[];
    diffReasons?: string[];
}

function stepFor(steps: PreviewStep[], type: string): PreviewStep | undefined {
    return steps.find((s) => s.urn.includes(`::${type}::`) || s.urn.includes(`$${type}::`));
}

describe("simulated AWS on the real engine: secrets, security groups, protection", function () {
    this.timeout(900_000);
    let box: Sandbox;
    let basics: string;

    before(function () {
        const bin = engineBinDir();
        if (!bin) {
            console.log("    (no Pulumi engine: run tools/pulumi-engine/build.sh or set PULUMI_ENGINE_BIN)");
            this.skip();
        }
        box = new Sandbox(bin);
        basics = box.project("basics", BASICS_PROGRAM);
        box.ok(basics, ["stack", "init", "dev"]);
        box.ok(basics, ["config", "set", "aws:region", "us-east-1"]);
    });

    after(() => box?.dispose());

    it("pulumi up creates everything with AWS-shaped ids and ARNs", () => {
        box.ok(basics, ["up", "--yes", "--skip-preview"]);
        const out = JSON.parse(box.ok(basics, ["stack", "output", "--json", "--show-secrets"]).stdout) as Record<
            string,
            string
        >;
        expect(out["vpcId"]).to.match(/^vpc-0[0-9a-f]{16}$/);
        expect(out["subnetId"]).to.match(/^subnet-0[0-9a-f]{16}$/);
        expect(out["dbGroupId"]).to.match(/^sg-0[0-9a-f]{16}$/);
        expect(out["secretArn"]).to.match(
            /^arn:aws:secretsmanager:us-east-1:123456789012:secret:e2e\/app-[0-9a-f]{6}$/,
        );
        expect(out["versionId"]).to.match(/^[0-9a-f-]{36}$/);
        expect([out["region"], out["account"]]).to.deep.equal(["us-east-1", "123456789012"]);
    });

    it("pulumi preview --json shows replace for replace-on-change inputs and update otherwise", () => {
        box.ok(basics, ["config", "set", "secretValue", "v2", "--secret"]);
        box.ok(basics, ["config", "set", "dbDescription", "database (renamed)"]);
        box.ok(basics, ["config", "set", "secretDescription", "changed"]);
        const preview = JSON.parse(box.ok(basics, ["preview", "--json"]).stdout) as { steps: PreviewStep[] };
        const version = stepFor(preview.steps, "aws:secretsmanager/secretVersion:SecretVersion");
        const group = preview.steps.find(
            (s) => s.urn.endsWith("::db") && s.urn.includes("securityGroup:SecurityGroup"),
        );
        const secret = stepFor(preview.steps, "aws:secretsmanager/secret:Secret");
        expect(version?.op).to.equal("replace");
        expect(version?.replaceReasons).to.deep.equal(["secretString"]);
        expect(group?.op).to.equal("replace");
        expect(group?.replaceReasons).to.deep.equal(["description"]);
        expect(secret?.op).to.equal("update");
        for (const k of ["secretValue", "dbDescription", "secretDescription"]) box.ok(basics, ["config", "rm", k]);
    });

    it("a protected resource with a replace-on-change change fails the update", () => {
        box.ok(basics, ["config", "set", "protect", "true"]);
        box.ok(basics, ["up", "--yes", "--skip-preview"]);
        box.ok(basics, ["config", "set", "secretName", "e2e/renamed"]);
        const r = box.pulumi(basics, ["up", "--yes", "--skip-preview"]);
        expect(r.code).to.not.equal(0);
        expect(`${r.stdout}${r.stderr}`).to.match(
            /unable to replace resource "[^"]*secret:Secret::app"\s+as it is currently marked for protection/,
        );
        box.ok(basics, ["config", "rm", "secretName"]);
        box.ok(basics, ["config", "set", "protect", "false"]);
        box.ok(basics, ["up", "--yes", "--skip-preview"]);
    });

    it("a subnet outside its VPC fails at create with EC2's error", () => {
        box.ok(basics, ["config", "set", "subnetCidr", "10.99.0.0/24"]);
        const r = box.pulumi(basics, ["up", "--yes", "--skip-preview"]);
        expect(r.code).to.not.equal(0);
        expect(r.stdout).to.contain("[simulated AWS] InvalidSubnet.Range: The CIDR '10.99.0.0/24' is invalid");
        box.ok(basics, ["config", "rm", "subnetCidr"]);
        box.ok(basics, ["up", "--yes", "--skip-preview"]);
    });

    it("a security group another stack's rule references cannot be deleted (DependencyViolation)", () => {
        const peer = box.project("peer", PEER_PROGRAM);
        box.ok(peer, ["stack", "init", "dev"]);
        box.ok(peer, ["config", "set", "aws:region", "us-east-1"]);
        box.ok(peer, ["config", "set", "basicsStack", "organization/basics/dev"]);
        box.ok(peer, ["up", "--yes", "--skip-preview"]);
        const r = box.pulumi(basics, ["destroy", "--yes", "--skip-preview"]);
        expect(r.code).to.not.equal(0);
        expect(r.stdout).to.match(
            /\[simulated AWS\] DependencyViolation: resource sg-0[0-9a-f]{16} has a dependent object/,
        );
        box.ok(peer, ["destroy", "--yes", "--skip-preview"]);
    });

    it("a deleted secret's name stays reserved for its recovery window", () => {
        box.ok(basics, ["destroy", "--yes", "--skip-preview"]);
        const r = box.pulumi(basics, ["up", "--yes", "--skip-preview"]);
        expect(r.code).to.not.equal(0);
        expect(r.stdout).to.contain(
            "[simulated AWS] InvalidRequestException: You can't create this secret because a secret with this name is already scheduled for deletion.",
        );
        box.ok(basics, ["config", "set", "secretName", "e2e/app-2", "--plaintext"]);
        box.ok(basics, ["config", "set", "recoveryWindow", "0"]);
        box.ok(basics, ["up", "--yes", "--skip-preview"]);
        box.ok(basics, ["destroy", "--yes", "--skip-preview"]);
        // Window 0 is ForceDeleteWithoutRecovery: the name is free again at once.
        box.ok(basics, ["up", "--yes", "--skip-preview"]);
    });

    it("deletion protection on an RDS instance blocks destroy until it is turned off", () => {
        const db = box.project("database", DATABASE_PROGRAM);
        box.ok(db, ["stack", "init", "dev"]);
        box.ok(db, ["config", "set", "aws:region", "us-east-1"]);
        box.ok(db, ["up", "--yes", "--skip-preview"]);
        const out = JSON.parse(box.ok(db, ["stack", "output", "--json"]).stdout) as Record<string, unknown>;
        expect(out["address"]).to.match(/^e2e-postgres\.[0-9a-f]{12}\.us-east-1\.rds\.amazonaws\.com$/);
        expect(out["port"]).to.equal(5432);
        const r = box.pulumi(db, ["destroy", "--yes", "--skip-preview"]);
        expect(r.code).to.not.equal(0);
        expect(r.stdout).to.contain("[simulated AWS] InvalidParameterCombination: Cannot delete protected DB Instance");
        box.ok(db, ["config", "set", "deletionProtection", "false"]);
        box.ok(db, ["up", "--yes", "--skip-preview"]);
        box.ok(db, ["destroy", "--yes", "--skip-preview"]);
    });
});
