/**
 * The model: immutable records of what users write in a feature repository (the spec), kept apart
 * from what the system records about it (the status).
 */
package io.asof.model;
