import { formatBlock, nextBlock, overlaps, parseBlock, type Block } from "../sim/cidr";

// The subnet plan of awsx.ec2.Vpc, as plain functions: which subnets exist in which AZ with which
// CIDR. Mirrors awsx's "Auto" allocator (subnetDistributorNew.ts) and its explicit-cidrBlocks
// layout; "Legacy" is planned like "Auto" (a documented difference of the simulator).

/** Subnet types awsx knows. */
export type SubnetType = "Public" | "Private" | "Isolated" | "Unused";

/** One `subnetSpecs` entry as the program passes it. */
export interface SubnetSpecInput {
    type: SubnetType;
    name?: string;
    cidrMask?: number;
    size?: number;
    cidrBlocks?: string[];
    tags?: Record<string, string>;
}

/** A subnet to create. */
export interface PlannedSubnet {
    type: SubnetType;
    azName: string;
    azIndex: number;
    /** Logical and Name-tag name: `<vpc>-<spec name or type>-<az number>`. */
    subnetName: string;
    cidrBlock: string;
    tags?: Record<string, string>;
}

/** `subnetLayout` output entry (awsx's ResolvedSubnetSpec). */
export interface ResolvedSubnetSpec {
    type: SubnetType;
    name?: string;
    cidrMask?: number;
    size?: number;
    cidrBlocks?: string[];
}

function newBits(count: number): number {
    return count === 0 ? 0 : Math.ceil(Math.log2(count));
}

/** awsx's default specs: a private /(az+1) and a public /(az+2) per AZ, within the first /16. */
export function defaultSubnetSpecs(azBitmask: number): SubnetSpecInput[] {
    if (azBitmask > 26)
        throw new Error(
            `Automatic subnet creation requires a VPC with at least /26 available per AZ, but only /${azBitmask} is available.`,
        );
    const base = Math.max(azBitmask, 16);
    return [
        { type: "Private", cidrMask: base + 1 },
        { type: "Public", cidrMask: base + 2 },
    ];
}

function maskOf(spec: SubnetSpecInput, fallback: number): number {
    if (spec.cidrMask !== undefined) return spec.cidrMask;
    if (spec.size !== undefined) return 32 - Math.log2(spec.size);
    return fallback;
}

function subnetName(vpcName: string, spec: SubnetSpecInput, azNumber: number): string {
    return `${vpcName}-${spec.name ?? spec.type.toLowerCase()}-${azNumber}`;
}

/** Plans every subnet; throws awsx's messages for a layout that does not fit. */
export function planSubnets(
    vpcName: string,
    vpcCidr: string,
    azNames: readonly string[],
    specsIn?: SubnetSpecInput[],
    azCidrMask?: number,
): PlannedSubnet[] {
    const vpc = parseBlock(vpcCidr);
    const azBitmask = azCidrMask ?? vpc.prefix + newBits(azNames.length);
    const specs = specsIn ?? defaultSubnetSpecs(azBitmask);
    if (specs.length === 0) throw new Error("No subnets specified");
    const planned: PlannedSubnet[] = [];
    if (specs.some((s) => s.cidrBlocks !== undefined)) {
        azNames.forEach((azName, i) => {
            for (const spec of specs) {
                const cidr = spec.cidrBlocks?.[i];
                if (cidr === undefined)
                    throw new Error(
                        "If any subnet spec has explicit cidrBlocks, all subnets must have explicit cidrBlocks for every availability zone.",
                    );
                planned.push({
                    type: spec.type,
                    azName,
                    azIndex: i,
                    subnetName: subnetName(vpcName, spec, i + 1),
                    cidrBlock: cidr,
                    tags: spec.tags,
                });
            }
        });
    } else {
        const fallbackMask = azBitmask + newBits(specs.length);
        const azSize = 2 ** (32 - azBitmask);
        const needed = specs.reduce((acc, s) => acc + 2 ** (32 - maskOf(s, fallbackMask)), 0);
        if (needed > azSize)
            throw new Error(
                `Subnets are too large for VPC. VPC has ${azSize} addresses, but subnets require ${needed} addresses.`,
            );
        let az: Block = { base: vpc.base, prefix: azBitmask };
        azNames.forEach((azName, i) => {
            let current: Block | undefined;
            for (const spec of specs) {
                const mask = maskOf(spec, fallbackMask);
                current = current === undefined ? { base: az.base, prefix: mask } : nextBlock(current, mask);
                planned.push({
                    type: spec.type,
                    azName,
                    azIndex: i,
                    subnetName: subnetName(vpcName, spec, i + 1),
                    cidrBlock: formatBlock(current),
                    tags: spec.tags,
                });
            }
            az = nextBlock(az, azBitmask);
        });
    }
    const used = planned.filter((p) => p.type !== "Unused");
    const clashes = used.filter((a) =>
        used.some((b) => a !== b && overlaps(parseBlock(a.cidrBlock), parseBlock(b.cidrBlock))),
    );
    if (clashes.length > 0) {
        throw new Error(
            `The following subnets overlap with at least one other subnet:\n${clashes.map((c, i) => `${i + 1}. ${c.subnetName}: ${c.cidrBlock}`).join("\n")}`,
        );
    }
    return used;
}

/** The `subnetLayout` output: the specs with their resolved masks. */
export function resolvedLayout(
    specsIn: SubnetSpecInput[] | undefined,
    vpcCidr: string,
    azCount: number,
    azCidrMask?: number,
): ResolvedSubnetSpec[] {
    const azBitmask = azCidrMask ?? parseBlock(vpcCidr).prefix + newBits(azCount);
    const specs = specsIn ?? defaultSubnetSpecs(azBitmask);
    const fallback = azBitmask + newBits(specs.length);
    return specs.map((s) => ({
        type: s.type,
        ...(s.name ? { name: s.name } : {}),
        ...(s.cidrBlocks
            ? { cidrBlocks: s.cidrBlocks }
            : { cidrMask: maskOf(s, fallback), size: 2 ** (32 - maskOf(s, fallback)) }),
    }));
}

/** Public first, then private, then isolated: NAT gateways (in public subnets) exist before private routes need them. */
export function creationOrder(a: PlannedSubnet, b: PlannedSubnet): number {
    const rank: Record<SubnetType, number> = { Public: 0, Private: 1, Isolated: 2, Unused: 3 };
    return a.azIndex - b.azIndex || rank[a.type] - rank[b.type];
}

/** Whether the NAT strategy needs another gateway in this AZ (awsx's shouldCreateNatGateway). */
export function needsNatGateway(strategy: string, existing: number, azIndex: number): boolean {
    switch (strategy.toLowerCase()) {
        case "none":
            return false;
        case "single":
            return existing < 1;
        case "oneperaz":
            return existing < azIndex + 1;
        default:
            throw new Error(`Unknown NatGatewayStrategy "${strategy}"`);
    }
}
