"""bench_http reads wrk's report right: a failed request can't pass unnoticed."""

from hiring_site.management.commands.bench_http import parse_wrk

CLEAN = """Running 2s test @ http://127.0.0.1:8931/
  1 threads and 2 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency     1.67ms    1.96ms  24.79ms   88.19%
    Req/Sec     1.44k   389.75     2.06k    60.00%
  Latency Distribution
     50%  835.00us
     75%    1.92ms
     90%    3.85ms
     99%    1.20s
  2876 requests in 2.00s, 525.39KB read
Requests/sec:   1435.57
Transfer/sec:    262.25KB
"""

FAILING = CLEAN.replace(
    "  2876 requests in 2.00s, 525.39KB read\n",
    "  2876 requests in 2.00s, 525.39KB read\n"
    "  Socket errors: connect 1, read 12, write 0, timeout 3\n"
    "  Non-2xx or 3xx responses: 40\n",
)


def test_a_clean_run():
    figures = parse_wrk(CLEAN)
    assert figures == {
        "requests": 2876,
        "requests_per_second": 1435.57,
        "p50_ms": 0.83,
        "p90_ms": 3.85,
        "p99_ms": 1200.0,
        "non_2xx_3xx": 0,
        "socket_errors": 0,
    }


def test_socket_errors_and_bad_answers_are_counted():
    figures = parse_wrk(FAILING)
    assert figures["socket_errors"] == 16
    assert figures["non_2xx_3xx"] == 40
