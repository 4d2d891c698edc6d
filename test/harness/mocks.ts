/**
 * The mock engine the layer tests run programs under. It lives in scripts/plan/mock-engine.ts
 * because `make plan` runs the same programs under the same mocks; the tests import it from here.
 */
export * from "../../scripts/plan/mock-engine";
