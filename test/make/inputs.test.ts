/**
 * What users pass to make: variables that never reach a shell, FLAGS that cannot retarget, image tags
 * checked before anything is written, programs that always match their sources, and an interrupted
 * run that leaves no pulumi behind. Run through make in a fresh copy, against the stand-in pulumi.
 */
import { expect } from "chai";
import { appendFileSync, existsSync, readFileSync, readdirSync, rmSync } from "node:fs";
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { LAYERS } from "../../shared/layers";
import { validStackConfig, writeStackFiles } from "../harness/stack-files";
import { freshCopyPerSuite, layersOf, RepoCopy, touched, verbCalls } from "./make-harness";

describe("make variables and FLAGS, through make", function () {
    this.timeout(120_000);
    let repo: RepoCopy;
    freshCopyPerSuite((r) => (repo = r));

    const noFileCreated = (name: string) => {
        const places = [repo.path(name), repo.path("stacks", "data", name)];
        const created = places.filter((p) => existsSync(p));
        for (const p of created) rmSync(p);
        expect(created, `${name} was created`).to.deep.equal([]);
    };

    it("a STACK holding shell or make syntax creates nothing and is refused with a clear error", async () => {
        for (const stack of [
            "dev$(touch pwned)",
            "dev`touch pwned`",
            "dev;touch pwned",
            "dev$(shell touch pwned)",
            "a/b/c",
            "",
        ]) {
            const run = await repo.make(["preview-all", `STACK=${stack}`]);
            expect(run.status, `STACK=${stack}: ${run.out}`).to.equal(2);
            expect(run.out).to.match(/STACK ".*" (is not a stack name|names a project)/);
            expect(run.calls, `STACK=${stack}`).to.be.empty;
            noFileCreated("pwned");
        }
    });

    it("an organisation-qualified STACK is accepted and reaches every pulumi call whole", async () => {
        writeStackFiles(repo.root, "dev", validStackConfig("dev"));
        const run = await repo.make(["preview-all", "STACK=acme/dev"]);
        expect(run.status, run.out).to.equal(0);
        expect(
            verbCalls(run.calls, "preview").every((c) => c.args.slice(0, 3).join(" ") === "preview --stack acme/dev"),
        ).to.be.true;
    });

    it("a pattern target's layer holding shell syntax creates nothing", async () => {
        const run = await repo.make(["up-data$(touch pwned)"]);
        expect(run.status).to.equal(2);
        expect(run.out).to.include('layer "data$(touch pwned)" is unknown');
        expect(run.calls).to.be.empty;
        noFileCreated("pwned");
    });

    it("FLAGS pass quoted arguments intact and never expand anything", async () => {
        const run = await repo.make(["up-foundation", `FLAGS=--yes --message "fix the NAT" --target 'urn:a b'`]);
        expect(run.status, run.out).to.equal(0);
        const up = verbCalls(run.calls, "up")[0]?.args ?? [];
        expect(up).to.include("fix the NAT").and.include("urn:a b");
        for (const flags of [
            "--yes $(touch pwned)",
            "--yes `touch pwned`",
            "--yes; touch pwned",
            "--yes | tee pwned",
        ]) {
            const refused = await repo.make(["up-foundation", `FLAGS=${flags}`]);
            expect(refused.status, flags).to.equal(2);
            expect(refused.out).to.include("never to a shell");
            expect(refused.calls).to.be.empty;
            noFileCreated("pwned");
        }
    });

    it("FLAGS cannot retarget the stack, folder, config file or secrets provider", async () => {
        const retargeting = [
            "--stack prod",
            "--stack=prod",
            "-s prod",
            "-ys prod",
            "--cwd ../data",
            "-C ../data",
            "--config-file /tmp/x.yaml",
            "--secrets-provider passphrase",
            "--policy-pack /tmp",
        ];
        for (const flags of retargeting) {
            const run = await repo.make(["up-foundation", `FLAGS=--yes ${flags}`]);
            expect(run.status, flags).to.equal(2);
            expect(run.out, flags).to.include("FLAGS may not contain").and.include("Instead,");
            expect(run.calls, flags).to.be.empty;
        }
        // -m takes a value: "-msetup" is a message, not -s.
        const message = await repo.make(["up-foundation", "FLAGS=--yes -msetup"]);
        expect(message.status, message.out).to.equal(0);
    });

    it("no FLAGS value gets a development STACK's destroy onto a production stack, or past the production guard", async () => {
        const aimed = await repo.make(["destroy-all", "STACK=dev", "FLAGS=--yes --stack prod"]);
        expect(aimed.status).to.equal(2);
        expect(verbCalls(aimed.calls, "destroy")).to.be.empty;
        const guarded = await repo.make(["destroy-all", "STACK=prod", "FLAGS=--yes --skip-preview"]);
        expect(guarded.status).to.equal(2);
        expect(guarded.out).to.include("CONFIRM=prod");
        expect(verbCalls(guarded.calls, "destroy")).to.be.empty;
    });

    it("IMAGE_TAG is checked before anything is written: Docker's tag grammar, and no latest in production", async () => {
        const file = repo.path("stacks", "services", "Pulumi.prod.yaml");
        const before = readFileSync(file, "utf8");
        for (const tag of ["-bad", "has space", "a".repeat(129), "tag$(touch pwned)", "v1/evil"]) {
            const run = await repo.make(["deploy-services", "STACK=prod", `IMAGE_TAG=${tag}`, "FLAGS=--yes"]);
            expect(run.status, tag).to.equal(2);
            expect(run.out, tag).to.include("is not a Docker tag");
            expect(run.calls, tag).to.be.empty;
        }
        const latest = await repo.make(["deploy-services", "STACK=prod", "IMAGE_TAG=latest", "FLAGS=--yes"]);
        expect(latest.status).to.equal(2);
        expect(latest.out).to.include('IMAGE_TAG "latest" is refused for the production-like stack "prod"');
        expect(latest.calls.filter((c) => c.args[0] === "config")).to.be.empty;
        expect(readFileSync(file, "utf8")).to.equal(before);
        noFileCreated("pwned");
        const missing = await repo.make(["deploy-services", "STACK=prod"]);
        expect(missing.status).to.equal(2);
        expect(missing.out).to.include(
            "deploy-services needs the image tag: make deploy-services STACK=prod IMAGE_TAG=",
        );
        const devLatest = await repo.make(["deploy-services", "STACK=dev", "IMAGE_TAG=latest", "FLAGS=--yes"]);
        expect(devLatest.status, devLatest.out).to.equal(0);
    });
});

describe("programs always match their sources, and builds happen only when needed", function () {
    this.timeout(120_000);
    let repo: RepoCopy;

    before(() => {
        repo = new RepoCopy();
        repo.build();
    });
    after(() => repo.remove());

    const load = (entry: string) =>
        spawnSync(process.execPath, ["-e", `const m = require(${JSON.stringify(entry)}); console.log(typeof m)`], {
            cwd: repo.root,
            encoding: "utf8",
        });

    it("every Pulumi.yaml runs main.js, which runs the layer's TypeScript as it is on disk", () => {
        for (const layer of LAYERS) {
            expect(readFileSync(repo.path("stacks", layer, "Pulumi.yaml"), "utf8")).to.match(/^main: main\.js$/m);
            const r = load(`./stacks/${layer}/main.js`);
            expect(r.status, r.stderr).to.equal(0);
            expect(r.stdout.trim()).to.equal("function");
        }
        expect(readFileSync(repo.path("policy", "PulumiPolicy.yaml"), "utf8")).to.match(/^main: main\.js$/m);
        // An edit to shared/ is what the next `pulumi up` runs: no rebuild in between.
        appendFileSync(repo.path("shared", "layers.ts"), '\nthrow new Error("edited-after-build");\n');
        const edited = load("./stacks/data/main.js");
        expect(edited.status).to.not.equal(0);
        expect(edited.stderr).to.include("edited-after-build");
    });

    it("make build is a no-op when nothing changed, and deploy targets rebuild only after an edit", async () => {
        const fresh = new RepoCopy();
        try {
            fresh.build();
            const noop = await fresh.make(["build"]);
            expect(noop.out).to.include("Nothing to be done for 'build'");
            const dry = await fresh.make(["-n", "deploy-services"]);
            expect(dry.stdout).to.not.include("npm run");
            for (const target of ["outputs", "smoke", "check-config", "drift"]) {
                appendFileSync(fresh.path("shared", "tags.ts"), "\n");
                const readOnly = await fresh.make(["-n", target]);
                expect(readOnly.stdout, target).to.not.include("npm run");
            }
            const afterEdit = await fresh.make(["-n", "deploy-services"]);
            expect(afterEdit.stdout).to.include("npm run --silent build");
        } finally {
            fresh.remove();
        }
    });
});

describe("an interrupted make deploy-all", function () {
    this.timeout(120_000);
    let repo: RepoCopy;
    freshCopyPerSuite((r) => (repo = r), ["dev"]);

    for (const signal of ["SIGINT", "SIGTERM"] as const) {
        it(`stops at the running layer on ${signal}, starts no other, and leaves no pulumi running`, async () => {
            const hanging = () =>
                readdirSync(repo.pidDir).some((f) => readFileSync(join(repo.pidDir, f), "utf8").startsWith("up"));
            const run = await repo.makeInterrupted(
                ["deploy-all", "FLAGS=--yes"],
                { FAKE_PULUMI_HANG: "up:data" },
                signal,
                hanging,
            );
            expect(
                layersOf(
                    run.calls.filter((c) => !c.interrupted),
                    "up",
                ),
            ).to.deep.equal(["foundation", "data"]);
            expect(touched(run.calls)).to.not.include("secrets").and.not.include("services");
            // The stand-in got the signal exactly once, from the runner, and cancelled.
            expect(run.calls.filter((c) => c.interrupted).map((c) => c.interrupted)).to.deep.equal([signal]);
            expect(run.out)
                .to.match(/data\s+interrupted/)
                .and.match(/secrets\s+not started/);
            expect(run.out).to.include(`Interrupted by ${signal}`);
            expect(run.out).to.not.include("smoke:");
            expect(repo.runningStandIns()).to.deep.equal([]);
            expect(run.status === null ? run.signal : run.status).to.be.oneOf([signal, 2, 130, 143]);
        });
    }
});
