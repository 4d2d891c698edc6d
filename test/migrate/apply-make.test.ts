/**
 * make migrate-apply / migrate-rollback through make in a fresh copy of the repository (stand-in
 * pulumi): STACK reaches the scripts unexpanded and validated, the script's exit code shows in make's
 * message, and a missing mapping names the command that makes it. The moves themselves are proved on
 * the real engine by test/e2e/migrate.e2e.ts and against an in-memory engine by apply.test.ts.
 */
import { expect } from "chai";
import { existsSync } from "node:fs";
import { freshCopyPerSuite, RepoCopy } from "../make/make-harness";

describe("make migrate-apply and migrate-rollback (through make)", function () {
    this.timeout(120_000);
    let repo: RepoCopy;
    freshCopyPerSuite((r) => (repo = r));

    it("make help lists both targets", async () => {
        const run = await repo.make(["help"]);
        expect(run.stdout).to.include("  migrate-apply ").and.include("  migrate-rollback ");
    });

    for (const target of ["migrate-apply", "migrate-rollback"]) {
        it(`make ${target} refuses a STACK that is not a stack name (exit 2), never expanding it`, async () => {
            const run = await repo.make([target, "STACK=$(shell touch pwned)"]);
            expect(run.status).to.equal(2);
            expect(run.stderr).to.include(`${target}] Error 2`).and.include('STACK "$(shell touch pwned)"');
            expect(existsSync(repo.path("pwned"))).to.equal(false);
            expect(run.calls.filter((c) => c.args[0] !== "version")).to.deep.equal([]);
        });

        it(`make ${target} without a mapping names the command that makes it (exit 2), running no pulumi command`, async () => {
            const run = await repo.make([target, "STACK=dev"]);
            expect(run.status).to.equal(2);
            expect(run.stderr).to.include("migration/dev/mapping.json does not exist").and.include("make migrate-plan");
            expect(run.calls.map((c) => c.args[0]).filter((v) => v !== "version" && v !== "whoami")).to.deep.equal([]);
        });
    }
});
