import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { stringify } from "yaml";
import { LAYERS, type Layer } from "../../shared/layers";
import { dataOptions, foundationOptions, secretsOptions, servicesOptions, type Profile } from "./fixtures";

const NONE = { outputs: {}, secretOutputNames: [] };

/** The fixtures' valid config of every layer as stack-file content, secrets as encrypted `secure:` values. */
export function validStackConfig(profile: Profile): Record<Layer, Record<string, unknown>> {
    const encrypt = (o: { config: Record<string, string>; secretKeys?: string[] }) =>
        Object.fromEntries(
            Object.entries(o.config).map(([k, v]) => [
                k,
                o.secretKeys?.includes(k) ? { secure: "v1:AAAAencryptedAAAA" } : v,
            ]),
        );
    return {
        foundation: encrypt(foundationOptions(profile)),
        data: encrypt(dataOptions(profile, NONE)),
        secrets: encrypt(secretsOptions(profile, { foundation: NONE, data: NONE })),
        services: encrypt(servicesOptions(profile, { foundation: NONE, secrets: NONE })),
    };
}

/** Writes `stacks/<layer>/Pulumi.<stack>.yaml` under `root` for each layer given. */
export function writeStackFiles(
    root: string,
    stack: string,
    config: Partial<Record<Layer, Record<string, unknown>>>,
    extraDoc: Partial<Record<Layer, object>> = {},
): void {
    for (const layer of LAYERS) {
        const c = config[layer];
        if (c === undefined) continue;
        mkdirSync(join(root, "stacks", layer), { recursive: true });
        writeFileSync(
            join(root, "stacks", layer, `Pulumi.${stack}.yaml`),
            stringify({ ...(extraDoc[layer] ?? {}), config: c }),
        );
    }
}
