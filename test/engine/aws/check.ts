import { createHash, randomBytes } from "node:crypto";
import { nameOfUrn, typeOfUrn } from "../sim/types";
import { num, str, type Props } from "../sim/values";
import { specOf } from "./resources";

/** A Check answer: the inputs to use and what is wrong with them. */
export interface Checked {
    inputs: Props;
    failures: { property: string; reason: string }[];
}

/** Inputs the provider filled itself, as the bridge records them (`__defaults`). */
const DEFAULTS_KEY = "__defaults";

function autonamedBefore(olds: Props, property: string): boolean {
    const defaults = olds[DEFAULTS_KEY];
    return Array.isArray(defaults) && defaults.includes(property) && typeof olds[property] === "string";
}

/**
 * `<logical name>-<7 hex>`, the bridge's autoname. The suffix comes from the engine's random seed
 * when it sends one, so a preview and the update after it agree on the name.
 */
export function autoname(urn: string, maxLength: number, lowercase: boolean, seed: Uint8Array): string {
    const entropy =
        seed.length > 0 ? createHash("sha256").update(seed).update(urn).digest("hex") : randomBytes(4).toString("hex");
    const base = nameOfUrn(urn);
    const name = `${base.slice(0, Math.max(1, maxLength - 8))}-${entropy.slice(0, 7)}`;
    return lowercase ? name.toLowerCase() : name;
}

/**
 * Check: unknown types fail (the simulator must not pretend), autonamed properties are filled
 * (kept from the old inputs unless the engine re-checks for a replacement with no olds), and the
 * few argument rules the real provider validates before calling AWS are applied.
 */
export function check(urn: string, olds: Props, news: Props, seed: Uint8Array): Checked {
    const type = typeOfUrn(urn);
    const spec = specOf(type);
    if (!spec) {
        return {
            inputs: news,
            failures: [
                {
                    property: "",
                    reason: `[simulated AWS] resource type ${type} is not simulated; add it to test/engine/aws/resources`,
                },
            ],
        };
    }
    const inputs: Props = { ...news };
    const failures: Checked["failures"] = [];
    const auto = spec.autoname;
    if (
        auto &&
        inputs[auto.property] === undefined &&
        (auto.prefixProperty === undefined || inputs[auto.prefixProperty] === undefined)
    ) {
        inputs[auto.property] = autonamedBefore(olds, auto.property)
            ? olds[auto.property]
            : autoname(urn, auto.maxLength, auto.lowercase ?? false, seed);
        inputs[DEFAULTS_KEY] = [auto.property];
    }
    if (auto) {
        const name = str(inputs, auto.property);
        if (name !== undefined && name.length > auto.maxLength) {
            failures.push({
                property: auto.property,
                reason: `[simulated AWS] "${auto.property}" cannot be longer than ${auto.maxLength} characters: "${name}"`,
            });
        }
    }
    const window = num(inputs, "recoveryWindowInDays", 30);
    if (type === "aws:secretsmanager/secret:Secret" && window !== 0 && (window < 7 || window > 30)) {
        failures.push({
            property: "recoveryWindowInDays",
            reason: `[simulated AWS] expected recovery_window_in_days to be 0 or in the range (7 - 30), got ${window}`,
        });
    }
    return { inputs, failures };
}
