"""The bench's Markdown tables: ours against the plain Whoosh baseline, and every engine
side by side (build, size, memory, latency per query kind, matches per query)."""

from __future__ import annotations

from typing import Any

from tests.bench.peers import PEERS


def _ratio(a: float, b: float) -> str:
    return f"{a / b:.1f}x" if b else "-"


def tree_mb(build: dict[str, Any]) -> str:
    """A build's peak over all its processes at once (proctree.py), "-" where not sampled."""
    pss, rss = build.get("tree_peak_pss_mb"), build.get("tree_peak_rss_mb")
    return "-" if pss is None else f"{pss} / {rss}"


def table(n: int, r: dict[str, Any]) -> str:
    if r.get("base_build") is None:  # --skip-baseline: the peers' table says the rest
        return (
            f"Benchmark at N = {n:,} files ({r['corpus']['copies']} republished copies), "
            f"{r['queries']} queries x {r['reps']} reps; plain Whoosh baseline not run "
            "(--skip-baseline)"
        )
    ob, bb = r["ours_build"], r["base_build"]
    oq, bq = r["ours_query"], r["base_query"]
    lines = [
        f"Benchmark at N = {n:,} files ({r['corpus']['copies']} republished copies), "
        f"{r['queries']} queries x {r['reps']} reps",
        "",
        "| measure | ours | baseline (Whoosh + jieba ChineseAnalyzer) | speed-up |",
        "|---|---|---|---|",
        f"| build docs/s | {ob['docs_per_s']} | {bb['docs_per_s']} | "
        f"{_ratio(ob['docs_per_s'], bb['docs_per_s'])} |",
        f"| build time s | {ob['seconds']} | {bb['seconds']} | |",
        f"| index size MB | {ob['size_mb']} | {bb['size_mb']} | |",
        f"| build peak RSS MB (largest process) | {ob['peak_rss_mb']} | {bb['peak_rss_mb']} | |",
        f"| build peak, all processes at once: PSS / RSS MB | {tree_mb(ob)} | - | |",
        f"| query peak RSS MB | {oq['peak_rss_mb']} | {bq['peak_rss_mb']} | |",
        f"| searcher open (arrays) ms | {oq['open_ms']} | - | |",
    ]
    for pct in ("p50_ms", "p95_ms"):
        ours = oq[pct]
        plain = bq["plain"][pct]
        fac = bq["facets"][pct]
        lines.append(
            f"| {pct[:3]} ms: ours full (no cache) vs baseline plain top-10 | {ours} | {plain} | "
            f"{_ratio(plain, ours)} |"
        )
        lines.append(
            f"| {pct[:3]} ms: ours full (no cache) vs baseline + groupedby facets | {ours} "
            f"| {fac} | {_ratio(fac, ours)} |"
        )
    oc = r["ours_cached"]
    lines.append(
        f"| p50 / p95 ms: ours full, term cache on (repeated queries) | "
        f"{oc['p50_ms']} / {oc['p95_ms']} | {bq['plain']['p50_ms']} / {bq['plain']['p95_ms']} "
        f"| {_ratio(bq['plain']['p95_ms'], oc['p95_ms'])} (p95) |"
    )
    lines.append(
        f"| load average before timing (ours / baseline plain / facets) | {oq['load_avg']} | "
        f"{bq['plain']['load_avg']} / {bq['facets']['load_avg']} | |"
    )
    lines += [
        "",
        "| query kind | ours p50 ms (no cache) | ours p50 ms (cache) | baseline plain p50 ms "
        "| baseline facets p50 ms |",
        "|---|---|---|---|---|",
    ]
    for kind, ms in oq["by_kind_p50_ms"].items():
        lines.append(
            f"| {kind} | {ms} | {oc['by_kind_p50_ms'][kind]} | "
            f"{bq['plain']['by_kind_p50_ms'][kind]} | {bq['facets']['by_kind_p50_ms'][kind]} |"
        )
    lines += ["", "Matches per query:"]
    for q, total in oq["totals"].items():
        lines.append(
            f"- {q}: ours {total} stories, baseline {bq['plain']['totals'].get(q)} documents"
        )
    return "\n".join(lines)


def _engines(r: dict[str, Any]) -> list[tuple[str, dict[str, Any], dict[str, Any]]]:
    """(column title, build figures, query timings) of every engine that ran."""
    cols = [("ours: full request", r["ours_build"], r["ours_query"])]
    if r.get("base_build") is not None:
        cols.append(
            ("Whoosh + jieba: top 10 + groupedby", r["base_build"], r["base_query"]["facets"])
        )
    peers = r.get("peers", {})
    for name, title in PEERS.items():
        if name in peers:
            cols.append((title, peers[name]["build"], peers[name]["query"]))
    return cols


def _rss(phase: dict[str, Any]) -> float:
    """A phase's peak RSS as it measured itself (VmHWM, and its workers' rusage)."""
    return phase["peak_rss_mb"]


def peers_table(r: dict[str, Any]) -> str:
    """Every engine side by side: build, size, memory, latency per kind, matches per query."""
    cols = _engines(r)
    peers = r.get("peers", {})
    queried = [r["ours_query"]] + ([r["base_query"]] if r.get("base_query") else [])
    qrss = [_rss(q) for q in queried + [peers[n]["query"] for n in PEERS if n in peers]]
    ours_p95 = r["ours_query"]["p95_ms"]

    def row(label: str, values: list[Any]) -> str:
        return f"| {label} | " + " | ".join(str(v) for v in values) + " |"

    lines = [
        "| measure | " + " | ".join(c[0] for c in cols) + " |",
        "|---" * (len(cols) + 1) + "|",
        row("build docs/s (ours, Whoosh: with extraction; peers: indexing only)",
            [c[1]["docs_per_s"] for c in cols]),
        row("build s", [c[1]["seconds"] for c in cols]),
        row("index MB", [c[1]["size_mb"] for c in cols]),
        row("build peak RSS MB (largest process)", [_rss(c[1]) for c in cols]),
        row("build peak, all processes at once: PSS / RSS MB", [tree_mb(c[1]) for c in cols]),
        row("query peak RSS MB", qrss),
        row("p50 ms", [c[2]["p50_ms"] for c in cols]),
        row("p95 ms", [c[2]["p95_ms"] for c in cols]),
        row("max ms", [c[2].get("max_ms", "-") for c in cols]),
        row("ours p95 / this engine's p95", [_ratio(ours_p95, c[2]["p95_ms"]) for c in cols]),
        row("load average before build", [c[1].get("load_avg", "-") for c in cols]),
        row("load average before queries", [c[2]["load_avg"] for c in cols]),
    ]  # fmt: skip
    if "extract" in peers:
        ex, tok = peers["extract"], peers["tokenise"]
        lines += [
            "",
            f"Peers read {ex['docs']:,} articles extracted once ({ex['seconds']} s, "
            f"{ex['docs_per_s']} docs/s, not in their build time) and jieba words cut once "
            f"outside their build ({tok['seconds']} s, {tok['docs_per_s']} docs/s; the FTS5 "
            "trigram peer does not use them).",
        ]
    for name, why in peers.get("missing", {}).items():
        lines.append(f"Skipped {name}: {why}.")
    lines += ["", "| query kind: p50 / p95 / max ms | " + " | ".join(c[0] for c in cols) + " |"]
    lines.append("|---" * (len(cols) + 1) + "|")
    for kind in r["ours_query"]["by_kind_p50_ms"]:
        cells = [
            f"{c[2]['by_kind_p50_ms'][kind]} / {c[2].get('by_kind_p95_ms', {}).get(kind, '-')}"
            f" / {c[2].get('by_kind_max_ms', {}).get(kind, '-')}"
            for c in cols
        ]
        lines.append(row(kind, cells))
    lines += ["", "| matches per query (ours: stories) | " + " | ".join(c[0] for c in cols) + " |"]
    lines.append("|---" * (len(cols) + 1) + "|")
    for q in r["ours_query"]["totals"]:
        lines.append(row(q, [c[2]["totals"].get(q, "-") for c in cols]))
    return "\n".join(lines)
