/**
 * Reads a feature repository from disk into the model: entities and feature services from YAML,
 * feature views and training sets from {@code .sql} files with a metadata header.
 */
package io.asof.features.repository;
