import { randomBytes, randomUUID } from "node:crypto";
import { ACCOUNT_ID } from "./account";

// Identifiers shaped like AWS's, so code that parses them (ARN splitting, id prefixes) behaves as
// it would against the real API.

/** n lowercase hex characters. */
export function hex(n: number): string {
    return randomBytes(Math.ceil(n / 2))
        .toString("hex")
        .slice(0, n);
}

/** n characters of [A-Z0-9] (IAM unique ids, RDS resource ids). */
export function upperAlnum(n: number): string {
    const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
    return [...randomBytes(n)].map((b) => alphabet[b % alphabet.length]).join("");
}

/** n decimal digits. */
export function digits(n: number): string {
    return [...randomBytes(n)].map((b) => String(b % 10)).join("");
}

/** An EC2-style id: `vpc-0` + 16 hex (17 characters after the dash, like current AWS ids). */
export function ec2Id(prefix: string): string {
    return `${prefix}-0${hex(16)}`;
}

/** `arn:aws:<service>:<region>:<account>:<resource>`; region "" for global services. */
export function arn(service: string, region: string, resource: string): string {
    return `arn:aws:${service}:${region}:${ACCOUNT_ID}:${resource}`;
}

/** A random UUID (secret version ids, KMS key ids). */
export function uuid(): string {
    return randomUUID();
}

const DIRECTIONS: Record<string, string> = {
    east: "e",
    west: "w",
    north: "n",
    south: "s",
    central: "c",
    southeast: "se",
    northeast: "ne",
    southwest: "sw",
    northwest: "nw",
};

/** AWS's short region code used in ElastiCache host names (`us-east-1` -> `use1`, `ap-southeast-2` -> `apse2`). */
export function shortRegion(region: string): string {
    const [geo = "xx", dir = "", n = ""] = region.split("-");
    return `${geo}${DIRECTIONS[dir] ?? dir.charAt(0)}${n}`;
}
