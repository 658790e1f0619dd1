package io.asof.athena.emulator;

import static java.util.Objects.requireNonNull;

import java.util.OptionalLong;

/**
 * An Athena workgroup as the emulator knows it.
 *
 * @param name its name
 * @param outputLocation where results of queries that name none would go
 * @param bytesScannedCutoffPerQuery the most a query may scan before it is cancelled, if limited
 */
record WorkGroup(String name, String outputLocation, OptionalLong bytesScannedCutoffPerQuery) {
  WorkGroup {
    requireNonNull(name, "name is null");
    requireNonNull(outputLocation, "outputLocation is null");
    requireNonNull(bytesScannedCutoffPerQuery, "bytesScannedCutoffPerQuery is null");
  }
}
