import type { PlanLayer, PlanResource } from "./document";
import { escapeHtml as esc, shortType, usd } from "./report-common";

/**
 * The layer diagram of the HTML report: one inline SVG, the four layers as boxes left to right in
 * deploy order, and under them one arrow per (consumer, upstream) pair from `layers[].reads`,
 * labelled with the outputs read. No marker, font or image is referenced, so the page's CSP
 * (`default-src 'none'`) has nothing to block. Hooks for tests: `data-layer` on each box,
 * `data-edge="<consumer><-<upstream>"` on each arrow.
 */

const BOX_W = 250;
const GAP = 70;
const MARGIN = 10;
const HEAD_H = 66;
const LINE_H = 16;
/** Resources listed in a box; past that, the main ones and "+ N more". */
const MAX_ITEMS = 8;
/** Characters of a box line before it is cut with "…" (the full text is in its tooltip). */
const ITEM_CHARS = 34;
const LABEL_LINE_H = 14;
/** Roughly how wide one character of an edge label is at its font size, px. */
const LABEL_CHAR_W = 6.2;

/** One arrow: `consumer` reads `outputs` from `upstream`. */
export interface DiagramEdge {
    consumer: string;
    upstream: string;
    outputs: string[];
}

/** The arrows between layers; a layer reading its own previous outputs is no arrow (its section lists it). */
export function diagramEdges(layers: readonly PlanLayer[]): DiagramEdge[] {
    const known = new Set(layers.map((l) => l.layer as string));
    const edges = new Map<string, DiagramEdge>();
    for (const l of layers)
        for (const read of l.reads) {
            if (read.upstream === l.layer || !known.has(read.upstream)) continue;
            const id = `${l.layer}<-${read.upstream}`;
            const edge = edges.get(id) ?? { consumer: l.layer, upstream: read.upstream, outputs: [] };
            if (!edge.outputs.includes(read.output)) edge.outputs.push(read.output);
            edges.set(id, edge);
        }
    return [...edges.values()];
}

/** The lines a box lists: every resource when few, else the top-level ones (components first). */
export function boxItems(resources: readonly PlanResource[]): string[] {
    const label = (r: PlanResource) => `${shortType(r.type)} ${r.name}`;
    if (resources.length <= MAX_ITEMS) return resources.map(label);
    const main = resources
        .filter((r) => r.parent === undefined && !/^pulumi:(providers|pulumi:StackReference)/.test(r.type))
        .sort((a, b) => Number(a.custom) - Number(b.custom));
    const shown = main.length > MAX_ITEMS ? main.slice(0, MAX_ITEMS - 1) : main;
    const more = resources.length - shown.length;
    return [...shown.map(label), ...(more > 0 ? [`+ ${more} more`] : [])];
}

const cut = (text: string, n: number): string => (text.length > n ? `${text.slice(0, n - 1)}…` : text);

/** Words of `text` (split after ", ") in lines of at most `chars` characters. */
function wrap(text: string, chars: number): string[] {
    const lines: string[] = [];
    for (const word of text.split(/(?<=, )/)) {
        const last = lines[lines.length - 1];
        if (last !== undefined && (last + word).length <= chars) lines[lines.length - 1] = last + word;
        else lines.push(word);
    }
    return lines.map((l) => cut(l.trimEnd(), chars));
}

interface Box {
    layer: PlanLayer;
    x: number;
    items: string[];
}

/** The diagram of `layers` (any order: drawn in deploy order) as an inline `<svg>` element. */
export function renderDiagram(layers: readonly PlanLayer[]): string {
    const ordered = [...layers].sort((a, b) => a.order - b.order);
    const boxes: Box[] = ordered.map((layer, i) => ({
        layer,
        x: MARGIN + i * (BOX_W + GAP),
        items: boxItems(layer.resources),
    }));
    const boxH = HEAD_H + LINE_H * Math.max(1, ...boxes.map((b) => b.items.length)) + 10;
    const top = MARGIN;
    const bottom = top + boxH;
    const at = new Map(boxes.map((b, i) => [b.layer.layer as string, { box: b, index: i }]));
    // Short spans on the upper lanes, leaving the right of the upstream box and entering the left of
    // the consumer, so that the arrows nest instead of crossing.
    const edges = diagramEdges(ordered)
        .map((e) => ({ ...e, from: at.get(e.upstream), to: at.get(e.consumer) }))
        .filter((e): e is typeof e & { from: { box: Box; index: number }; to: { box: Box; index: number } } =>
            Boolean(e.from && e.to),
        )
        .sort((a, b) => Math.abs(a.to.index - a.from.index) - Math.abs(b.to.index - b.from.index));
    const outSlot = new Map<string, number>();
    const inSlot = new Map<string, number>();
    let laneY = bottom + 24;
    const drawn = edges.map((e) => {
        const o = outSlot.get(e.upstream) ?? 0;
        const n = inSlot.get(e.consumer) ?? 0;
        outSlot.set(e.upstream, o + 1);
        inSlot.set(e.consumer, n + 1);
        const x1 = e.from.box.x + BOX_W - 24 - 18 * o;
        const x2 = e.to.box.x + 24 + 18 * n;
        // A label may run on under the consumer box: its lane is a row of its own.
        const chars = Math.max(24, Math.floor((e.to.box.x + BOX_W - x1 - 16) / LABEL_CHAR_W));
        const label = wrap(`${e.upstream} → ${e.consumer}: ${e.outputs.join(", ")}`, chars);
        const y = laneY + label.length * LABEL_LINE_H;
        laneY = y + 18;
        return edgeSvg(e, x1, x2, bottom, y, label);
    });
    const width = MARGIN * 2 + boxes.length * BOX_W + Math.max(0, boxes.length - 1) * GAP;
    const height = (edges.length > 0 ? laneY : bottom) + MARGIN;
    const arrows = boxes.slice(1).map((b) => {
        // The deploy order itself: a thin chevron in each gap between boxes.
        const x = b.x - GAP / 2;
        const y = top + 22;
        return `<path class="order" d="M ${x - 8} ${y - 8} L ${x + 4} ${y} L ${x - 8} ${y + 8}"/>`;
    });
    return [
        `<svg class="diagram" role="img" aria-labelledby="diagram-title" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}">`,
        `<title id="diagram-title">The ${boxes.length} layers in deploy order and the outputs each reads from the layers before it</title>`,
        ...arrows,
        ...boxes.map((b) => boxSvg(b, top, boxH)),
        ...drawn,
        "</svg>",
    ].join("\n");
}

function boxSvg(b: Box, top: number, h: number): string {
    const l = b.layer;
    const line = (y: number, cls: string, text: string, full = text) =>
        `<text class="${cls}" x="${b.x + 12}" y="${y}">${esc(cut(text, ITEM_CHARS))}${text.length > ITEM_CHARS || full !== text ? `<title>${esc(full)}</title>` : ""}</text>`;
    return [
        `<g class="layer-box layer-${esc(l.layer)}" data-layer="${esc(l.layer)}" data-order="${l.order}">`,
        `<rect x="${b.x}" y="${top}" width="${BOX_W}" height="${h}" rx="8"/>`,
        line(top + 22, "box-title", `${l.order}. ${l.layer}`),
        line(top + 40, "box-sub", l.project),
        line(top + 57, "box-sub", `${l.resources.length} resources · ${usd(l.cost.monthly)}/month`),
        ...b.items.map((item, i) => line(top + HEAD_H + 12 + i * LINE_H, "box-item", item)),
        "</g>",
    ].join("\n");
}

function edgeSvg(e: DiagramEdge, x1: number, x2: number, bottom: number, y: number, label: string[]): string {
    const id = `${e.consumer}<-${e.upstream}`;
    const labelX = Math.min(x1, x2) + 8;
    const firstY = y - label.length * LABEL_LINE_H + 10;
    return [
        `<g class="edge" data-edge="${esc(id)}">`,
        `<title>${esc(`${e.consumer} reads from ${e.upstream}: ${e.outputs.join(", ")}`)}</title>`,
        `<path d="M ${x1} ${bottom} V ${y} H ${x2} V ${bottom + 9}"/>`,
        // The arrowhead, drawn (a marker would need a url() reference).
        `<polygon points="${x2 - 5},${bottom + 10} ${x2 + 5},${bottom + 10} ${x2},${bottom + 1}"/>`,
        `<circle cx="${x1}" cy="${bottom + 3}" r="3"/>`,
        ...label.map(
            (text, i) => `<text class="edge-label" x="${labelX}" y="${firstY + i * LABEL_LINE_H}">${esc(text)}</text>`,
        ),
        "</g>",
    ].join("\n");
}
