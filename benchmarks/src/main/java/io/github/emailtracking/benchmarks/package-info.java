/**
 * One command that measures the product where it is busiest: the open route on each store, against
 * a bare servlet in the same container, and the campaign report of a large campaign. See {@link
 * io.github.emailtracking.benchmarks.TrackingBenchmark}.
 */
package io.github.emailtracking.benchmarks;
