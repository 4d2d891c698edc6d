/**
 * `make plan` as users type it, in a fresh copy of the repository: the JSON document against its
 * schema, OUT=, bad input, and BASE= in a git repository where a commit renames an output that a
 * downstream layer reads, which must be an error naming the consumer and the safe order.
 */
import { expect } from "chai";
import { spawnSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { planDocumentSchema } from "../../scripts/plan/document-schema";
import { LAYERS } from "../../shared/layers";
import { RepoCopy } from "./make-harness";

/** Runs git in `dir` with a throwaway identity; throws with its output on failure. */
function git(dir: string, ...args: string[]): string {
    const r = spawnSync("git", ["-c", "user.name=plan test", "-c", "user.email=plan@test.invalid", ...args], {
        cwd: dir,
        encoding: "utf8",
    });
    if (r.status !== 0) throw new Error(`git ${args.join(" ")}: ${r.stdout}${r.stderr}`);
    return r.stdout.trim();
}

/** Replaces the whole word `from` by `to` in every file under `dirs` of the copy (sed, like a rename by hand). */
function renameEverywhere(root: string, from: string, to: string, dirs: string[], atLeast = 2): void {
    const files = git(root, "grep", "-l", "-w", from, "--", ...dirs)
        .split("\n")
        .filter(Boolean);
    expect(files.length, `files naming ${from}`).to.be.at.least(atLeast);
    for (const f of files) {
        const path = `${root}/${f}`;
        writeFileSync(path, readFileSync(path, "utf8").replace(new RegExp(`\\b${from}\\b`, "g"), to));
    }
}

describe("make plan through make: JSON document, OUT=, BASE= and the contract gate", function () {
    this.timeout(180_000);
    let repo: RepoCopy;
    before(() => {
        repo = new RepoCopy();
        git(repo.root, "init", "-q", "-b", "main");
        git(repo.root, "add", "-A");
        git(repo.root, "commit", "-q", "-m", "base");
    });
    after(() => repo.remove());

    it("FORMAT=json prints one document that the version-1 schema accepts, with secrets absent", async () => {
        const run = await repo.make(["plan", "STACK=dev", "FORMAT=json"]);
        expect(run.status, run.out).to.equal(0);
        const doc = planDocumentSchema.parse(JSON.parse(run.stdout));
        expect(doc.version).to.equal(1);
        expect(doc.layers.map((l) => l.layer)).to.deep.equal([...LAYERS]);
        expect(doc.commit).to.match(/^[0-9a-f]{40}$/);
        const services = doc.layers[3];
        expect(services?.reads).to.deep.include({ upstream: "foundation", output: "privateSubnetIds" });
        const secret = doc.layers.flatMap((l) => l.outputs).filter((o) => o.secret);
        expect(secret.length).to.be.greaterThan(0);
        expect(secret.every((o) => !("value" in o))).to.equal(true);
        // The examples' secrets are fake placeholders, and even those never reach the document.
        expect(run.stdout).not.to.match(/plan-fake-(dbPassword|redisAuthToken|serviceAuthToken)-0000/);
    });

    it("OUT= writes the report to a file; FORMAT and BASE values that are wrong exit 2 naming them", async () => {
        const wrote = await repo.make(["plan", "STACK=dev", "FORMAT=json", "OUT=plan.json"]);
        expect(wrote.status, wrote.out).to.equal(0);
        expect(wrote.stdout.trim()).to.equal("");
        expect(JSON.parse(readFileSync(repo.path("plan.json"), "utf8"))).to.include({ schema: "proliferate-plan" });
        const format = await repo.make(["plan", "STACK=dev", "FORMAT=yaml"]);
        expect(format.status).to.equal(2);
        expect(format.stderr).to.include("FORMAT=yaml is not a plan format");
        const base = await repo.make(["plan", "STACK=dev", "BASE=no-such-branch"]);
        expect(base.status).to.equal(2);
        expect(base.stderr).to.include("BASE=no-such-branch is not a commit in this repository; fetch it first");
    });

    it("BASE= of an unchanged commit: no resource or contract change, exit 0", async () => {
        const run = await repo.make(["plan", "STACK=dev", "BASE=HEAD"]);
        expect(run.status, run.out).to.equal(0);
        expect(run.stdout).to.match(/== changes against BASE HEAD \([0-9a-f]{12}\) ==/);
        for (const layer of LAYERS)
            expect(run.stdout).to.include(`  ${layer}: 0 added, 0 changed, 0 replaced, 0 removed`);
        expect(run.stdout).to.include("output contract: 0 change(s), 0 error(s)");
    });

    it("BASE= when a commit renames an output the data layer reads: an error naming data and the safe order", async () => {
        renameEverywhere(repo.root, "redisSecurityGroupId", "cacheSecurityGroupId", ["shared", "stacks"]);
        git(repo.root, "commit", "-q", "-am", "rename redisSecurityGroupId");
        const run = await repo.make(["plan", "STACK=dev", "BASE=main~1"]);
        expect(run.status, run.out).to.equal(2);
        expect(run.out).to.include(
            "ERROR: foundation output `redisSecurityGroupId` is renamed to `cacheSecurityGroupId`, but data reads it at BASE",
        );
        expect(run.out).to.include(
            "Safe order: 1) add `cacheSecurityGroupId` to foundation and keep `redisSecurityGroupId`, deploy foundation; 2) switch data to `cacheSecurityGroupId`, deploy data; 3) remove `redisSecurityGroupId` from foundation in a later change.",
        );
        const json = await repo.make(["plan", "STACK=dev", "BASE=main~1", "FORMAT=json"]);
        const doc = planDocumentSchema.parse(JSON.parse(json.stdout));
        expect(doc.code).to.equal(1);
        expect(doc.diff?.errors).to.equal(1);
        expect(doc.diff?.contract[0]).to.include({ layer: "foundation", change: "renamed", severity: "error" });
        expect(doc.diff?.contract[0]?.readBy).to.deep.equal(["data"]);
    });

    it("a consumer that reads an output its upstream no longer has: the program's error and no half plan, not a crash", async () => {
        // After the rename above, the data layer alone goes back to the old name.
        renameEverywhere(repo.root, "cacheSecurityGroupId", "redisSecurityGroupId", ["stacks/data"], 1);
        const run = await repo.make(["plan", "STACK=dev"]);
        expect(run.status, run.out).to.equal(2);
        expect(run.stderr).to.include(
            "the data program failed: error serializing property \"securityGroupIds\": Required output 'redisSecurityGroupId' does not exist on stack 'organization/proliferate-foundation/dev'.",
        );
        expect(run.stderr).to.include('plan: no plan for stack "dev" until every layer program runs.');
        expect(run.out).not.to.match(/== data|TOTAL|\n\s+at /);
    });
});
