// Command load is the HTTP load driver of issue 7: it logs sessions in
// through the real login form of a running `anguan serve` and measures the
// latency (p50/p95/p99) of the case list, case detail, search, home page
// (dashboard), deadline board and indicator dashboard at several levels of
// concurrent sessions (users who may read indicators: case managers,
// chiefs, upper supervisors).
// With -db it also runs, at the same concurrency and for the same time, the
// bare SQL of each request kind on the same database (baresql.go), so each
// figure stands next to its reference measured in the same run. Run with:
//
//	go run ./bench/load -url http://127.0.0.1:8080 -users kashi_cm,shule_chief \
//	    -db sqlite:data/anguan.db -engine-label 'SQLite, 1,000,000 cases' -out bench/results/load.md
//
// Bad flags exit with status 2; a run in which any request failed writes
// its report (the failures counted in it) and exits with status 1.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

// run is the whole command with its exit status, so the test can drive it
// as an operator would.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	cfg, err := parseFlags(args, stderr)
	if errors.Is(err, flag.ErrHelp) {
		return 0
	}
	if err != nil {
		fmt.Fprintf(stderr, "load: %v\n", err)
		return 2
	}
	res, err := drive(ctx, cfg, stderr)
	if err != nil {
		fmt.Fprintf(stderr, "load: %v\n", err)
		return 1
	}
	report := res.markdown(cfg, args)
	if cfg.out == "" {
		if _, err := io.WriteString(stdout, report); err != nil {
			fmt.Fprintf(stderr, "load: %v\n", err)
			return 1
		}
	} else if err := os.WriteFile(cfg.out, []byte(report), 0o644); err != nil {
		fmt.Fprintf(stderr, "load: %v\n", err)
		return 1
	}
	if n := res.failures(); n > 0 {
		// The report counts them too; the status keeps a script from
		// publishing a table with failures unnoticed.
		fmt.Fprintf(stderr, "load: %d requests failed (see the report)\n", n)
		return 1
	}
	return 0
}
