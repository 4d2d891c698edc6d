// Entry point of the simulated `aws` resource plugin (test/engine/bin/pulumi-resource-aws runs it).
// The engine talks to it exactly as to the real pulumi-resource-aws; every object lives in the
// simulated account file (SIMULATED_AWS_STATE), nothing leaves the machine.
import { readFileSync } from "node:fs";
import { main, type Provider } from "@pulumi/pulumi/provider";
import { create, read, remove, update } from "./crud";
import { installProviderHooks } from "./grpc-hooks";
import { invoke } from "./invokes";

/** The @pulumi/aws SDK version the engine asks for; the simulator answers as that version. */
function sdkVersion(): string {
    const pkg = JSON.parse(readFileSync(require.resolve("@pulumi/aws/package.json"), "utf8")) as { version: string };
    return pkg.version;
}

const provider: Provider = {
    version: sdkVersion(),
    create: (urn, inputs: Record<string, unknown>) => create(urn, inputs),
    read: (id, urn) => Promise.resolve(read(id, urn)),
    update: async (id, urn, _olds, news: Record<string, unknown>) => ({ outs: await update(id, urn, news) }),
    delete: (id, urn) => remove(id, urn),
    invoke: (token, inputs) => Promise.resolve(invoke(token, inputs)),
};

installProviderHooks();
main(provider, process.argv.slice(2)).catch((e: unknown) => {
    console.error(`[simulated AWS] provider failed to start: ${String(e)}`);
    process.exit(1);
});
