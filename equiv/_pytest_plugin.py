"""The pytest plugin: ``pytest --equiv reference=X ported=Y``.

Silent unless ``--equiv`` is given: no imports beyond pytest, no output, no items.
With it, every planned check of every pair becomes one pytest item, so the
output shows exactly what failed, and each pair's report is (re)written after
every item, so an interrupted run still leaves a report marked partial.
"""
from __future__ import annotations

import pytest

EQUIV_OPTION = "--equiv"
TIER_OPTION = "--equiv-tier"
REPORT_OPTION = "--equiv-report"
SEED_OPTION = "--equiv-seed"
LAYERS_OPTION = "--equiv-layers"
STRICT_OPTION = "--equiv-strict"
TIMEOUT_OPTION = "--equiv-timeout"
_KEY = pytest.StashKey[list]()


def pytest_addoption(parser):
    group = parser.getgroup("equiv", "equiv: reference vs port equivalence")
    group.addoption(EQUIV_OPTION, action="append", nargs="+", metavar="KEY=VALUE", default=None,
                    help="check a pair: reference=NAME ported=NAME [variant=A,B] [policy=P]; repeatable")
    group.addoption(TIER_OPTION, choices=("quick", "standard", "deep"), default="quick",
                    help="how hard to look (default: quick, the pre-merge gate)")
    group.addoption(REPORT_OPTION, default="equiv-report", metavar="DIR",
                    help="folder for the per-pair JSON and HTML reports (default: equiv-report/)")
    group.addoption(SEED_OPTION, type=int, default=0, help="base seed for every generated case (default 0)")
    group.addoption(LAYERS_OPTION, default="L1,L2,L3", help="layers to run, e.g. L1,L2 (default: all)")
    group.addoption(TIMEOUT_OPTION, type=float, default=None, metavar="SECONDS",
                    help="seconds any one adapter call may take before it is treated as hung and its item "
                         "ends as an ERROR (default: the tier's, 600 s at quick)")
    group.addoption(STRICT_OPTION, action="store_true", default=False,
                    help="INCONCLUSIVE statistics fail the gate (default: they show as skipped and the "
                         "run can still pass)")


def _active(config) -> bool:
    return bool(config.getoption(EQUIV_OPTION, default=None))


def pytest_configure(config):
    if not _active(config):
        return
    from equiv._errors import EquivError
    from equiv._pair import LAYERS, PairRun, RunOptions, parse_pair_spec

    layers = tuple(x.strip() for x in config.getoption(LAYERS_OPTION).split(",") if x.strip())
    bad = [x for x in layers if x not in LAYERS]
    if bad or not layers:
        raise pytest.UsageError(f"{LAYERS_OPTION}: unknown layer(s) {bad}; use a comma list of {list(LAYERS)}")
    def progress(line):
        # Straight to the terminal while an item runs (output captured there would only show on failure),
        # so a slow item can be told from a stuck one. Looked up now: at configure time the terminal
        # reporter may not be registered yet.
        reporter = config.pluginmanager.get_plugin("terminalreporter")
        capture = config.pluginmanager.get_plugin("capturemanager")
        if reporter is None:
            return
        if capture is not None:
            with capture.global_and_fixture_disabled():
                reporter.write_line(line)
        else:
            reporter.write_line(line)

    pairs = []
    try:
        for words in config.getoption(EQUIV_OPTION):
            spec = parse_pair_spec(words)
            options = RunOptions(tier=config.getoption(TIER_OPTION), seed=config.getoption(SEED_OPTION),
                                 layers=layers, report_dir=config.getoption(REPORT_OPTION),
                                 command="pytest " + " ".join(config.invocation_params.args),
                                 variants=tuple(spec["variant"].split(",")) if "variant" in spec else None,
                                 policies=tuple(spec["policy"].split(",")) if "policy" in spec else None,
                                 progress=progress, strict=config.getoption(STRICT_OPTION),
                                 timeout=config.getoption(TIMEOUT_OPTION),
                                 on_stuck=lambda message: _write_all(config, message))
            pairs.append(PairRun(spec["reference"], spec["ported"], options))
    except EquivError as e:
        raise pytest.UsageError(f"equiv: {e}") from None
    config.stash[_KEY] = pairs


def pytest_ignore_collect(collection_path, config):
    # `pytest --equiv ...` with no paths runs the gate only, not the project's own tests.
    if _active(config) and config.args_source != pytest.Config.ArgsSource.ARGS:
        return True
    return None


def pytest_collection_modifyitems(session, config, items):
    if not _active(config):
        return
    for pair in config.stash[_KEY]:
        name = f"equiv[{pair.reference}-vs-{pair.ported}]"
        collector = PairCollector.from_parent(session, name=name, nodeid=name, pair=pair)
        items.extend(collector.collect())


def pytest_report_header(config):
    if not _active(config):
        return None
    pairs = config.stash.get(_KEY, [])
    lines = [f"equiv: tier {config.getoption(TIER_OPTION)}, seed {config.getoption(SEED_OPTION)}, reports in "
             f"{config.getoption(REPORT_OPTION)}/"]
    for p in pairs:
        lines.append(f"equiv: {p.suite.family}: {p.reference} vs {p.ported}, variants {p.variants}, "
                     f"{p.sync.describe()}")
    return lines


def pytest_collection_finish(session):
    """Say per layer what each pair will check and what it cannot, and why: nothing is left out silently."""
    config = session.config
    if not _active(config) or _KEY not in config.stash:
        return
    reporter = config.pluginmanager.get_plugin("terminalreporter")
    if reporter is None:
        return
    for p in config.stash[_KEY]:
        reporter.write_line(f"equiv: {p.reference} vs {p.ported}: {len(p.specs)} checks planned")
        for n in p.notes:
            reporter.write_line(f"equiv:   {n['layer']} {n['check']}: {'runs' if n['ran'] else 'NOT RUN'}"
                                f" - {n['why']}")


class EquivFailure(Exception):
    """An item's failure; shown as its message, without a Python traceback."""


class PairCollector(pytest.Collector):
    def __init__(self, *, pair, **kwargs):
        super().__init__(**kwargs)
        self.pair = pair

    def collect(self):
        return [EquivItem.from_parent(self, name=spec.id, spec=spec) for spec in self.pair.plan()]


class EquivItem(pytest.Item):
    def __init__(self, *, spec, **kwargs):
        super().__init__(**kwargs)
        self.spec = spec

    def runtest(self):
        pair = self.parent.pair
        result = pair.run(self.spec)
        _write(pair)
        if result.outcome == "xfailed":
            pytest.xfail(result.summary)
        if result.outcome == "inconclusive":
            if pair.options.strict:
                raise EquivFailure(f"INCONCLUSIVE (--equiv-strict makes this a failure): {result.summary}")
            pytest.skip(result.summary)
        if result.outcome in ("failed", "error", "fixed"):
            head = {"failed": "DIVERGENT", "error": "ERROR", "fixed": "LEDGER STALE"}[result.outcome]
            body = result.message if result.message.startswith(result.summary) else \
                f"{result.summary}\n{result.message}"
            raise EquivFailure(f"{head}: {body}".rstrip())

    def repr_failure(self, excinfo, style=None):
        if isinstance(excinfo.value, EquivFailure):
            return str(excinfo.value)
        return super().repr_failure(excinfo, style)

    def reportinfo(self):
        return self.path, None, f"{self.parent.name}::{self.name}"


def _write(pair):
    try:
        return pair.write_report()
    except Exception as e:  # a report problem must not mask the check's own result
        import warnings
        warnings.warn(f"equiv: could not write the report for {pair.key}: {e}")
        return None


def _write_all(config, message: str = "") -> None:
    """Every pair's report, as it stands (a call stuck in native code is about to end the run)."""
    import datetime as _dt
    reporter = config.pluginmanager.get_plugin("terminalreporter")
    capture = config.pluginmanager.get_plugin("capturemanager")
    if reporter is not None and message:  # to the terminal: captured output dies with the process
        if capture is not None:
            capture.suspend_global_capture(in_=False)
        reporter.write_line(f"\nequiv: {message}", red=True)
        reporter.flush()
    for pair in config.stash.get(_KEY, []):
        pair.finished = _dt.datetime.now(_dt.timezone.utc)
        _write(pair)


def pytest_sessionfinish(session, exitstatus):
    config = session.config
    if not _active(config) or _KEY not in config.stash:
        return
    import datetime as _dt
    for pair in config.stash[_KEY]:
        pair.finished = _dt.datetime.now(_dt.timezone.utc)
        if exitstatus == pytest.ExitCode.INTERRUPTED:
            pair.interrupted = "interrupted (KeyboardInterrupt or a fatal error)"
        elif len(pair.results) < len(pair.specs):
            pair.interrupted = "stopped early (-x, --maxfail or deselection)"
        pair.paths = _write(pair)
        pair.close()


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    if not _active(config) or _KEY not in config.stash:
        return
    terminalreporter.section("equiv verdicts")
    for pair in config.stash[_KEY]:
        paths = getattr(pair, "paths", None)
        where = f" -> {paths[1]}" if paths else ""
        partial = " (PARTIAL)" if pair.interrupted else ""
        terminalreporter.write_line(f"{pair.suite.family}: {pair.reference} vs {pair.ported}: "
                                    f"{pair.verdict().upper()}{partial}{where}")
