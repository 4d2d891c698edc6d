// Entry point of the simulated `awsx` resource plugin (test/engine/bin/pulumi-resource-awsx runs
// it). Like the real one it is a Node provider whose only job is `construct`: it builds the
// component from @pulumi/aws resources, which the engine creates through the simulated aws plugin.
import { readFileSync } from "node:fs";
import * as pulumi from "@pulumi/pulumi";
import { main, type Provider } from "@pulumi/pulumi/provider";
import { constructVpc } from "./vpc";

/** The @pulumi/awsx SDK version the engine asks for; the simulator answers as that version. */
function sdkVersion(): string {
    const pkg = JSON.parse(readFileSync(require.resolve("@pulumi/awsx/package.json"), "utf8")) as { version: string };
    return pkg.version;
}

const provider: Provider = {
    version: sdkVersion(),
    construct: (name: string, type: string, inputs: pulumi.Inputs, options: pulumi.ComponentResourceOptions) => {
        if (type !== "awsx:ec2:Vpc") {
            return Promise.reject(
                new Error(
                    `[simulated AWS] awsx component ${type} is not simulated; only awsx:ec2:Vpc is (add it to test/engine/awsx)`,
                ),
            );
        }
        return constructVpc(name, inputs, options);
    },
};

main(provider, process.argv.slice(2)).catch((e: unknown) => {
    console.error(`[simulated AWS] awsx provider failed to start: ${String(e)}`);
    process.exit(1);
});
