import * as grpc from "@grpc/grpc-js";
import * as provproto from "@pulumi/pulumi/proto/provider_pb";
import { Struct } from "google-protobuf/google/protobuf/struct_pb";
import { diffInputs } from "../sim/diff";
import { loadReplaceTable } from "../sim/replace-table";
import { typeOfUrn } from "../sim/types";
import { compact, deepEqual, type Props } from "../sim/values";
import { check } from "./check";
import { parseProviderConfig, setProviderConfig } from "./config";

// @pulumi/pulumi/provider's server answers CheckConfig/DiffConfig with UNIMPLEMENTED, ignores
// Configure's config, and hides from Check and Diff what the bridged provider uses (the random
// seed, the old inputs). These handlers replace those five RPCs on the server `main()` starts, by
// wrapping the one gRPC call that registers it; CRUD, Invoke and Construct stay the SDK's.

type Unary<Req, Res> = (call: grpc.ServerUnaryCall<Req, Res>, callback: grpc.sendUnaryData<Res>) => void;

function fail<Res>(callback: grpc.sendUnaryData<Res>, e: unknown, code = grpc.status.UNKNOWN): void {
    const message = e instanceof Error ? e.message : String(e);
    callback({ code, details: message, message, name: "SimulatedAwsError" }, null);
}

function toStruct(v: Props): Struct {
    return Struct.fromJavaScript(compact(v) as Parameters<typeof Struct.fromJavaScript>[0]);
}

function fromStruct(s: Struct | undefined): Props {
    return s?.toJavaScript() ?? {};
}

function checkResponse(inputs: Props, failures: { property: string; reason: string }[]): provproto.CheckResponse {
    const resp = new provproto.CheckResponse();
    resp.setInputs(toStruct(inputs));
    resp.setFailuresList(
        failures.map((f) => {
            const failure = new provproto.CheckFailure();
            failure.setProperty(f.property);
            failure.setReason(f.reason);
            return failure;
        }),
    );
    return resp;
}

function diffResponse(olds: Props, news: Props, changed: string[], replaces: string[]): provproto.DiffResponse {
    const resp = new provproto.DiffResponse();
    resp.setChanges(
        changed.length > 0
            ? provproto.DiffResponse.DiffChanges.DIFF_SOME
            : provproto.DiffResponse.DiffChanges.DIFF_NONE,
    );
    resp.setReplacesList(replaces);
    resp.setDiffsList(changed);
    resp.setHasdetaileddiff(true);
    const detailed = resp.getDetaileddiffMap();
    const Kind = provproto.PropertyDiff.Kind;
    for (const key of changed) {
        const replace = replaces.includes(key);
        const kind =
            olds[key] === undefined
                ? replace
                    ? Kind.ADD_REPLACE
                    : Kind.ADD
                : news[key] === undefined
                  ? replace
                      ? Kind.DELETE_REPLACE
                      : Kind.DELETE
                  : replace
                    ? Kind.UPDATE_REPLACE
                    : Kind.UPDATE;
        const pd = new provproto.PropertyDiff();
        pd.setKind(kind);
        pd.setInputdiff(true);
        detailed.set(key, pd);
    }
    return resp;
}

const configure: Unary<provproto.ConfigureRequest, provproto.ConfigureResponse> = (call, callback) => {
    const variables = Object.fromEntries(call.request.getVariablesMap().toObject());
    const { config, problem } = parseProviderConfig(fromStruct(call.request.getArgs()), variables);
    if (!config)
        return fail(
            callback,
            new Error(`[simulated AWS] ${problem ?? "invalid provider configuration"}`),
            grpc.status.INVALID_ARGUMENT,
        );
    setProviderConfig(config);
    const resp = new provproto.ConfigureResponse();
    resp.setAcceptsecrets(true);
    // Resource references and output values are downgraded to plain ids by the engine, as for the
    // bridged provider; no preview-mode Create/Update (the simulator would create for real).
    resp.setAcceptresources(false);
    resp.setAcceptoutputs(false);
    resp.setSupportspreview(false);
    callback(null, resp);
};

const checkConfig: Unary<provproto.CheckRequest, provproto.CheckResponse> = (call, callback) => {
    const news = fromStruct(call.request.getNews());
    const { problem } = parseProviderConfig(news, {});
    callback(null, checkResponse(news, problem ? [{ property: "region", reason: `[simulated AWS] ${problem}` }] : []));
};

const diffConfig: Unary<provproto.DiffRequest, provproto.DiffResponse> = (call, callback) => {
    const olds = fromStruct(call.request.getOldInputs() ?? call.request.getOlds());
    const news = fromStruct(call.request.getNews());
    const keys = new Set([...Object.keys(olds), ...Object.keys(news)]);
    const changed = [...keys].filter((k) => k !== "version" && !deepEqual(olds[k], news[k])).sort();
    // A provider moved to another region manages different objects: everything under it is replaced.
    callback(
        null,
        diffResponse(
            olds,
            news,
            changed,
            changed.filter((k) => k === "region"),
        ),
    );
};

const checkResource: Unary<provproto.CheckRequest, provproto.CheckResponse> = (call, callback) => {
    try {
        const req = call.request;
        const result = check(
            req.getUrn(),
            fromStruct(req.getOlds()),
            fromStruct(req.getNews()),
            req.getRandomseed_asU8(),
        );
        callback(null, checkResponse(result.inputs, result.failures));
    } catch (e) {
        fail(callback, e);
    }
};

const diffResource: Unary<provproto.DiffRequest, provproto.DiffResponse> = (call, callback) => {
    try {
        const req = call.request;
        // Old inputs (not old outputs) are what the program set; the engine sends both.
        const olds = fromStruct(req.hasOldInputs() ? req.getOldInputs() : req.getOlds());
        const news = fromStruct(req.getNews());
        const { changed, replaces } = diffInputs(loadReplaceTable(), typeOfUrn(req.getUrn()), olds, news);
        callback(null, diffResponse(olds, news, changed, replaces));
    } catch (e) {
        fail(callback, e);
    }
};

const OVERRIDES: Record<string, unknown> = {
    configure,
    checkConfig,
    diffConfig,
    check: checkResource,
    diff: diffResource,
};

/** Makes every gRPC server registered from now on answer those five RPCs with the handlers above. */
export function installProviderHooks(): void {
    // eslint-disable-next-line @typescript-eslint/unbound-method -- called below with the server as `this`.
    const original = grpc.Server.prototype.addService;
    grpc.Server.prototype.addService = function (
        this: grpc.Server,
        service: grpc.ServiceDefinition,
        implementation: grpc.UntypedServiceImplementation,
    ) {
        const bound: grpc.UntypedServiceImplementation = {};
        for (const name of Object.keys(service)) {
            const handler: unknown = OVERRIDES[name] ?? implementation[name];
            // The SDK's Server keeps its handlers on the prototype; bind them so `this` stays the server.
            if (typeof handler === "function")
                bound[name] = (OVERRIDES[name] ? handler : handler.bind(implementation)) as grpc.UntypedHandleCall;
        }
        original.call(this, service, bound);
    };
}
