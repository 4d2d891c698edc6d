import { expect } from "chai";
import { renderAll } from "../../scripts/config-docs";

describe("generated config reference", () => {
    for (const f of renderAll()) {
        it(`${f.relative} matches the schemas and the catalog (run \`make docs\` to update)`, () => {
            expect(f.current).to.equal(f.expected);
        });
    }
});
