package io.asof.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class TestServerHistogram {
  private static String scrape(int under100us, int under200us, int under1ms, int over) {
    String labels = "route=\"/v1/online-features\",status=\"200\"";
    return """
        # HELP asof_http_request_duration_seconds Time to answer a request, by route and status.
        asof_http_request_duration_seconds_bucket{%1$s,le="1.0E-4"} %2$d
        asof_http_request_duration_seconds_bucket{%1$s,le="2.0E-4"} %3$d
        asof_http_request_duration_seconds_bucket{%1$s,le="0.001"} %4$d
        asof_http_request_duration_seconds_bucket{%1$s,le="+Inf"} %5$d
        asof_http_request_duration_seconds_bucket{route="/v1/online-features",status="404",le="1.0E-4"} 7
        asof_http_request_duration_seconds_bucket{route="/v1/health",status="200",le="1.0E-4"} 9
        asof_http_request_duration_seconds_count{%1$s} %5$d
        """
        .formatted(
            labels,
            under100us,
            under100us + under200us,
            under100us + under200us + under1ms,
            under100us + under200us + under1ms + over);
  }

  @Test
  void quantilesOfTheRequestsBetweenTwoScrapesInterpolateInsideTheirBucket() {
    ServerHistogram before = ServerHistogram.parse(scrape(5, 0, 0, 0), "/v1/online-features");
    // since then: 50 requests under 100 us, 40 between 100 and 200 us, 10 between 200 us and 1 ms
    ServerHistogram after = ServerHistogram.parse(scrape(55, 40, 10, 0), "/v1/online-features");
    ServerHistogram run = after.minus(before);

    assertThat(run.count()).isEqualTo(100);
    // the 50th request is the last of the first bucket
    assertThat(run.quantileMillis(0.50)).isCloseTo(0.100, within(1e-9));
    // the 75th is 25 of 40 into (100 us, 200 us]
    assertThat(run.quantileMillis(0.75)).isCloseTo(0.1625, within(1e-9));
    // the 99th is 9 of 10 into (200 us, 1 ms]
    assertThat(run.quantileMillis(0.99)).isCloseTo(0.92, within(1e-9));
  }

  @Test
  void aQuantileBeyondTheLastFiniteBoundIsThatBoundAndNoRequestsIsNaN() {
    ServerHistogram slow = ServerHistogram.parse(scrape(0, 0, 1, 9), "/v1/online-features");
    assertThat(slow.quantileMillis(0.99)).isEqualTo(1.0);
    assertThat(ServerHistogram.parse("", "/v1/online-features").quantileMillis(0.5)).isNaN();
    assertThat(ServerHistogram.parse(scrape(3, 0, 0, 0), "/v1/push").count()).isZero();
  }
}
