package io.asof.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.asof.jobs.DriftReport.Level;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The PSI and its levels, against values worked out by hand. */
class TestDriftReport {
  @Test
  void theSameDistributionHasNoDrift() {
    assertThat(DriftReport.psi(List.of(10L, 20L, 70L), List.of(1L, 2L, 7L))).isZero();
  }

  @Test
  void psiIsTheSumOverBinsOfTheShareDifferenceTimesTheLogRatio() {
    // shares (0.5, 0.5) against (0.25, 0.75)
    double expected = (0.25 - 0.5) * Math.log(0.25 / 0.5) + (0.75 - 0.5) * Math.log(0.75 / 0.5);
    assertThat(DriftReport.psi(List.of(50L, 50L), List.of(25L, 75L)))
        .isCloseTo(expected, within(1e-12));
  }

  @Test
  void anEmptyBinCountsAsEpsilon() {
    double e = DriftReport.EPSILON;
    double expected = (e - 0.5) * Math.log(e / 0.5) + (1 - 0.5) * Math.log(1 / 0.5);
    assertThat(DriftReport.psi(List.of(1L, 1L), List.of(0L, 4L)))
        .isCloseTo(expected, within(1e-12))
        .isGreaterThan(0.25);
  }

  @Test
  void levelsFollowTheThresholds() {
    assertThat(Level.of(0.0)).isEqualTo(Level.STABLE);
    assertThat(Level.of(0.0999)).isEqualTo(Level.STABLE);
    assertThat(Level.of(0.1)).isEqualTo(Level.MODERATE);
    assertThat(Level.of(0.25)).isEqualTo(Level.MODERATE);
    assertThat(Level.of(0.2501)).isEqualTo(Level.SIGNIFICANT);
  }

  @Test
  void psiNeedsTheSameBinsAndValuesOnBothSides() {
    assertThatThrownBy(() -> DriftReport.psi(List.of(1L), List.of(1L, 2L)))
        .hasMessage("PSI compares the same bins: 1 and 2");
    assertThatThrownBy(() -> DriftReport.psi(List.of(0L, 0L), List.of(1L, 2L)))
        .hasMessage("PSI needs values on both sides");
  }

  @Test
  void numbersReadAsPeopleWriteThem() {
    assertThat(DriftService.number(3.0)).isEqualTo("3");
    assertThat(DriftService.number(0.25)).isEqualTo("0.25");
    assertThat(DriftService.number(1.0 / 3)).isEqualTo("0.333333");
  }
}
