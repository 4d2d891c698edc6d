// The analyzer stand-in that sits in front of a Node.js policy pack, as the Go host's sdk.PolicyProxy
// does. @pulumi/policy reads the stack's organization/project/stack/config from environment variables
// at start, but the engine only says which stack it is analysing through ConfigureStack, after it has
// connected. So: print our own port, answer Handshake and ConfigureStack ourselves, start the pack with
// that configuration in its environment, then forward every call to it.

import * as grpc from "@grpc/grpc-js";
import type { Readable } from "node:stream";

import { analyzerGrpc, analyzerPb, GRPC_OPTIONS } from "./proto";

type StackConfiguration = analyzerPb.AnalyzerStackConfigureRequest;
type Client = analyzerGrpc.AnalyzerClient;
type Callback<Res> = (err: grpc.ServiceError | null, res: Res) => void;

/** A value that arrives later; the first settlement wins, as with Go's promise.CompletionSource. */
class Later<T> {
    readonly promise: Promise<T>;
    private settle!: { resolve: (v: T) => void; reject: (e: Error) => void };
    private done = false;
    constructor() {
        this.promise = new Promise<T>((resolve, reject) => (this.settle = { resolve, reject }));
        // A rejection nobody awaits yet must not crash the host.
        this.promise.catch(() => undefined);
    }
    resolve(value: T): void {
        if (this.done) return;
        this.done = true;
        this.settle.resolve(value);
    }
    reject(err: Error): void {
        if (this.done) return;
        this.done = true;
        this.settle.reject(err);
    }
}

/** The proxy: an Analyzer server on 127.0.0.1 that forwards to the pack once the pack is up. */
export class PolicyProxy {
    private readonly configuration = new Later<StackConfiguration | undefined>();
    private readonly client = new Later<Client>();

    private constructor(
        private readonly server: grpc.Server,
        readonly port: number,
    ) {}

    /** Starts the proxy's server. */
    static async start(): Promise<PolicyProxy> {
        const server = new grpc.Server(GRPC_OPTIONS);
        const port = await new Promise<number>((resolve, reject) =>
            server.bindAsync("127.0.0.1:0", grpc.ServerCredentials.createInsecure(), (err, p) =>
                err ? reject(err) : resolve(p),
            ),
        );
        const proxy = new PolicyProxy(server, port);
        server.addService(analyzerGrpc.AnalyzerService, proxy.handlers());
        return proxy;
    }

    /** Tells the engine our port (through `writeStdout`) and waits for the stack configuration. */
    awaitConfiguration(writeStdout: (text: string) => void): Promise<StackConfiguration | undefined> {
        writeStdout(`${this.port}\n`);
        return this.configuration.promise;
    }

    /**
     * Reads the pack's port from the first line of its stdout, connects, hands it the stack
     * configuration, and from then on forwards its remaining stdout to `forward`.
     */
    attach(packStdout: Readable, forward: (chunk: Buffer) => void): void {
        let head = Buffer.alloc(0);
        let attached = false;
        packStdout.on("data", (chunk: Buffer) => {
            if (attached) return forward(chunk);
            head = Buffer.concat([head, chunk]);
            const newline = head.indexOf("\n");
            if (newline < 0) return;
            attached = true;
            const port = Number.parseInt(head.subarray(0, newline).toString("utf8").trim(), 10);
            const rest = head.subarray(newline + 1);
            if (rest.length > 0) forward(rest);
            if (!Number.isInteger(port) || port <= 0) {
                this.client.reject(
                    new Error(`could not read policy pack port from ${JSON.stringify(head.toString())}`),
                );
                return;
            }
            void this.connect(port);
        });
        packStdout.once("end", () => {
            if (!attached) this.client.reject(new Error("policy pack exited before writing its port"));
        });
    }

    /** Stops the proxy's server and its connection to the pack. */
    close(): void {
        this.client.reject(new Error("policy pack proxy closed"));
        this.client.promise.then(
            (c) => c.close(),
            () => undefined,
        );
        this.server.forceShutdown();
    }

    private async connect(port: number): Promise<void> {
        const client = new analyzerGrpc.AnalyzerClient(
            `127.0.0.1:${port}`,
            grpc.credentials.createInsecure(),
            GRPC_OPTIONS,
        );
        const configuration = await this.configuration.promise;
        if (configuration) {
            const err = await new Promise<grpc.ServiceError | null>((resolve) =>
                client.configureStack(configuration, (e) => resolve(e)),
            );
            // Older packs do not implement ConfigureStack; that is fine, as in Go.
            if (err && err.code !== grpc.status.UNIMPLEMENTED) {
                this.client.reject(new Error(`policy pack configuration failed: ${err.message}`));
                return;
            }
        }
        this.client.resolve(client);
    }

    /** Every other call waits for the pack and forwards; a call before ConfigureStack means "no configuration". */
    private forward<Req, Res>(
        send: (client: Client, req: Req, cb: Callback<Res>) => void,
    ): grpc.handleUnaryCall<Req, Res> {
        return (call, callback) => {
            // E.g. `pulumi policy publish` asks GetAnalyzerInfo without any stack.
            this.configuration.resolve(undefined);
            this.client.promise.then(
                (client) => send(client, call.request, (err, res) => (err ? callback(err) : callback(null, res))),
                (err: Error) =>
                    callback({ code: grpc.status.UNAVAILABLE, details: `policy pack not started: ${err.message}` }),
            );
        };
    }

    private handlers(): analyzerGrpc.IAnalyzerServer {
        return {
            handshake: (_call, callback) => callback(null, new analyzerPb.AnalyzerHandshakeResponse()),
            configureStack: (call, callback) => {
                this.configuration.resolve(call.request);
                callback(null, new analyzerPb.AnalyzerStackConfigureResponse());
            },
            analyze: this.forward((c, r, cb) => c.analyze(r, cb)),
            analyzeStack: this.forward((c, r, cb) => c.analyzeStack(r, cb)),
            remediate: this.forward((c, r, cb) => c.remediate(r, cb)),
            getAnalyzerInfo: this.forward((c, r, cb) => c.getAnalyzerInfo(r, cb)),
            getPluginInfo: this.forward((c, r, cb) => c.getPluginInfo(r, cb)),
            configure: this.forward((c, r, cb) => c.configure(r, cb)),
            cancel: this.forward((c, r, cb) => c.cancel(r, cb)),
        };
    }
}

/** The variables the Go host sets for a policy pack from the stack configuration. */
export function policyPackEnvironment(configuration: StackConfiguration | undefined): Record<string, string> {
    if (!configuration) return {};
    const env: Record<string, string> = {};
    const add = (key: string, value: string) => {
        if (value) env[key] = value;
    };
    add("PULUMI_NODEJS_ORGANIZATION", configuration.getOrganization());
    add("PULUMI_NODEJS_PROJECT", configuration.getProject());
    add("PULUMI_NODEJS_STACK", configuration.getStack());
    add("PULUMI_NODEJS_DRY_RUN", String(configuration.getDryRun()));
    const config = configuration.getConfigMap().toArray();
    // Keys stay `<namespace>:<name>` here (no `:config:` rewrite), exactly as the Go host marshals them.
    if (config.length > 0) add("PULUMI_CONFIG", JSON.stringify(Object.fromEntries(config)));
    return env;
}
