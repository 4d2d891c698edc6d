/**
 * "Did you mean": the nearest spelling among known words, for unknown keys, enum values and regions.
 */

/** Levenshtein distance, for "did you mean" suggestions. */
export function editDistance(a: string, b: string): number {
    let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
    for (let i = 1; i <= a.length; i++) {
        const row = [i];
        for (let j = 1; j <= b.length; j++) {
            const cost = a[i - 1]?.toLowerCase() === b[j - 1]?.toLowerCase() ? 0 : 1;
            row.push(Math.min((prev[j] ?? 0) + 1, (row[j - 1] ?? 0) + 1, (prev[j - 1] ?? 0) + cost));
        }
        prev = row;
    }
    return prev[b.length] ?? 0;
}

/** The candidate closest to `word`, when it is close enough to be a typo (a third of its length, at most 3). */
export function closest(word: string, candidates: readonly string[]): string | undefined {
    const limit = Math.min(3, Math.max(1, Math.floor(word.length / 3)));
    let best: { c: string; d: number } | undefined;
    for (const c of candidates) {
        const d = editDistance(word, c);
        if (d <= limit && (!best || d < best.d)) best = { c, d };
    }
    return best?.c;
}
