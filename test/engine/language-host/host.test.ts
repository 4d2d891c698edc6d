import * as grpc from "@grpc/grpc-js";
import { expect } from "chai";
import type { ChildProcessWithoutNullStreams } from "node:child_process";
import { readFileSync, rmSync } from "node:fs";
import { Empty } from "google-protobuf/google/protobuf/empty_pb";

import { call, client, info, killGroup, scratch, startHost } from "./host-fixtures";
import { hostSdkVersion } from "./locate";
import { analyzerGrpc, analyzerPb, languageGrpc, languagePb } from "./proto";
import { TRACE_FILE_VARIABLE } from "./trace";

// The substitute host started by its launcher exactly as the CLI starts it, driven over gRPC by the
// test in the engine's place (no engine needed; cmd/run is replaced by a recorder).
describe("language host: gRPC contract of the launcher", function () {
    this.timeout(30_000);
    let files: ReturnType<typeof scratch>;
    let host: ChildProcessWithoutNullStreams;
    let firstLine: string;
    let rpc: languageGrpc.LanguageRuntimeClient;

    before(async () => {
        files = scratch();
        const env: NodeJS.ProcessEnv = {
            ...process.env,
            PULUMI_LANGUAGE_NODEJS_RUN_PATH: files.fakeRun,
            FAKE_RUN_RECORD: files.record,
        };
        delete env[TRACE_FILE_VARIABLE];
        ({ host, firstLine } = await startHost(env, "127.0.0.1:1"));
        rpc = client(firstLine);
    });
    after(() => {
        rpc?.close();
        if (host) killGroup(host);
        if (files) rmSync(files.root, { recursive: true, force: true });
    });

    const run = (config: Record<string, string>, dryRun: boolean) => {
        const request = new languagePb.RunRequest()
            .setMonitorAddress("127.0.0.1:2")
            .setProject("hello")
            .setStack("dev")
            .setOrganization("organization")
            .setDryrun(dryRun)
            .setParallel(8)
            .setConfigsecretkeysList(["hello:token"])
            .setInfo(info(files.program, "index.js"));
        for (const [k, v] of Object.entries(config)) request.getConfigMap().set(k, v);
        return call<languagePb.RunResponse>((cb) => rpc.run(request, cb));
    };

    it("prints only its port as the first stdout line", () => {
        expect(firstLine).to.match(/^\d+$/);
    });

    it("reports the @pulumi/pulumi version it runs with", async () => {
        const res = await call<{ getVersion(): string }>((cb) => rpc.getPluginInfo(new Empty(), cb));
        expect(res.getVersion()).to.equal(hostSdkVersion());
    });

    it("lists the program's resource plugins, and leaves GetRequiredPlugins unimplemented like the Go host", async () => {
        const res = await call<languagePb.GetRequiredPackagesResponse>((cb) =>
            rpc.getRequiredPackages(new languagePb.GetRequiredPackagesRequest().setInfo(info(files.program)), cb),
        );
        expect(res.getPackagesList().map((p) => `${p.getKind()}:${p.getName()}@${p.getVersion()}`)).to.deep.equal([
            "resource:aws@v7.48.0",
        ]);
        const err = await call((cb) => rpc.getRequiredPlugins(new languagePb.GetRequiredPluginsRequest(), cb)).catch(
            (e: grpc.ServiceError) => e,
        );
        expect((err as grpc.ServiceError).code).to.equal(grpc.status.UNIMPLEMENTED);
    });

    it("runs cmd/run with the request's flags, config and secret keys", async () => {
        const res = await run({ "hello:token": "s3cr3t", "test:exit": "0" }, true);
        expect(res.getError()).to.equal("");
        expect(res.getBail()).to.be.false;
        const record = JSON.parse(readFileSync(files.record, "utf8")) as {
            argv: string[];
            config: string;
            secretKeys: string;
            typescript: string | null;
        };
        expect(record.argv.join(" ")).to.equal(
            `--monitor 127.0.0.1:2 --engine 127.0.0.1:1 --organization organization --project hello --root-directory ${files.program} ` +
                `--stack dev --pwd ${files.program} --dry-run --parallel 8 index.js`,
        );
        expect(JSON.parse(record.config)).to.deep.equal({ "hello:config:token": "s3cr3t", "test:config:exit": "0" });
        expect(record.secretKeys).to.equal('["hello:token"]');
        expect(record.typescript, "typescript: false in the options").to.be.null;
    });

    it("turns exit code 32 into bail, any other non-zero code into the program error", async () => {
        const bail = await run({ "test:exit": "32" }, false);
        expect([bail.getError(), bail.getBail()]).to.deep.equal(["", true]);
        const failed = await run({ "test:exit": "3" }, false);
        expect([failed.getError(), failed.getBail()]).to.deep.equal([
            "Program exited with non-zero exit code: 3",
            false,
        ]);
    });

    it("streams a plugin's stdout and stderr, then its exit code", async () => {
        const request = new languagePb.RunPluginRequest()
            .setKind("resource")
            .setPwd(files.root)
            .setArgsList(["127.0.0.1:1"])
            .setInfo(info(files.root));
        request.setEnvList(Object.entries(process.env).map(([k, v]) => `${k}=${v ?? ""}`));
        const stream = rpc.runPlugin(request);
        let stdout = "";
        let stderr = "";
        let exitCode: number | undefined;
        stream.on("data", (m: languagePb.RunPluginResponse) => {
            stdout += Buffer.from(m.getStdout()).toString();
            stderr += Buffer.from(m.getStderr()).toString();
            if (m.getOutputCase() === languagePb.RunPluginResponse.OutputCase.EXITCODE) exitCode = m.getExitcode();
        });
        await new Promise((resolve, reject) => stream.on("end", resolve).on("error", reject));
        expect(stdout).to.equal(`plugin out ${files.root} 127.0.0.1:1\n`);
        expect(stderr).to.equal("plugin err\n");
        expect(exitCode).to.equal(7);
    });

    it("starts a policy pack behind a proxy that hands it the stack from ConfigureStack", async () => {
        const request = new languagePb.RunPluginRequest()
            .setKind("analyzer")
            .setArgsList(["127.0.0.1:1"])
            .setInfo(info(files.pack, ".", {}));
        request.setEnvList(Object.entries(process.env).map(([k, v]) => `${k}=${v ?? ""}`));
        const stream = rpc.runPlugin(request);
        // Cancelling is how the engine stops a plugin; the client side sees that as a CANCELLED error.
        stream.on("error", () => undefined);
        const port = await new Promise<string>((resolve) =>
            stream.once("data", (m: languagePb.RunPluginResponse) =>
                resolve(Buffer.from(m.getStdout()).toString().trim()),
            ),
        );
        const analyzer = new analyzerGrpc.AnalyzerClient(`127.0.0.1:${port}`, grpc.credentials.createInsecure());
        try {
            await call((cb) =>
                analyzer.handshake(new analyzerPb.AnalyzerHandshakeRequest().setEngineAddress("127.0.0.1:1"), cb),
            );
            await call((cb) =>
                analyzer.configureStack(
                    new analyzerPb.AnalyzerStackConfigureRequest().setStack("dev").setProject("hello"),
                    cb,
                ),
            );
            const analyzerInfo = await call<analyzerPb.AnalyzerInfo>((cb) => analyzer.getAnalyzerInfo(new Empty(), cb));
            expect(analyzerInfo.getName()).to.equal("env-echo");
            expect(analyzerInfo.getPoliciesList().map((p) => p.getDescription())).to.deep.equal([
                "stack=dev project=hello",
            ]);
        } finally {
            analyzer.close();
            stream.cancel();
        }
    });

    it("says it installs nothing", async () => {
        const stream = rpc.installDependencies(
            new languagePb.InstallDependenciesRequest().setInfo(info(files.program)),
        );
        let out = "";
        stream.on(
            "data",
            (m: languagePb.InstallDependenciesResponse) => (out += Buffer.from(m.getStdout()).toString()),
        );
        await new Promise((resolve, reject) => stream.on("end", resolve).on("error", reject));
        expect(out).to.include("Nothing to install");
    });

    it("exits when the engine's end of its stdin closes", async () => {
        const exited = new Promise<number | null>((resolve) => host.once("exit", resolve));
        host.stdin.end();
        expect(await exited).to.equal(0);
    });
});
