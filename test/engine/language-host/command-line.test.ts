import { expect } from "chai";

import { pluginArguments, pluginModule, runArguments, type RunInputs } from "./command-line";
import { runOutcome, startFailure } from "./outcome";

const inputs: RunInputs = {
    monitorAddress: "127.0.0.1:5000",
    organization: "organization",
    project: "proliferate-foundation",
    stack: "dev",
    rootDirectory: "/repo/stacks/foundation",
    programDirectory: "/repo/stacks/foundation",
    entryPoint: "main.js",
    dryRun: true,
    parallel: 16,
    args: [],
};

describe("language host: cmd/run command line", () => {
    it("passes every RunRequest field cmd/run reads, in the Go host's order", () => {
        expect(
            runArguments(inputs, "/nm/@pulumi/pulumi/cmd/run/index.js", "127.0.0.1:4000", undefined, []),
        ).to.deep.equal([
            "/nm/@pulumi/pulumi/cmd/run/index.js",
            "--monitor",
            "127.0.0.1:5000",
            "--engine",
            "127.0.0.1:4000",
            "--organization",
            "organization",
            "--project",
            "proliferate-foundation",
            "--root-directory",
            "/repo/stacks/foundation",
            "--stack",
            "dev",
            "--pwd",
            "/repo/stacks/foundation",
            "--dry-run",
            "--parallel",
            "16",
            "main.js",
        ]);
    });

    it("puts nodeargs before the script, leaves out empty fields and --dry-run for an update, keeps --parallel 0", () => {
        const args = runArguments(
            { ...inputs, organization: "", dryRun: false, parallel: 0, args: ["x"] },
            "run.js",
            "e",
            "http://t",
            ["--inspect"],
        );
        expect(args.slice(0, 2)).to.deep.equal(["--inspect", "run.js"]);
        expect(args).not.to.include("--organization");
        expect(args).not.to.include("--dry-run");
        expect(args.join(" ")).to.include("--parallel 0 --tracing http://t main.js x");
    });
});

describe("language host: plugin command lines", () => {
    it("starts policy packs with cmd/run-policy-pack, `<engine> <pack-dir>` last", () => {
        expect(pluginModule("analyzer", "/override")).to.equal("@pulumi/pulumi/cmd/run-policy-pack");
        expect(pluginArguments("analyzer", "rpp.js", [], "/pack", ["-v=9", "127.0.0.1:4000"])).to.deep.equal([
            "rpp.js",
            "-v=9",
            "127.0.0.1:4000",
            "/pack",
        ]);
    });

    it("starts other plugins with cmd/run-plugin (or the override), the directory first", () => {
        expect(pluginModule("resource", undefined)).to.equal("@pulumi/pulumi/cmd/run-plugin");
        expect(pluginModule("resource", "/override")).to.equal("/override");
        expect(pluginArguments("resource", "rp.js", ["--n"], "/dir", ["127.0.0.1:4000"])).to.deep.equal([
            "rp.js",
            "--n",
            "/dir",
            "127.0.0.1:4000",
        ]);
    });
});

describe("language host: what a program's exit means to the engine", () => {
    it("reports success, bails quietly on 32, and names any other code", () => {
        expect(runOutcome(0, null)).to.deep.equal({ error: "", bail: false });
        expect(runOutcome(32, null)).to.deep.equal({ error: "", bail: true });
        expect(runOutcome(1, null).error).to.equal("Program exited with non-zero exit code: 1");
        expect(runOutcome(null, "SIGKILL").error).to.equal("Program exited with non-zero exit code: -1 (SIGKILL)");
        expect(startFailure(new Error("spawn node ENOENT")).error).to.equal(
            "Problem executing program (could not run language executor): spawn node ENOENT",
        );
    });
});
