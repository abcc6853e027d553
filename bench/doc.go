// Package bench holds the end-to-end benchmarks (性能基准) that the README
// reports: pages through the full HTTP handler over a large synthetic data
// set, each next to the bare SQL of the same query on the same engine,
// measured in the same run. Run with:
//
//	go test ./bench -run '^$' -bench . -benchtime 200x
//
// ANGUAN_BENCH_CASES sets the data size (default 100000);
// ANGUAN_TEST_POSTGRES adds PostgreSQL.
package bench
