// Fixtures for host.test.ts: a started launcher, a client for it, and small stand-ins for
// @pulumi/pulumi's cmd/run and for a policy pack.

import * as grpc from "@grpc/grpc-js";
import { spawn, type ChildProcessWithoutNullStreams } from "node:child_process";
import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, dirname, join, resolve } from "node:path";
import { Struct } from "google-protobuf/google/protobuf/struct_pb";

import { languageGrpc, languagePb } from "./proto";

const up3 = resolve(__dirname, "..", "..", "..");
/** The repository root, whether this runs from the source tree or compiled into dist/. */
export const REPO_ROOT = basename(up3) === "dist" ? dirname(up3) : up3;

/** The launcher under test. */
export const LAUNCHER = join(REPO_ROOT, "test", "engine", "bin", "pulumi-language-nodejs");

/**
 * Stands in for cmd/run and cmd/run-plugin (via PULUMI_LANGUAGE_NODEJS_RUN_PATH): as cmd/run (it got
 * --monitor) it records its argv and environment to $FAKE_RUN_RECORD and exits with the code in config
 * `test:exit`; as a plugin it writes to both streams and exits 7.
 */
const FAKE_RUN = `
const fs = require("node:fs");
const argv = process.argv.slice(2);
if (argv.includes("--monitor")) {
    const config = JSON.parse(process.env.PULUMI_CONFIG || "{}");
    fs.writeFileSync(process.env.FAKE_RUN_RECORD, JSON.stringify({
        argv,
        config: process.env.PULUMI_CONFIG,
        secretKeys: process.env.PULUMI_CONFIG_SECRET_KEYS,
        typescript: process.env.PULUMI_NODEJS_TYPESCRIPT ?? null,
    }));
    process.exit(Number(config["test:config:exit"] || 0));
}
process.stdout.write("plugin out " + argv.join(" ") + "\\n");
process.stderr.write("plugin err\\n");
process.exitCode = 7;
`;

/** A policy pack whose policy description shows what stack the pack believed it was in. */
const PACK = `
const pulumi = require("@pulumi/pulumi");
const { PolicyPack } = require("@pulumi/policy");
new PolicyPack("env-echo", {
    policies: [{
        name: "echo",
        description: "stack=" + pulumi.getStack() + " project=" + pulumi.getProject(),
        enforcementLevel: "advisory",
        validateStack: () => undefined,
    }],
});
`;

/** A scratch directory with the fake cmd/run, a program with a node_modules, and a policy pack. */
export function scratch(): { root: string; fakeRun: string; record: string; program: string; pack: string } {
    const root = mkdtempSync(join(tmpdir(), "langhost-test-"));
    const fakeRun = join(root, "fake-run.js");
    writeFileSync(fakeRun, FAKE_RUN);
    const program = join(root, "program");
    mkdirSync(join(program, "node_modules", "@pulumi", "aws"), { recursive: true });
    writeFileSync(
        join(program, "node_modules", "@pulumi", "aws", "package.json"),
        JSON.stringify({ name: "@pulumi/aws", version: "7.48.0", pulumi: { resource: true } }),
    );
    const pack = join(root, "pack");
    mkdirSync(pack);
    writeFileSync(join(pack, "PulumiPolicy.yaml"), "runtime: nodejs\n");
    writeFileSync(join(pack, "package.json"), JSON.stringify({ name: "env-echo", version: "0.0.1", main: "index.js" }));
    writeFileSync(join(pack, "index.js"), PACK);
    symlinkSync(join(REPO_ROOT, "node_modules"), join(pack, "node_modules"), "dir");
    return { root, fakeRun, record: join(root, "record.json"), program, pack };
}

/** Starts the launcher as the CLI does (piped stdio, engine address last); resolves with its first stdout line. */
export function startHost(
    env: NodeJS.ProcessEnv,
    engineAddress: string,
): Promise<{ host: ChildProcessWithoutNullStreams; firstLine: string }> {
    // Its own process group, as the engine starts plugins, so that a test can stop everything it started.
    const host = spawn(LAUNCHER, ["--logtostderr", "-v=3", engineAddress], {
        env,
        stdio: ["pipe", "pipe", "pipe"],
        detached: true,
    });
    return new Promise((resolvePort, reject) => {
        let out = "";
        let err = "";
        host.stderr.on("data", (chunk: Buffer) => (err += chunk.toString()));
        host.stdout.on("data", (chunk: Buffer) => {
            out += chunk.toString();
            const newline = out.indexOf("\n");
            if (newline >= 0) resolvePort({ host, firstLine: out.slice(0, newline) });
        });
        host.once("exit", (code) => reject(new Error(`host exited (${code}) before printing its port: ${err}`)));
    });
}

/** What the engine does to a plugin it is done with: SIGKILL to the plugin's whole process group. */
export function killGroup(host: ChildProcessWithoutNullStreams): void {
    try {
        if (host.pid) process.kill(-host.pid, "SIGKILL");
    } catch {
        // Already gone.
    }
}

/** A LanguageRuntime client for `port`. */
export function client(port: string): languageGrpc.LanguageRuntimeClient {
    return new languageGrpc.LanguageRuntimeClient(`127.0.0.1:${port}`, grpc.credentials.createInsecure());
}

/** ProgramInfo for a program in `dir`. */
export function info(
    dir: string,
    entryPoint = ".",
    options: Record<string, unknown> = { typescript: false },
): languagePb.ProgramInfo {
    return new languagePb.ProgramInfo()
        .setRootDirectory(dir)
        .setProgramDirectory(dir)
        .setEntryPoint(entryPoint)
        .setOptions(Struct.fromJavaScript(options as Parameters<typeof Struct.fromJavaScript>[0]));
}

/** Calls a unary method as a promise. */
export function call<Res>(invoke: (cb: (err: grpc.ServiceError | null, res: Res) => void) => void): Promise<Res> {
    return new Promise((resolveCall, reject) => invoke((err, res) => (err ? reject(err) : resolveCall(res))));
}
