import { expect } from "chai";
import { readFileSync } from "node:fs";
import { emptyAccount, putResource, type Account, type StoredResource } from "./sim/account";
import { contains, overlaps, parseBlock } from "./sim/cidr";
import { diffInputs } from "./sim/diff";
import { loadReplaceTable } from "./sim/replace-table";
import {
    checkDeletionProtection,
    checkSecretNameFree,
    checkSecurityGroupDeletable,
    checkSubnetCidr,
    reserveDeletedSecretName,
    securityGroupDependents,
} from "./sim/rules";
import { T } from "./sim/types";
import { secret } from "./sim/values";
import { RESOURCE_SPECS } from "./aws/resources";
import { check } from "./aws/check";

// The simulated provider's rule logic as plain functions (no engine, no gRPC): the replace table,
// CIDR rules, name reservations, dependency and protection checks.

const table = loadReplaceTable();
const now = new Date("2026-01-01T00:00:00Z");

function stored(
    type: string,
    id: string,
    inputs: Record<string, unknown>,
    computed: Record<string, unknown> = {},
): StoredResource {
    return { type, id, region: "us-east-1", inputs, computed };
}

function account(...resources: StoredResource[]): Account {
    const acct = emptyAccount();
    resources.forEach((r) => putResource(acct, r));
    return acct;
}

describe("simulated AWS: replace-on-change table", () => {
    it("names the pulumi-aws version the SDK in node_modules asks for", () => {
        const sdk = JSON.parse(readFileSync(require.resolve("@pulumi/aws/package.json"), "utf8")) as {
            version: string;
        };
        expect(table.provider).to.equal("pulumi-aws");
        expect(table.version).to.equal(sdk.version);
    });

    it("covers exactly the resource types the simulator implements", () => {
        expect(Object.keys(table.types).sort()).to.deep.equal(Object.keys(RESOURCE_SPECS).sort());
    });

    it("replaces a secret version when its value changes (secret_string is ForceNew upstream)", () => {
        const d = diffInputs(
            table,
            T.SecretVersion,
            { secretId: "arn:s", secretString: secret("a") },
            { secretId: "arn:s", secretString: secret("b") },
        );
        expect(d).to.deep.equal({ changed: ["secretString"], replaces: ["secretString"] });
    });

    it("renames an RDS instance in place but replaces it for a new engine or username", () => {
        const old = { identifier: "db-a", engine: "postgres", username: "app", instanceClass: "db.t4g.micro" };
        expect(diffInputs(table, T.DbInstance, old, { ...old, identifier: "db-b" }).replaces).to.deep.equal([]);
        expect(
            diffInputs(table, T.DbInstance, old, { ...old, engine: "mysql", username: "root" }).replaces,
        ).to.deep.equal(["engine", "username"]);
        expect(diffInputs(table, T.DbInstance, old, { ...old, instanceClass: "db.t4g.small" })).to.deep.equal({
            changed: ["instanceClass"],
            replaces: [],
        });
    });

    it("replaces only for the nested field that is ForceNew", () => {
        const old = { s3Import: [{ bucketName: "a", ingestionRole: "r" }] };
        expect(
            diffInputs(table, T.DbInstance, old, { s3Import: [{ bucketName: "b", ingestionRole: "r" }] }).replaces,
        ).to.deep.equal(["s3Import"]);
    });

    it("treats an unknown (preview) value of a replace-on-change input as a replacement", () => {
        const d = diffInputs(
            table,
            T.Subnet,
            { cidrBlock: "10.0.0.0/24", vpcId: "vpc-1" },
            { cidrBlock: "10.0.0.0/24", vpcId: "04da6b54-80e4-46f7-96ec-b56ff0331ba9" },
        );
        expect(d.replaces).to.deep.equal(["vpcId"]);
    });

    it("keeps elasticache transit encryption an in-place update and at-rest encryption a replacement", () => {
        const old = { replicationGroupId: "r", atRestEncryptionEnabled: true, transitEncryptionEnabled: true };
        expect(
            diffInputs(table, T.ReplicationGroup, old, { ...old, transitEncryptionEnabled: false }).replaces,
        ).to.deep.equal([]);
        expect(
            diffInputs(table, T.ReplicationGroup, old, { ...old, atRestEncryptionEnabled: false }).replaces,
        ).to.deep.equal(["atRestEncryptionEnabled"]);
    });

    it("ignores the provider's own bookkeeping inputs", () => {
        expect(
            diffInputs(table, T.Secret, { name: "s", __defaults: ["name"] }, { name: "s", __defaults: [] }).changed,
        ).to.deep.equal([]);
    });
});

describe("simulated AWS: subnet CIDR rules", () => {
    it("knows containment and overlap", () => {
        expect(contains(parseBlock("10.0.0.0/16"), parseBlock("10.0.128.0/18"))).to.equal(true);
        expect(contains(parseBlock("10.0.0.0/16"), parseBlock("10.1.0.0/24"))).to.equal(false);
        expect(overlaps(parseBlock("10.0.0.0/17"), parseBlock("10.0.64.0/18"))).to.equal(true);
        expect(overlaps(parseBlock("10.0.0.0/18"), parseBlock("10.0.64.0/18"))).to.equal(false);
    });

    it("refuses a subnet outside its VPC like EC2 does", () => {
        expect(() => checkSubnetCidr("vpc-1", "10.0.0.0/16", "10.1.0.0/24", [])).to.throw(
            /\[simulated AWS\] InvalidSubnet\.Range: The CIDR '10\.1\.0\.0\/24' is invalid/,
        );
    });

    it("refuses a subnet overlapping a sibling", () => {
        expect(() => checkSubnetCidr("vpc-1", "10.0.0.0/16", "10.0.0.0/24", ["10.0.0.0/20"])).to.throw(
            /InvalidSubnet\.Conflict/,
        );
        expect(() => checkSubnetCidr("vpc-1", "10.0.0.0/16", "10.0.16.0/24", ["10.0.0.0/20"])).not.to.throw();
    });
});

describe("simulated AWS: secret name reservation", () => {
    const live = stored(
        T.Secret,
        "arn:aws:secretsmanager:us-east-1:123456789012:secret:app-AbCdEf",
        { name: "app" },
        { name: "app" },
    );

    it("refuses a second live secret with the same name", () => {
        expect(() => checkSecretNameFree(account(live), "app", "us-east-1", now)).to.throw(/ResourceExistsException/);
    });

    it("reserves a deleted secret's name for the default 30-day recovery window", () => {
        const acct = emptyAccount();
        reserveDeletedSecretName(acct, live, now);
        expect(() => checkSecretNameFree(acct, "app", "us-east-1", now)).to.throw(
            "[simulated AWS] InvalidRequestException: You can't create this secret because a secret with this name is already scheduled for deletion.",
        );
        expect(() =>
            checkSecretNameFree(acct, "app", "us-east-1", new Date(now.getTime() + 31 * 86_400_000)),
        ).not.to.throw();
        expect(() => checkSecretNameFree(acct, "app", "eu-west-1", now)).not.to.throw();
    });

    it("frees the name at once for recoveryWindowInDays = 0 (force delete without recovery)", () => {
        const acct = emptyAccount();
        reserveDeletedSecretName(acct, { ...live, inputs: { name: "app", recoveryWindowInDays: 0 } }, now);
        expect(() => checkSecretNameFree(acct, "app", "us-east-1", now)).not.to.throw();
    });
});

describe("simulated AWS: dependencies and deletion protection", () => {
    const groupA = stored(T.SecurityGroup, "sg-a", { vpcId: "vpc-1" });
    const groupB = stored(T.SecurityGroup, "sg-b", { vpcId: "vpc-1" });

    it("refuses to delete a group another group's rule references", () => {
        const rule = stored(T.IngressRule, "sgr-1", { securityGroupId: "sg-b", referencedSecurityGroupId: "sg-a" });
        expect(() => checkSecurityGroupDeletable(account(groupA, groupB, rule), "sg-a")).to.throw(
            /\[simulated AWS\] DependencyViolation: resource sg-a has a dependent object/,
        );
        expect(securityGroupDependents(account(groupA, groupB, rule), "sg-b")).to.deep.equal([]);
    });

    it("ignores a group's rule that references the group itself", () => {
        const self = stored(T.IngressRule, "sgr-2", { securityGroupId: "sg-a", referencedSecurityGroupId: "sg-a" });
        expect(securityGroupDependents(account(groupA, self), "sg-a")).to.deep.equal([]);
    });

    it("counts ENI holders and inline rules as dependents", () => {
        const db = stored(T.DbInstance, "db-1", { vpcSecurityGroupIds: ["sg-a"] });
        const svc = stored(T.EcsService, "arn:svc", {
            networkConfiguration: { securityGroups: ["sg-a"], subnets: [] },
        });
        const inline = stored(T.SecurityGroup, "sg-c", { ingress: [{ securityGroups: ["sg-a"] }] });
        expect(securityGroupDependents(account(groupA, db, svc, inline), "sg-a")).to.have.length(3);
    });

    it("refuses to delete a protected database or load balancer", () => {
        expect(() => checkDeletionProtection(stored(T.DbInstance, "db-1", { deletionProtection: true }))).to.throw(
            /Cannot delete protected DB Instance/,
        );
        expect(() =>
            checkDeletionProtection(stored(T.LoadBalancer, "arn:lb", { enableDeletionProtection: true })),
        ).to.throw(/deletion protection is enabled/);
        expect(() =>
            checkDeletionProtection(stored(T.DbInstance, "db-1", { deletionProtection: false })),
        ).not.to.throw();
    });
});

describe("simulated AWS: check", () => {
    const urn = "urn:pulumi:dev::proj::aws:secretsmanager/secret:Secret::app-secret";

    it("autonames like the bridge and keeps the name on later checks", () => {
        const first = check(urn, {}, {}, new Uint8Array([1, 2, 3]));
        expect(first.inputs["name"]).to.match(/^app-secret-[0-9a-f]{7}$/);
        expect(check(urn, first.inputs, {}, new Uint8Array([9])).inputs["name"]).to.equal(first.inputs["name"]);
    });

    it("fails a type the simulator does not implement", () => {
        const result = check("urn:pulumi:dev::proj::aws:s3/bucketV2:BucketV2::b", {}, {}, new Uint8Array());
        expect(result.failures[0]?.reason).to.match(
            /\[simulated AWS\] resource type aws:s3\/bucketV2:BucketV2 is not simulated/,
        );
    });
});
