/** The offline policy runner; shared with `make plan` (scripts/plan/policy-check.ts). */
export * from "../../scripts/plan/policy-check";
