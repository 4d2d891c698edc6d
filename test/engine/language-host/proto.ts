// The generated gRPC stubs this host speaks, taken from @pulumi/pulumi (proto/), plus plain views of the
// messages the handlers read. The messages must come from the same modules the service definitions
// serialize with: the generated serializers check `instanceof` against them.

import * as analyzerGrpc from "@pulumi/pulumi/proto/analyzer_grpc_pb";
import * as analyzerPb from "@pulumi/pulumi/proto/analyzer_pb";
import * as languageGrpc from "@pulumi/pulumi/proto/language_grpc_pb";
import * as languagePb from "@pulumi/pulumi/proto/language_pb";
import * as pluginPb from "@pulumi/pulumi/proto/plugin_pb";
import * as emptyPb from "google-protobuf/google/protobuf/empty_pb";

export { analyzerGrpc, analyzerPb, emptyPb, languageGrpc, languagePb, pluginPb };

/**
 * Channel options for every server and client here: 400 MiB messages, the Go plugins' limit
 * (rpcutil.maxRPCMessageSize), instead of grpc-js's 4 MiB — AnalyzeStack carries a whole stack.
 */
export const GRPC_OPTIONS = {
    "grpc.max_receive_message_length": 400 * 1024 * 1024,
    "grpc.max_send_message_length": 400 * 1024 * 1024,
};

/** ProgramInfo as plain data: where the program is and its runtime options. */
export interface ProgramInfo {
    rootDirectory: string;
    programDirectory: string;
    entryPoint: string;
    options: Record<string, unknown>;
}

/** Reads a request's ProgramInfo; throws when the engine sent none (every current request carries one). */
export function programInfo(info: languagePb.ProgramInfo | undefined): ProgramInfo {
    if (!info)
        throw new Error("the request carries no ProgramInfo: this host needs a CLI that sends one (v3.260 does)");
    return {
        rootDirectory: info.getRootDirectory(),
        programDirectory: info.getProgramDirectory(),
        entryPoint: info.getEntryPoint(),
        options: info.getOptions()?.toJavaScript() ?? {},
    };
}
