/** The mock monitor's answers; shared with `make plan` (scripts/plan/mock-state.ts). */
export * from "../../scripts/plan/mock-state";
