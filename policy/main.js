// What Pulumi runs for the policy pack (PulumiPolicy.yaml `main`): index.ts bundled in memory at
// start, like the layers (see shared/load-typescript.cjs).
require("../shared/load-typescript.cjs").loadTypeScript(require("node:path").join(__dirname, "index.ts"));
