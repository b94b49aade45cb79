"""The benchmark's verdicts (issue 17): a ratio is judged against the ceiling measured next to it."""

from bench import run


def _result(name, rps, p95=10.0):
    result = run.Result(name, ["/"])
    result.requests, result.seconds, result.p50, result.p95 = int(rps * 10), 10.0, p95 / 2, p95
    return result


def test_adjacent_ceiling_is_the_faster_neighbour():
    results = [_result(run.CEILING, 1000), _result(run.SPOT, 800), _result("list", 700), _result(run.SPOT, 900),
               _result("document-cold", 280), _result(run.CEILING, 780)]
    assert run.adjacent_ceiling(results, 2) == 900
    assert run.adjacent_ceiling(results, 4) == 900


def test_a_scenario_passes_or_fails_by_its_adjacent_ceiling(capsys):
    targets = {"document-cold": (0.30, 50.0), "list": (0.80, 50.0)}
    drifting = [_result(run.CEILING, 1100), _result(run.SPOT, 1000), _result("list", 850),
                _result(run.SPOT, 900), _result("document-cold", 280), _result(run.CEILING, 800)]
    assert run.report(drifting, targets) == 0  # 85 % of 1,000 and 31 % of 900
    out = capsys.readouterr().out
    assert "PASS  document-cold" in out and "25 % of the first/last" in out
    slow = [*drifting[:4], _result("document-cold", 260), drifting[5]]
    assert run.report(slow, targets) == 1
    assert "FAIL  document-cold" in capsys.readouterr().out


def test_without_spot_ceilings_the_first_and_last_decide(capsys):
    results = [_result(run.CEILING, 1000), _result("document-cold", 290), _result(run.CEILING, 700)]
    assert run.report(results, {"document-cold": (0.30, 50.0)}) == 1
    results[1] = _result("document-cold", 310, p95=60.0)
    assert run.report(results, {"document-cold": (0.30, 50.0)}) == 1  # the p95 target still holds
    assert "p95 < 50 ms (60.0 ms)" in capsys.readouterr().out
