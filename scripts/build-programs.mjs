// Bundles each layer's TypeScript entry point (stacks/<layer>/index.ts) into
// stacks/<layer>/bin/index.js, the file its Pulumi.yaml names as `main`.
//
// Why a bundle per layer instead of letting Pulumi run TypeScript itself:
// - Pulumi's default TypeScript path (ts-node) type-checks the whole program,
//   @pulumi/aws's very large typings included, on every preview; type checking
//   already happens once in `npm run build` / CI (`tsc`), so the program only
//   needs transpiling.
// - Pulumi refuses a `main` outside the project folder, and every layer imports
//   the repository's shared/ library; a bundle puts shared/ inside the layer.
// npm packages stay external (resolved from the root node_modules): the Pulumi
// SDK keeps process-wide state and must be the single copy the language host loads.
import { build } from "esbuild";
import { existsSync, readdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const stacksDir = join(root, "stacks");
const layers = readdirSync(stacksDir).filter((d) => existsSync(join(stacksDir, d, "Pulumi.yaml")));
// The policy pack runs the same way (PulumiPolicy.yaml names policy/bin/index.js).
const programs = [...layers.map((layer) => join(stacksDir, layer)), join(root, "policy")];

await Promise.all(
    programs.map((dir) =>
        build({
            entryPoints: [join(dir, "index.ts")],
            outfile: join(dir, "bin", "index.js"),
            bundle: true,
            platform: "node",
            format: "cjs",
            target: "node20",
            packages: "external",
            sourcemap: true,
            logLevel: "warning",
        }),
    ),
);
console.log(`bundled ${layers.length} layer program(s) (${layers.join(", ")}) and the policy pack`);
