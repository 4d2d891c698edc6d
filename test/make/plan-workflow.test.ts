import { expect } from "chai";
import { spawnSync } from "node:child_process";
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parse } from "yaml";
import { RepoCopy } from "./make-harness";

/**
 * .github/workflows/plan.yml: the plan of a pull request as one comment. The job holds no secret and
 * the least permissions; its comment step updates the comment it made before, or creates one, run
 * here with a stand-in `gh` that records its calls.
 */

const REPO = join(__dirname, "..", "..", "..");
const FILE = join(REPO, ".github", "workflows", "plan.yml");

interface Step {
    name?: string;
    id?: string;
    run?: string;
    uses?: string;
    with?: Record<string, unknown>;
    env?: Record<string, string>;
}
interface Workflow {
    on: Record<string, unknown>;
    permissions: Record<string, string>;
    jobs: Record<string, { env?: Record<string, string>; steps: Step[] }>;
}

describe("the plan workflow (pull-request comment)", () => {
    const text = readFileSync(FILE, "utf8");
    const wf = parse(text) as Workflow;
    const [job] = Object.values(wf.jobs);
    const steps = job?.steps ?? [];
    const comment = steps.find((s) => s.name === "Post or update the plan comment");

    it("runs on pull requests with no secret, the least permissions and no credential left for the plan", () => {
        expect(Object.keys(wf.on)).to.deep.equal(["pull_request"]);
        expect(text).not.to.match(/secrets\./);
        expect(wf.permissions).to.deep.equal({ contents: "read", "pull-requests": "write" });
        const checkout = steps.find((s) => s.uses?.startsWith("actions/checkout@"));
        expect(checkout?.with).to.deep.equal({ "fetch-depth": 0, "persist-credentials": false });
        // The token reaches the comment step only.
        expect(steps.filter((s) => JSON.stringify(s).includes("github.token"))).to.deep.equal([comment]);
        expect(JSON.stringify(job?.env ?? {})).not.to.include("token");
    });

    it("plans against origin/<base> after npm ci, as Markdown for the comment and HTML for the artifact", () => {
        const ci = steps.findIndex((s) => s.run?.startsWith("npm ci"));
        const plan = steps.findIndex((s) => s.id === "plan");
        expect(ci).to.be.greaterThan(-1);
        expect(plan).to.be.greaterThan(ci);
        const run = steps[plan]?.run ?? "";
        expect(run).to.include('make plan STACK=dev BASE="origin/$BASE_REF" FORMAT=markdown OUT=plan.md');
        expect(run).to.include('make plan STACK=dev BASE="origin/$BASE_REF" FORMAT=html OUT=plan-report.html');
        expect(job?.env?.["BASE_REF"]).to.equal("${{ github.base_ref }}");
        const upload = steps.find((s) => s.uses?.startsWith("actions/upload-artifact@"));
        expect(upload?.with?.["path"]).to.equal("plan-report.html");
    });

    it("its plan step, run in a fresh git copy with origin/main, writes the Markdown comment and the HTML report", function () {
        this.timeout(120_000);
        const repo = new RepoCopy();
        try {
            const git = (...args: string[]) => {
                const r = spawnSync("git", ["-c", "user.name=t", "-c", "user.email=t@t.invalid", ...args], {
                    cwd: repo.root,
                    encoding: "utf8",
                });
                if (r.status !== 0) throw new Error(`git ${args.join(" ")}: ${r.stderr}`);
            };
            git("init", "-q", "-b", "topic");
            git("add", "-A");
            git("commit", "-q", "-m", "base");
            // What checkout with fetch-depth 0 leaves: the base branch as a remote-tracking ref.
            git("update-ref", "refs/remotes/origin/main", "HEAD");
            const output = repo.path("github-output");
            const step = steps.find((s) => s.id === "plan");
            const r = spawnSync("bash", ["-e", "-o", "pipefail", "-c", step?.run ?? "exit 99"], {
                cwd: repo.root,
                encoding: "utf8",
                env: repo.env({ ...(job?.env ?? {}), BASE_REF: "main", GITHUB_OUTPUT: output }),
            });
            expect(r.status, `${r.stdout}${r.stderr}`).to.equal(0);
            expect(readFileSync(output, "utf8")).to.equal("code=0\n");
            const md = readFileSync(repo.path("plan.md"), "utf8");
            expect(md).to.match(/^### ✅ `make plan` of stack <code>dev<\/code>/);
            expect(md).to.include("#### Changes against <code>origin/main</code>");
            const html = readFileSync(repo.path("plan-report.html"), "utf8");
            expect(html).to.match(/^<!DOCTYPE html>/);
            expect(html.match(/data-layer="/g)?.length).to.equal(4);
        } finally {
            repo.remove();
        }
    });

    describe("its comment step", () => {
        let dir = "";
        beforeEach(() => (dir = mkdtempSync(join(tmpdir(), "plan-comment-"))));
        afterEach(() => rmSync(dir, { recursive: true, force: true }));

        /** Runs the step in `dir` with a stand-in gh whose listing answers `existing`; returns gh's calls. */
        function post(existing: string, planMd: string | undefined) {
            if (planMd !== undefined) writeFileSync(join(dir, "plan.md"), planMd);
            const gh = join(dir, "gh");
            writeFileSync(
                gh,
                [
                    "#!/usr/bin/env bash",
                    `printf '%s\\n' "$*" >> ${dir}/calls`,
                    // A write sends the body file: keep what it sent.
                    `if [[ "$*" == *"body=@comment.md"* ]]; then cp comment.md ${dir}/sent; fi`,
                    `if [[ "$*" == *"--paginate"* ]]; then printf '%s' '${existing}'; fi`,
                ].join("\n"),
            );
            chmodSync(gh, 0o755);
            const r = spawnSync("bash", ["-e", "-o", "pipefail", "-c", comment?.run ?? "exit 99"], {
                cwd: dir,
                encoding: "utf8",
                env: { PATH: `${dir}:${process.env["PATH"] ?? ""}`, REPO: "acme/infra", PR: "7", GH_TOKEN: "t" },
            });
            const read = (f: string) => {
                try {
                    return readFileSync(join(dir, f), "utf8");
                } catch {
                    return "";
                }
            };
            return { ...r, calls: read("calls").trim().split("\n").filter(Boolean), sent: read("sent") };
        }

        it("creates the comment when the pull request has none, starting with the marker", () => {
            const r = post("", "### plan\n| a | b |\n");
            expect(r.status, r.stderr).to.equal(0);
            expect(r.calls[0]).to.match(/^api --paginate repos\/acme\/infra\/issues\/7\/comments --jq /);
            expect(r.calls[1]).to.equal("api --method POST repos/acme/infra/issues/7/comments -F body=@comment.md");
            expect(r.sent).to.equal("<!-- proliferate-plan -->\n### plan\n| a | b |\n");
        });

        it("updates the last comment it made before instead of adding one", () => {
            const r = post("111\n222\n", "### plan v2\n");
            expect(r.status, r.stderr).to.equal(0);
            expect(r.calls.slice(1)).to.deep.equal([
                "api --method PATCH repos/acme/infra/issues/comments/222 -F body=@comment.md",
            ]);
            expect(r.sent).to.include("### plan v2");
        });

        it("fails, posting nothing, when make plan wrote no Markdown", () => {
            const r = post("", undefined);
            expect(r.status).to.equal(1);
            expect(r.stdout).to.include("::error::make plan wrote no plan.md");
            expect(r.calls).to.deep.equal([]);
        });
    });
});
