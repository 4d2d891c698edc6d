import { expect } from "chai";
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";

const REPO = join(__dirname, "..", "..", "..");

interface Step {
    name?: string;
    run?: string;
    uses?: string;
}

/** The steps of the workflow's only job. */
function steps(workflow: string): Step[] {
    const doc = parse(readFileSync(join(REPO, ".github", "workflows", workflow), "utf8")) as {
        jobs: Record<string, { steps: Step[] }>;
    };
    const [job] = Object.values(doc.jobs);
    return job?.steps ?? [];
}

describe("GitHub workflows that touch state fail closed", () => {
    for (const workflow of ["deploy.yml", "preview.yml"]) {
        it(`${workflow} stops before any step when PULUMI_BACKEND_URL is unset, and runs on when it is set`, () => {
            const all = steps(workflow);
            const guard = all.findIndex((s) => s.run?.includes("PULUMI_BACKEND_URL"));
            expect(guard, "no backend guard step").to.equal(0);
            const firstMake = all.findIndex((s) => /^\s*make /m.test(s.run ?? ""));
            expect(firstMake).to.be.greaterThan(guard);
            const script = all[guard]?.run ?? "";
            const unset = spawnSync("bash", ["-e", "-c", script], {
                env: { PATH: process.env["PATH"], PULUMI_BACKEND_URL: "" },
                encoding: "utf8",
            });
            expect(unset.status).to.equal(1);
            expect(unset.stdout).to.include("::error::The repository variable PULUMI_BACKEND_URL is not set");
            const set = spawnSync("bash", ["-e", "-c", script], {
                env: { PATH: process.env["PATH"], PULUMI_BACKEND_URL: "s3://acme-state?region=us-east-1" },
                encoding: "utf8",
            });
            expect(set.status).to.equal(0);
        });
    }
});
