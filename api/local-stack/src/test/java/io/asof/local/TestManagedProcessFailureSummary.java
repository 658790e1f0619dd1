package io.asof.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class TestManagedProcessFailureSummary {
  @Test
  void mainThreadErrorWinsOverEarlierRequestThreadErrors() {
    List<String> log =
        List.of(
            "2026-11-23T06:41:30.001Z\tINFO\tmain\tio.trino.server.Server\tJava version: 25",
            "2026-11-23T06:41:31.002Z\tERROR\thttp-worker-87\torg.eclipse.jetty.server.Response"
                + "\tError while closing the output stream in order to commit response",
            "java.io.UncheckedIOException: org.eclipse.jetty.io.EofException: reset",
            "\tat org.eclipse.jetty.server.Response.close(Response.java:1)",
            "2026-11-23T06:41:32.003Z\tERROR\tmain\tio.trino.server.Server"
                + "\tUnable to create injector, see the following errors:",
            "",
            "1) Error: Unknown Iceberg catalog type: NO_SUCH_CATALOG",
            "\tat io.trino.plugin.iceberg.IcebergModule.setup(IcebergModule.java:1)");

    assertThat(ManagedProcess.failureSummary(log))
        .isEqualTo(
            "Unable to create injector, see the following errors: "
                + "1) Error: Unknown Iceberg catalog type: NO_SUCH_CATALOG");
  }

  @Test
  void configurationErrorsReadTheReasonFromTheNextLine() {
    List<String> log =
        List.of(
            "2026-11-23T06:41:32.003Z\tERROR\tmain\tio.trino.server.Server"
                + "\tConfiguration is invalid",
            "==========",
            "",
            "Errors:",
            "1) Invalid configuration property http-server.http.port: must be greater than 0");

    assertThat(ManagedProcess.failureSummary(log))
        .isEqualTo(
            "Configuration is invalid 1) Invalid configuration property http-server.http.port:"
                + " must be greater than 0");
  }

  @Test
  void jvmThatDidNotStartIsReportedByItsFirstErrorLine() {
    List<String> log =
        List.of(
            "Error: Could not find or load main class io.trino.server.TrinoServer",
            "Caused by: java.lang.ClassNotFoundException: io.trino.server.TrinoServer");

    assertThat(ManagedProcess.failureSummary(log))
        .isEqualTo(
            "Error: Could not find or load main class io.trino.server.TrinoServer "
                + "Caused by: java.lang.ClassNotFoundException: io.trino.server.TrinoServer");
  }

  @Test
  void logWithoutErrorsIsReportedByItsLastLine() {
    assertThat(ManagedProcess.failureSummary(List.of("starting", "  killed  ")))
        .isEqualTo("killed");
    assertThat(ManagedProcess.failureSummary(List.of())).isEqualTo("the log is empty");
  }
}
