/**
 * Pure format checks used by every layer's config schema. Each returns `undefined` when the
 * value is fine, or a short reason that the config error shows next to the key and its fix.
 */

/** Values people leave in config files meaning "fill me in later". Compared case-insensitively. */
const PLACEHOLDER_WORDS = new Set([
    "changeme",
    "change-me",
    "change_me",
    "replaceme",
    "replace-me",
    "replace_me",
    "todo",
    "tbd",
    "fixme",
    "placeholder",
    "dummy",
    "example",
    "secret",
    "password",
    "none",
    "null",
    "undefined",
]);
/** Fragments that mark a placeholder even inside a longer value (`changeme123`, `my-replace-me-key`). */
const PLACEHOLDER_FRAGMENTS = ["changeme", "change-me", "replaceme", "replace-me", "placeholder"];

/** True for empty values and the usual "fill me in" markers: changeme, replace-me, TODO, xxx, <...>. */
export function isPlaceholder(value: string): boolean {
    const v = value.trim().toLowerCase();
    if (v === "" || v === "..." || /^x{3,}$/.test(v) || /^<.*>$/.test(v) || /^\$\{.*\}$/.test(v)) {
        return true;
    }
    return PLACEHOLDER_WORDS.has(v) || PLACEHOLDER_FRAGMENTS.some((f) => v.includes(f));
}

/** A parsed IPv4 CIDR block. */
export interface Ipv4Cidr {
    /** Network address as an unsigned 32-bit integer. */
    network: number;
    /** Prefix length, 0-32. */
    prefix: number;
}

/** Parses `a.b.c.d/n`; returns a reason string when it is not a valid, aligned IPv4 CIDR block. */
export function parseIpv4Cidr(value: string): Ipv4Cidr | string {
    const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/.exec(value.trim());
    if (!m) {
        return "is not an IPv4 CIDR block like 10.0.0.0/16";
    }
    const octets = m.slice(1, 5).map(Number);
    const prefix = Number(m[5]);
    if (octets.some((o) => o > 255) || prefix > 32) {
        return "has an octet above 255 or a prefix above /32";
    }
    const address = octets.reduce((acc, o) => acc * 256 + o, 0);
    const size = 2 ** (32 - prefix);
    if (address % size !== 0) {
        const network = address - (address % size);
        return `has host bits set; the block starts at ${formatIpv4(network)}/${prefix}`;
    }
    return { network: address, prefix };
}

/** Formats an unsigned 32-bit integer as dotted-quad IPv4. */
export function formatIpv4(address: number): string {
    return [24, 16, 8, 0].map((shift) => Math.floor(address / 2 ** shift) % 256).join(".");
}

/** True when `address` is a dotted-quad IPv4 address inside the block `cidr` (`a.b.c.d/n`). */
export function ipv4InCidr(address: string, cidr: string): boolean {
    const block = parseIpv4Cidr(cidr);
    const host = parseIpv4Cidr(`${address}/32`);
    if (typeof block === "string" || typeof host === "string") return false;
    return host.network >= block.network && host.network < block.network + 2 ** (32 - block.prefix);
}

/** True when the block lies inside one of the RFC 1918 private ranges. */
export function isPrivateIpv4Cidr(cidr: Ipv4Cidr): boolean {
    const ranges: Array<[string, number]> = [
        ["10.0.0.0", 8],
        ["172.16.0.0", 12],
        ["192.168.0.0", 16],
    ];
    return ranges.some(([base, prefix]) => {
        const parsed = parseIpv4Cidr(`${base}/${prefix}`) as Ipv4Cidr;
        const size = 2 ** (32 - prefix);
        return cidr.prefix >= prefix && cidr.network >= parsed.network && cidr.network < parsed.network + size;
    });
}

/** AWS commercial, GovCloud and China region names, e.g. us-east-1, eu-central-2, us-gov-west-1. */
export function checkAwsRegion(value: string): string | undefined {
    return /^(us|eu|ap|sa|ca|me|af|il|mx|cn)(-gov|-iso[a-z]?)?-(north|south|east|west|central|northeast|southeast|northwest|southwest)-\d{1,2}$/.test(
        value,
    )
        ? undefined
        : "is not an AWS region name like us-east-1";
}

/** An ARN of the given service (and resource type prefix, when given). */
export function checkArn(value: string, service: string, resourcePrefix = ""): string | undefined {
    const m = /^arn:(aws|aws-us-gov|aws-cn):([a-z0-9-]+):([a-z0-9-]*):(\d{12}|):(.+)$/.exec(value);
    if (!m) {
        return `is not an ARN like arn:aws:${service}:us-east-1:123456789012:${resourcePrefix}...`;
    }
    if (m[2] !== service || !(m[5] ?? "").startsWith(resourcePrefix)) {
        return `is an ARN of ${m[2]}:${(m[5] ?? "").split(/[/:]/)[0]}, expected ${service}:${resourcePrefix || "*"}`;
    }
    return undefined;
}

/** An absolute URL with one of the given schemes. */
export function checkUrl(value: string, schemes: readonly string[] = ["https", "http"]): string | undefined {
    let url: URL;
    try {
        url = new URL(value);
    } catch {
        return `is not an absolute URL like ${schemes[0]}://example.com`;
    }
    const scheme = url.protocol.replace(/:$/, "");
    return schemes.includes(scheme) && url.hostname !== ""
        ? undefined
        : `must use ${schemes.join(" or ")}:// and name a host`;
}

/** A plain e-mail address or `Name <address>` form, as e-mail senders accept it. */
export function checkEmail(value: string): string | undefined {
    const address = /<([^<>]+)>\s*$/.exec(value)?.[1] ?? value;
    return /^[^\s@<>]+@[^\s@<>]+\.[a-z]{2,}$/i.test(address.trim())
        ? undefined
        : 'is not an e-mail address like "App <noreply@example.com>"';
}

/** CloudWatch Logs accepts only these retention periods (days). */
export const LOG_RETENTION_DAYS = [
    1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
] as const;
