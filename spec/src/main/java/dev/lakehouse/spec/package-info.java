/**
 * The pipeline spec: {@code lakehouse.conf} found and read by {@link dev.lakehouse.spec.SpecLoader} into
 * immutable, validated records rooted at {@link dev.lakehouse.spec.PipelineSpec}. Every other module gets its
 * configuration from these records; none parses the file or reads the variables it substitutes.
 */
package dev.lakehouse.spec;
