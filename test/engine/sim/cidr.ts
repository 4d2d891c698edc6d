// IPv4 CIDR arithmetic for the simulator's network rules (subnet inside VPC, no overlap) and for
// the awsx subnet layout. Plain functions over numbers; addresses are unsigned 32-bit integers.

/** A parsed IPv4 block. */
export interface Block {
    /** First address, as an unsigned 32-bit integer. */
    base: number;
    /** Prefix length, 0-32. */
    prefix: number;
}

/** Parses `a.b.c.d/n`; throws with the offending text when it is not a valid block. */
export function parseBlock(cidr: string): Block {
    const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/.exec(cidr.trim());
    const octets = m ? m.slice(1, 5).map(Number) : [];
    const prefix = m ? Number(m[5]) : NaN;
    if (!m || octets.some((o) => o > 255) || prefix > 32) {
        throw new Error(`'${cidr}' is not an IPv4 CIDR block`);
    }
    const addr = octets.reduce((acc, o) => acc * 256 + o, 0);
    return { base: addr - (addr % size({ base: 0, prefix })), prefix };
}

/** Number of addresses in a block. */
export function size(block: Block): number {
    return 2 ** (32 - block.prefix);
}

/** Formats a block as `a.b.c.d/n`. */
export function formatBlock(block: Block): string {
    const b = block.base;
    return `${Math.floor(b / 2 ** 24) % 256}.${Math.floor(b / 2 ** 16) % 256}.${Math.floor(b / 2 ** 8) % 256}.${b % 256}/${block.prefix}`;
}

/** The n-th address of a block, formatted (no prefix). */
export function addressAt(block: Block, n: number): string {
    return formatBlock({ base: block.base + n, prefix: 32 }).replace(/\/32$/, "");
}

/** True when `inner` lies entirely inside `outer`. */
export function contains(outer: Block, inner: Block): boolean {
    return (
        inner.prefix >= outer.prefix && inner.base >= outer.base && inner.base + size(inner) <= outer.base + size(outer)
    );
}

/** True when the two blocks share any address. */
export function overlaps(a: Block, b: Block): boolean {
    return a.base < b.base + size(b) && b.base < a.base + size(a);
}

/** The block of the given prefix that starts right after `previous` ends (aligned up). */
export function nextBlock(previous: Block, prefix: number): Block {
    const end = previous.base + size(previous);
    const step = size({ base: 0, prefix });
    return { base: Math.ceil(end / step) * step, prefix };
}
