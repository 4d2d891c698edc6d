// What Pulumi runs (Pulumi.yaml `main`): this layer's index.ts, bundled in memory at start so the
// program always matches the sources on disk (see shared/load-typescript.cjs).
module.exports = require("../../shared/load-typescript.cjs").loadTypeScript(
    require("node:path").join(__dirname, "index.ts"),
);
