import * as pulumi from "@pulumi/pulumi";
import { PROJECT_NAMES } from "../layers";
import type { Contract } from "./contract";
import { defaultStackName, usingPlaceholders } from "./reader";

/**
 * A layer's own outputs from its last deploy, read through a StackReference to its own stack
 * (`<org>/<project>/<stack>`). The engine answers with the last checkpoint's outputs, before this
 * run changes them; a stack never deployed has none. The services layer keeps what it runs this way
 * instead of in a stack file that each checkout holds its own copy of.
 */
export async function readPreviousOutputs<T, K extends keyof T & string>(
    contract: Contract<T>,
    keys: readonly K[],
): Promise<Partial<Pick<T, K>>> {
    // Previewing against placeholder upstreams: the environment is new, so this layer has no outputs either.
    if (usingPlaceholders()) return {};
    const name = defaultStackName(contract.layer);
    const ref = new pulumi.StackReference(`${contract.layer}-previous`, { name });
    let details: pulumi.StackReferenceOutputDetails[];
    try {
        details = await Promise.all(keys.map((k) => ref.getOutputDetails(k)));
    } catch (err) {
        throw new pulumi.RunError(
            `${PROJECT_NAMES[contract.layer]} reads its own last outputs from stack "${name}", which could not be read: ${String(err)}`,
        );
    }
    const out: Partial<Pick<T, K>> = {};
    keys.forEach((key, i) => {
        const value: unknown = details[i]?.value;
        if (value === undefined) return;
        const parsed = contract.outputs[key].schema.safeParse(value);
        if (!parsed.success) {
            throw new pulumi.RunError(
                `${PROJECT_NAMES[contract.layer]}: its own output ${key} in stack "${name}" is not the shape its contract declares (${parsed.error.issues[0]?.message ?? "unexpected shape"}); it was deployed by other code`,
            );
        }
        out[key] = parsed.data;
    });
    return out;
}
