// Command anguan is the case-management workbench (案管) in one binary:
// the web server, the JSON API and the operator commands.
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
	err := run(ctx, os.Args[1:], os.Getenv, os.Stdin, os.Stdout, os.Stderr)
	stop()
	if err != nil {
		// An exitError has already told the user; anything else is said here.
		var ex exitError
		if errors.As(err, &ex) {
			os.Exit(int(ex))
		}
		if !errors.Is(err, flag.ErrHelp) {
			fmt.Fprintln(os.Stderr, "anguan:", err)
		}
		os.Exit(1)
	}
}

// exitError carries a specific exit status (e.g. 2 for usage errors).
type exitError int

func (e exitError) Error() string { return fmt.Sprintf("exit status %d", int(e)) }

const usage = `anguan — 检察案件管理工作台 / case-management workbench

usage:
  anguan demo    [--db DSN] [--addr HOST:PORT] [--cases N] [--password P] [--seed S]
  anguan serve   [--db DSN] [--addr HOST:PORT] [--log-format json|text] [--secure-cookies]
  anguan migrate [--db DSN]
  anguan seed    --demo [--db DSN] [--cases N] [--password P] [--seed S]
  anguan user list [--db DSN] [--json]
  anguan token create --user NAME [--ttl 24h] [--name LABEL] [--db DSN]
  anguan audit verify [--db DSN]
  anguan deadline calc < case.json   (statutory deadlines from events, explained)
  anguan calendar list [--db DSN]
  anguan calendar import FILE [--db DSN]   (one year of holidays; recomputes open clocks)
  anguan clocks recompute [--db DSN]       (after changing ANGUAN_WARN_DAYS)
  anguan import cards FILE --unit CODE [--dry-run] [--db DSN]
                                           (case cards from XLSX/CSV; rows checked first, all or nothing)
  anguan export --template [FILE]          (the case-card import template, XLSX)
  anguan dq scan [--db DSN]                (check every case card against the data-quality rules now)

DSN: sqlite:PATH (default sqlite:data/anguan.db) or postgres://…; also ANGUAN_DB.
`

// run is the whole program, testable without a process: arguments,
// environment and streams are parameters.
func run(ctx context.Context, args []string, getenv func(string) string, stdin io.Reader, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return exitError(2)
	}
	cmd, rest := args[0], args[1:]
	switch cmd {
	case "serve":
		return cmdServe(ctx, rest, getenv, stdout, stderr, nil)
	case "demo":
		return cmdDemo(ctx, rest, getenv, stdout, stderr)
	case "migrate":
		return cmdMigrate(ctx, rest, getenv, stdout, stderr)
	case "seed":
		return cmdSeed(ctx, rest, getenv, stdout, stderr)
	case "user":
		return cmdUser(ctx, rest, getenv, stdout, stderr)
	case "token":
		return cmdToken(ctx, rest, getenv, stdout, stderr)
	case "audit":
		return cmdAudit(ctx, rest, getenv, stdout, stderr)
	case "deadline":
		return cmdDeadline(ctx, rest, stdin, stdout, stderr)
	case "calendar":
		return cmdCalendar(ctx, rest, getenv, stdout, stderr)
	case "clocks":
		return cmdClocks(ctx, rest, getenv, stdout, stderr)
	case "import":
		return cmdImport(ctx, rest, getenv, stdout, stderr)
	case "export":
		return cmdExport(ctx, rest, getenv, stdout, stderr)
	case "dq":
		return cmdDataScan(ctx, rest, getenv, stdout, stderr)
	case "help", "-h", "--help":
		fmt.Fprint(stdout, usage)
		return nil
	default:
		fmt.Fprintf(stderr, "unknown command %q\n\n%s", cmd, usage)
		return exitError(2)
	}
}
