"""The equivalence report: one JSON file and one self-contained HTML page per pair.

The JSON is the evidence; the HTML is rendered from it alone (``regenerate``), so
the two never disagree. The page needs no network: CSS is inline and the plots are
inline SVG drawn here. Files are replaced atomically, so a reader never sees half a
report, and ``index.html`` lists every report in the folder.
"""
from __future__ import annotations

import json
import math
import os
import re
import secrets
from pathlib import Path
from urllib.parse import quote

import jinja2
import numpy as np
from markupsafe import Markup, escape

from equiv._errors import ConfigError

REQUIRED_KEYS = ("equiv_version", "family", "reference", "ported", "verdict")
INDEX = "index.html"
HISTORY = "history"  # history/<stem>/<run id>.json and .html: every run's own report, never replaced
HISTORY_SHOWN = 10
LAYER_ORDER = ("L1", "L2", "L3", "ledger")
_LIST_HEAD = 12  # list elements shown before truncating
_STRING_LIMIT = 300
_DICT_LIMIT = 12
_WHERE_LIMIT = 8

_env = jinja2.Environment(
    loader=jinja2.FileSystemLoader(Path(__file__).parent / "templates"),
    autoescape=True, trim_blocks=True, lstrip_blocks=True, undefined=jinja2.ChainableUndefined)


# -- files --------------------------------------------------------------------------------------

def report_stem(report: dict) -> str:
    """``<family>__<reference>__<ported>``, with characters unsafe in file names replaced."""
    return "__".join(re.sub(r"[^A-Za-z0-9._-]", "_", str(report[k]))
                     for k in ("family", "reference", "ported"))


def write_report(directory: Path, report: dict) -> tuple[Path, Path]:
    """Write the pair's JSON and HTML, then rebuild the folder's index; all atomically.

    A report with a ``run_id`` is also kept as ``history/<stem>/<run_id>``: the pair's latest
    report is replaced by the next run, a run's own copy never is (nor by a concurrent run)."""
    directory = Path(directory)
    _check_report(report, "the report to write")
    directory.mkdir(parents=True, exist_ok=True)
    text = _to_json(report)
    data = json.loads(text)  # the page shows exactly what the JSON holds
    stem = report_stem(data)
    json_path, html_path = directory / f"{stem}.json", directory / f"{stem}.html"
    page = render_html(data)
    if data.get("run_id"):
        kept = directory / HISTORY / stem
        kept.mkdir(parents=True, exist_ok=True)
        _write_atomic(kept / f"{data['run_id']}.json", text)
        _write_atomic(kept / f"{data['run_id']}.html", page)
    _write_atomic(json_path, text)
    _write_atomic(html_path, page)
    _write_atomic(directory / INDEX, render_index(_load_reports(directory), _history(directory)))
    return json_path, html_path


def replaced_run(directory: Path, report: dict) -> dict | None:
    """The pair's latest report from another run, which writing ``report`` will replace; a
    report from before run ids existed is copied into history first, so nothing is lost."""
    path = Path(directory) / f"{report_stem(report)}.json"
    try:
        old = _read_report(path)
    except ConfigError:
        return None
    if old.get("run_id") == report.get("run_id"):
        return None
    if not old.get("run_id"):
        kept = Path(directory) / HISTORY / report_stem(report)
        kept.mkdir(parents=True, exist_ok=True)
        legacy = "before-" + re.sub(r"[^0-9A-Za-z]", "", str(old.get("started") or "unknown"))
        _write_atomic(kept / f"{legacy}.json", path.read_text(encoding="utf-8"))
        old["run_id"] = legacy
    old["_kept"] = str(Path(HISTORY) / report_stem(report) / f"{old['run_id']}.json")
    return old


def _history(directory: Path) -> dict:
    """stem -> the runs kept for it, newest first: (run id, verdict, partial, html name)."""
    runs = {}
    root = directory / HISTORY
    if not root.is_dir():
        return runs
    for folder in sorted(p for p in root.iterdir() if p.is_dir()):
        rows = []
        for path in sorted(folder.glob("*.json"), reverse=True)[:HISTORY_SHOWN]:
            try:
                r = _read_report(path)
            except ConfigError:
                continue
            rows.append({"run_id": path.stem, "verdict": r["verdict"], "partial": bool(r.get("partial")),
                         "href": f"{HISTORY}/{folder.name}/{path.stem}.html"})
        runs[folder.name] = rows
    return runs


def regenerate(json_path: Path) -> Path:
    """Re-render the HTML next to a report's JSON (``equiv report FILE.json``)."""
    json_path = Path(json_path)
    report = _read_report(json_path)
    html_path = json_path.with_suffix(".html")
    _write_atomic(html_path, render_html(report))
    return html_path


def _read_report(path: Path) -> dict:
    if not path.is_file():
        raise ConfigError(f"report file {path} does not exist; pass the .json file equiv wrote "
                          f"next to the HTML report (named <family>__<reference>__<ported>.json)")
    try:
        report = json.loads(path.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as e:
        raise ConfigError(f"{path} is not an equiv report: it is not valid JSON ({e}); "
                          f"pass the .json file equiv wrote next to the HTML report") from None
    _check_report(report, str(path))
    return report


def _check_report(report, what: str) -> None:
    if not isinstance(report, dict):
        raise ConfigError(f"{what} is not an equiv report: expected a JSON object, "
                          f"got {type(report).__name__}")
    missing = [k for k in REQUIRED_KEYS if k not in report]
    if missing:
        raise ConfigError(f"{what} is not an equiv report: it lacks {', '.join(missing)}; "
                          f"pass the .json file equiv wrote next to the HTML report")


def _load_reports(directory: Path) -> list[dict]:
    """Every readable equiv report in the folder; other JSON files are not ours and are skipped."""
    reports = []
    for path in sorted(directory.glob("*.json")):
        try:
            report = _read_report(path)
        except ConfigError:
            continue
        reports.append({**report, "_html": path.with_suffix(".html").name})
    return reports


def _write_atomic(path: Path, text: str) -> None:
    # A unique name in the same folder (os.replace is atomic only within a file system);
    # mode "x" creates it with the usual permissions, unlike mkstemp's 0600.
    tmp = path.parent / f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}.tmp"
    try:
        with open(tmp, "x", encoding="utf-8") as f:
            f.write(text)
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def _to_json(report: dict) -> str:
    """Strict, compact JSON (reports are rewritten after every item, so this must be fast)."""
    try:
        return json.dumps(report, allow_nan=False, separators=(",", ":"), default=_json_default)
    except ValueError:  # a NaN or an infinity somewhere: spell them out (slow path)
        return json.dumps(_finite(report), allow_nan=False, separators=(",", ":"),
                          default=_json_default)


def _json_default(v):
    if isinstance(v, np.ndarray):
        return v.tolist()
    if isinstance(v, np.generic):
        return v.item()
    if isinstance(v, (set, frozenset)):
        return sorted(v)
    if isinstance(v, Path):
        return str(v)
    raise TypeError(f"the report holds a {type(v).__name__}, which JSON cannot store: {v!r:.80}")


def _finite(v):
    """A copy with NaN and infinities as the strings 'nan', 'inf', '-inf'."""
    if isinstance(v, dict):
        return {k: _finite(x) for k, x in v.items()}
    if isinstance(v, (list, tuple)):
        return [_finite(x) for x in v]
    if isinstance(v, (np.ndarray, np.generic)):
        return _finite(v.tolist())
    if isinstance(v, float) and not math.isfinite(v):
        return "nan" if math.isnan(v) else ("inf" if v > 0 else "-inf")
    return v


# -- pages --------------------------------------------------------------------------------------

def render_html(report: dict) -> str:
    """The pair's report page: one self-contained HTML file."""
    layers = report.get("layers") or {}
    ordered = sorted(layers, key=lambda k: (LAYER_ORDER.index(k) if k in LAYER_ORDER else 99, k))
    items = [item for name in ordered for item in (layers[name].get("items") or [])]
    anchors = {id(item): f"item-{i}" for i, item in enumerate(items)}
    details = [item for item in items if item.get("divergence") or item.get("stats")
               or (item.get("outcome") in ("failed", "error") and item.get("message"))]
    detailed = {id(item) for item in details}
    return _env.get_template("report.html.j2").render(
        r=report, layers=[(name, layers[name]) for name in ordered], details=details,
        anchor=lambda item: anchors[id(item)], detailed=lambda item: id(item) in detailed,
        stem=report_stem(report), provenance=_provenance_rows(report.get("provenance") or {}))


def render_index(reports: list[dict], history: dict | None = None) -> str:
    """One row per pair: verdict, counts, link to its page, and its earlier runs."""
    rows = sorted(({"_html": report_stem(r) + ".html", **r, "_runs": (history or {}).get(report_stem(r), [])}
                   for r in reports),
                  key=lambda r: (str(r["family"]), str(r["reference"]), str(r["ported"])))
    return _env.get_template("index.html.j2").render(reports=rows, quote=quote)


def _provenance_rows(prov: dict) -> list[tuple]:
    ref, port = prov.get("reference") or {}, prov.get("ported") or {}
    first = [k for k in ("name", "version", "hash") if k in ref or k in port]
    rest = [k for k in list(ref) + [k for k in port if k not in ref] if k not in first]
    return [(k, ref.get(k), port.get(k)) for k in first + rest]


# -- value formatting (template filters) ----------------------------------------------------------

def _value(v, marks=None) -> Markup:
    """A compact HTML rendering of any JSON value; long lists are cut with a count.

    ``marks``: flat indices to highlight (and keep visible) in an array.
    """
    if isinstance(v, (np.ndarray, np.generic)):
        v = v.tolist()
    if v is None:
        return Markup('<span class="muted">—</span>')
    if isinstance(v, bool):
        return Markup(str(v).lower())
    if isinstance(v, float):
        return escape(repr(v))
    if isinstance(v, int):
        return escape(str(v))
    if isinstance(v, str):
        if len(v) <= _STRING_LIMIT:
            return escape(v)
        return escape(v[:_STRING_LIMIT]) + Markup(f'<span class="muted">… (+{len(v) - _STRING_LIMIT}'
                                                  f' chars)</span>')
    if isinstance(v, list):
        return _list(v, set(marks or ()))
    if isinstance(v, dict):
        keys = list(v)
        parts = [escape(str(k)) + Markup(": ") + _value(v[k]) for k in keys[:_DICT_LIMIT]]
        more = (Markup(f', <span class="muted">… +{len(keys) - _DICT_LIMIT} keys</span>')
                if len(keys) > _DICT_LIMIT else Markup(""))
        return Markup("{") + Markup(", ").join(parts) + more + Markup("}")
    return escape(repr(v))


def _list(v: list, marks: set) -> Markup:
    shape, flat = _array(v)
    n = len(flat)
    if n <= _LIST_HEAD + 4:
        windows = [(0, n)]
    else:  # the head, a little context around the first few marked elements, and the tail
        windows = [(0, _LIST_HEAD)] + [(max(0, m - 2), min(n, m + 3)) for m in sorted(marks)[:3]
                                       if isinstance(m, int) and 0 <= m < n]
        windows = _merge(windows + [(n - 2, n)])
    out = Markup("")
    for lo, hi in windows:
        if lo > 0:  # a gap before this window: say where it starts
            out += Markup(f' <span class="muted">… @{lo}:</span> ')
        out += Markup(", ").join(Markup(f"<mark>{_value(flat[i])}</mark>") if i in marks
                                 else _value(flat[i]) for i in range(lo, hi))
    size = ""
    if shape and len(shape) > 1:
        size = f' <span class="muted">(shape {"×".join(map(str, shape))})</span>'
    elif n > _LIST_HEAD + 4:
        size = f' <span class="muted">({n} items)</span>'
    return Markup("[") + out + Markup("]" + size)


def _array(v: list) -> tuple[tuple | None, list]:
    """(shape, flat elements) of a rectangular nested list; (None, v) when it is ragged."""
    try:
        arr = np.asarray(v)
    except ValueError:  # ragged
        return None, v
    if arr.dtype.kind in "biuf":  # fast path for numeric arrays, which is nearly all of them
        return arr.shape, _Flat(arr.reshape(-1))
    shape = _shape(v)
    return shape, (_flatten(v) if shape else v)


class _Flat:
    """Lazy flat view: only the few elements shown are turned back into Python values."""

    def __init__(self, arr: np.ndarray):
        self.arr = arr

    def __len__(self) -> int:
        return self.arr.size

    def __getitem__(self, i: int):
        return self.arr[i].item()


def _merge(windows: list[tuple]) -> list[tuple]:
    out = []
    for lo, hi in sorted(windows):
        if out and lo <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], hi))
        else:
            out.append((lo, hi))
    return out


def _shape(v) -> tuple | None:
    """The shape of a rectangular nested list of scalars, else None."""
    if not isinstance(v, list):
        return ()
    if not v:
        return (0,)
    inner = [_shape(x) for x in v]
    if any(s is None for s in inner) or len(set(inner)) != 1:
        return None
    return (len(v),) + inner[0]


def _flatten(v) -> list:
    return [y for x in v for y in _flatten(x)] if isinstance(v, list) else [v]


def _where(where, value) -> str:
    """Flat differing indices, as multi-indices when the value is a matrix."""
    where = list(where or [])
    shape = _array(value)[0] if isinstance(value, list) else None
    shown = where[:_WHERE_LIMIT]
    if shape and len(shape) > 1 and all(isinstance(i, int) and 0 <= i < math.prod(shape)
                                        for i in shown):
        text = ", ".join(str(tuple(int(x) for x in np.unravel_index(i, shape))) for i in shown)
    else:
        text = ", ".join(str(i) for i in shown)
    if len(where) > _WHERE_LIMIT:
        text += f" … (+{len(where) - _WHERE_LIMIT} more)"
    return text


def _seconds(s) -> str:
    if not isinstance(s, (int, float)):
        return "—"
    if s < 1:
        return f"{s * 1000:.0f} ms"
    if s < 120:
        return f"{s:.1f} s"
    return f"{int(s // 60)} min {s % 60:.0f} s"


def _num(x, digits: int = 4) -> str:
    if x is None or isinstance(x, str):
        return "—" if x is None else x
    if isinstance(x, float):
        return f"{x:.{digits}g}"
    return str(x)


def _pvalue(p) -> str:
    if not isinstance(p, (int, float)):
        return "—"
    return "< 1e-6" if p < 1e-6 else f"{p:.3g}"


# -- divergence tables ----------------------------------------------------------------------------

def _divergence_view(div: dict) -> dict:
    """The differing fields (with readable indices) and every field side by side."""
    ref = div.get("reference") or {}
    fields = []
    for f in div.get("fields") or []:
        where = f.get("where") or []
        fields.append({**f, "where_text": _where(where, ref.get(f.get("field"), f.get("reference"))),
                       "reference": _at(f.get("reference"), where),
                       "ported": _at(f.get("ported"), where)})
    return {"fields": fields, "rows": _state_rows(div)}


def _at(value, where: list):
    """The elements of an array at the given flat indices (the whole value when it has none)."""
    if not where or not isinstance(value, list):
        return value
    shape, flat = _array(value)
    if shape is None or not all(isinstance(i, int) and 0 <= i < len(flat) for i in where):
        return value
    return [flat[i] for i in where]


def _state_rows(div: dict) -> list[dict]:
    """One row per field at the diverging step: previous, reference, ported; differing ones marked."""
    ref, port = div.get("reference") or {}, div.get("ported") or {}
    prev = div.get("previous_state") or {}
    differing = {f.get("field"): f for f in div.get("fields") or []}
    names = list(ref) + [k for k in port if k not in ref]
    names += [k for k in differing if k not in names]
    rows = []
    for name in names:
        f = differing.get(name)
        marks = (f or {}).get("where") or ()
        rows.append({
            "field": name, "differs": f is not None,
            "previous": prev.get(name, prev.get(name.removeprefix("state."))),
            "reference": ref.get(name, (f or {}).get("reference")),
            "ported": port.get(name, (f or {}).get("ported")),
            "marks": marks, "tolerance": (f or {}).get("tolerance")})
    return rows


# -- inline SVG plots -----------------------------------------------------------------------------

_REF_COLOUR, _PORT_COLOUR = "#2b6cb0", "#dd6b20"
_W, _H, _PAD_L, _PAD_R, _PAD_T, _PAD_B = 440, 170, 44, 12, 22, 30


def _stats_svg(stats: dict) -> Markup:
    """Overlaid distributions (and ECDFs for continuous metrics) plus the difference vs the margin."""
    ref = [x for x in stats.get("samples_ref") or [] if isinstance(x, (int, float))]
    port = [x for x in stats.get("samples_port") or [] if isinstance(x, (int, float))]
    panels = []
    if ref and port:
        if stats.get("kind") == "categorical":
            panels.append(_bars_svg(ref, port))
        else:
            panels += [_histogram_svg(ref, port, stats), _ecdf_svg(ref, port)]
    else:
        panels.append(_svg(_W, 40, [_text(_W / 2, 24, "no finite samples to plot", "middle")]))
    panels.append(_margin_svg(stats))
    return Markup("").join(panels)


def _histogram_svg(ref, port, stats) -> Markup:
    lo, hi = min(min(ref), min(port)), max(max(ref), max(port))
    if lo == hi:
        lo, hi = lo - 0.5, hi + 0.5
    bins = int(np.clip(np.sqrt(max(len(ref), len(port))), 5, 40))
    edges = np.linspace(lo, hi, bins + 1)
    dens = [np.histogram(s, edges)[0] / len(s) for s in (ref, port)]
    top = max(d.max() for d in dens) or 1.0
    x, y = _scale(lo, hi, _PAD_L, _W - _PAD_R), _scale(0, top * 1.1, _H - _PAD_B, _PAD_T)
    body = _axes(x, y, lo, hi, 0, top * 1.1, "fraction of episodes")
    for d, colour in zip(dens, (_REF_COLOUR, _PORT_COLOUR)):
        for i, h in enumerate(d):
            if h > 0:
                body.append(f'<rect x="{x(edges[i]):.1f}" y="{y(h):.1f}" '
                            f'width="{max(x(edges[i + 1]) - x(edges[i]) - 1, 1):.1f}" '
                            f'height="{y(0) - y(h):.1f}" fill="{colour}" fill-opacity="0.45"/>')
    for key, colour in (("mean_ref", _REF_COLOUR), ("mean_port", _PORT_COLOUR)):
        m = stats.get(key)
        if isinstance(m, (int, float)) and lo <= m <= hi:
            body.append(f'<line x1="{x(m):.1f}" x2="{x(m):.1f}" y1="{_PAD_T}" y2="{y(0):.1f}" '
                        f'stroke="{colour}" stroke-width="2" stroke-dasharray="4 2"/>')
    body += _legend("histogram; dashed: means")
    return _svg(_W, _H, body)


def _ecdf_svg(ref, port) -> Markup:
    lo, hi = min(min(ref), min(port)), max(max(ref), max(port))
    if lo == hi:
        lo, hi = lo - 0.5, hi + 0.5
    x, y = _scale(lo, hi, _PAD_L, _W - _PAD_R), _scale(0, 1, _H - _PAD_B, _PAD_T)
    body = _axes(x, y, lo, hi, 0, 1, "cumulative fraction")
    for s, colour in ((ref, _REF_COLOUR), (port, _PORT_COLOUR)):
        xs = np.sort(np.asarray(s, dtype=float))
        pts, prev = [f"{x(lo):.1f},{y(0):.1f}"], 0.0
        for i, v in enumerate(xs):
            frac = (i + 1) / len(xs)
            pts += [f"{x(v):.1f},{y(prev):.1f}", f"{x(v):.1f},{y(frac):.1f}"]
            prev = frac
        pts.append(f"{x(hi):.1f},{y(1):.1f}")
        body.append(f'<polyline points="{" ".join(pts)}" fill="none" stroke="{colour}" '
                    f'stroke-width="1.5"/>')
    body += _legend("empirical CDF (KS compares these)")
    return _svg(_W, _H, body)


def _bars_svg(ref, port) -> Markup:
    cats = sorted(set(ref) | set(port))
    shares = [[s.count(c) / len(s) for c in cats] for s in (ref, port)]
    top = max(max(s) for s in shares) or 1.0
    width = (_W - _PAD_L - _PAD_R) / len(cats)
    y = _scale(0, top * 1.1, _H - _PAD_B, _PAD_T)
    body = _axes(None, y, 0, 0, 0, top * 1.1, "fraction of episodes")
    for i, c in enumerate(cats):
        x0 = _PAD_L + i * width
        for j, colour in enumerate((_REF_COLOUR, _PORT_COLOUR)):
            h = shares[j][i]
            body.append(f'<rect x="{x0 + width * (0.1 + 0.4 * j):.1f}" y="{y(h):.1f}" '
                        f'width="{width * 0.38:.1f}" height="{y(0) - y(h):.1f}" fill="{colour}"/>')
        body.append(_text(x0 + width / 2, _H - _PAD_B + 13, _tick_label(c), "middle"))
    body += _legend("share of each category")
    return _svg(_W, _H, body)


def _margin_svg(stats: dict) -> Markup:
    """The difference of means and its CI against the equivalence band [-margin, +margin]."""
    m, d, ci = stats.get("margin"), stats.get("diff"), stats.get("ci") or [None, None]
    if not isinstance(m, (int, float)) or not isinstance(d, (int, float)):
        return Markup("")
    lo_ci, hi_ci = (c if isinstance(c, (int, float)) else d for c in ci)
    span = max(1.6 * m, abs(lo_ci) * 1.1, abs(hi_ci) * 1.1, abs(d) * 1.1)
    h, mid = 96, 40
    x = _scale(-span, span, _PAD_L, _W - _PAD_R)
    colour = {"equivalent": "#2f855a", "divergent": "#c53030"}.get(stats.get("verdict"), "#b7791f")
    body = [
        f'<rect x="{x(-m):.1f}" y="{mid - 14}" width="{x(m) - x(-m):.1f}" height="28" '
        f'fill="#c6f6d5"/>',
        f'<line x1="{x(0):.1f}" x2="{x(0):.1f}" y1="{mid - 18}" y2="{mid + 18}" stroke="#718096"/>',
        f'<line x1="{x(lo_ci):.1f}" x2="{x(hi_ci):.1f}" y1="{mid}" y2="{mid}" stroke="{colour}" '
        f'stroke-width="3"/>',
        *(f'<line x1="{x(c):.1f}" x2="{x(c):.1f}" y1="{mid - 6}" y2="{mid + 6}" stroke="{colour}" '
          f'stroke-width="2"/>' for c in (lo_ci, hi_ci)),
        f'<circle cx="{x(d):.1f}" cy="{mid}" r="4" fill="{colour}"/>',
        _text(x(-m), mid - 19, f"−{_tick_label(m)}", "middle"),
        _text(x(m), mid - 19, f"+{_tick_label(m)}", "middle"),
        _text(x(0), mid + 28, "0", "middle"),
        _text(6, h - 8, f"ported − reference {_num(d, 3)}, CI [{_num(lo_ci, 3)}, "
                        f"{_num(hi_ci, 3)}]; green band: margin", "start"),
    ]
    return _svg(_W, h, body)


def _growth_svg(growth: dict) -> Markup:
    """Log-scale error against step: the port and the one-ulp-perturbed reference."""
    floor = 1e-17  # exact zeros are drawn on the floor
    series = []
    for key, colour in (("reference_perturbed", _REF_COLOUR), ("ported", _PORT_COLOUR)):
        for level, dash in (("0.5", ""), ("0.9", ' stroke-dasharray="4 3"')):
            ys = [v for v in (growth.get(key) or {}).get(level) or []]
            if ys:
                series.append(([max(float(v or 0.0), floor) for v in ys], colour, dash))
    if not series:
        return _svg(_W, 40, [_text(_W / 2, 24, "no error recorded", "middle")])
    horizon = max(len(ys) for ys, _, _ in series)
    lo = math.floor(math.log10(min(min(ys) for ys, _, _ in series)))
    hi = max(math.ceil(math.log10(max(max(ys) for ys, _, _ in series))), lo + 1)
    x, y = _scale(0, max(horizon - 1, 1), _PAD_L, _W - _PAD_R), _scale(lo, hi, _H - _PAD_B, _PAD_T)
    body = _axes(x, None, 0, max(horizon - 1, 1), 0, 0, "log10 error")
    body += [_text(_PAD_L - 4, y(t) + 3, f"{t}", "end") for t in range(lo, hi + 1, max(1, (hi - lo) // 5))]
    for ys, colour, dash in series:
        pts = " ".join(f"{x(t):.1f},{y(math.log10(v)):.1f}" for t, v in enumerate(ys))
        body.append(f'<polyline points="{pts}" fill="none" stroke="{colour}" stroke-width="1.5"{dash}/>')
    body += _legend("error against step", reference="ref +1 ulp")
    return _svg(_W, _H, body)


def _scale(d0, d1, r0, r1):
    k = (r1 - r0) / (d1 - d0) if d1 != d0 else 0.0
    return lambda v: r0 + (v - d0) * k


def _axes(x, y, x_lo, x_hi, y_lo, y_hi, y_label) -> list[str]:
    base, left = _H - _PAD_B, _PAD_L
    parts = [f'<line x1="{left}" x2="{_W - _PAD_R}" y1="{base}" y2="{base}" stroke="#4a5568"/>',
             f'<line x1="{left}" x2="{left}" y1="{_PAD_T}" y2="{base}" stroke="#4a5568"/>',
             _text(4, _PAD_T - 8, y_label, "start")]
    if x is not None:
        for t in _ticks(x_lo, x_hi):
            parts += [f'<line x1="{x(t):.1f}" x2="{x(t):.1f}" y1="{base}" y2="{base + 4}" '
                      f'stroke="#4a5568"/>', _text(x(t), base + 15, _tick_label(t), "middle")]
    if y is not None:
        for t in _ticks(y_lo, y_hi, 3):
            parts.append(_text(left - 4, y(t) + 3, _tick_label(t), "end"))
    return parts


def _legend(what: str, reference: str = "reference") -> list[str]:
    x0 = _W - _PAD_R - 150
    return [f'<rect x="{x0}" y="4" width="9" height="9" fill="{_REF_COLOUR}"/>',
            _text(x0 + 12, 12, reference, "start"),
            f'<rect x="{x0 + 75}" y="4" width="9" height="9" fill="{_PORT_COLOUR}"/>',
            _text(x0 + 87, 12, "ported", "start"),
            f"<title>{escape(what)}</title>"]


def _ticks(lo: float, hi: float, n: int = 5) -> list[float]:
    if not hi > lo:
        return [lo]
    raw = (hi - lo) / n
    step = 10 ** math.floor(math.log10(raw))
    step *= next(k for k in (1, 2, 2.5, 5, 10) if raw <= k * step)
    first = math.ceil(lo / step) * step
    return [first + i * step for i in range(int((hi - first) / step + 1e-9) + 1)]


def _tick_label(v) -> str:
    return f"{v:.4g}" if isinstance(v, (int, float)) else str(v)


def _text(x: float, y: float, s: str, anchor: str) -> str:
    return f'<text x="{x:.1f}" y="{y:.1f}" text-anchor="{anchor}">{escape(s)}</text>'


def _svg(w: int, h: int, body: list[str]) -> Markup:
    return Markup(f'<svg class="plot" width="{w}" height="{h}" '
                  f'viewBox="0 0 {w} {h}" role="img">{"".join(str(b) for b in body)}</svg>')


_env.filters.update(value=_value, seconds=_seconds, num=_num, pvalue=_pvalue)
_env.globals.update(divergence_view=_divergence_view, stats_svg=_stats_svg, growth_svg=_growth_svg)
