package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/anguan/anguan/internal/apperr"
	"github.com/anguan/anguan/internal/audit"
)

// cmdCalendar lists the loaded holiday years or imports one year's file
// (the November task of a system administrator). A file with problems
// changes nothing: every problem is printed and the exit status is 2.
func cmdCalendar(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	if len(args) == 0 || (args[0] != "import" && args[0] != "list") {
		fmt.Fprintln(stderr, "usage: anguan calendar list | anguan calendar import FILE")
		return exitError(2)
	}
	sub, flags := args[0], args[1:]
	// The file may come before the flags ("import 2027.json --db …"),
	// where the flag package would stop parsing.
	var file []string
	if sub == "import" && len(flags) > 0 && !strings.HasPrefix(flags[0], "-") {
		file, flags = flags[:1], flags[1:]
	}
	app, rest, err := open(ctx, "calendar "+sub, flags, getenv, stderr, nil)
	if err != nil {
		return err
	}
	defer app.DB.Close()
	t := app.T
	if sub == "list" {
		if err := noArgs(rest); err != nil {
			return err
		}
		ys, data, err := app.Calendar.Years(ctx)
		if err != nil {
			return err
		}
		for i, y := range ys {
			fmt.Fprintln(stdout, t.T("cli.calendar_year", y.Year, len(data[i].Holidays), len(data[i].Workdays), y.Source))
		}
		return nil
	}
	rest = append(file, rest...)
	if len(rest) != 1 {
		fmt.Fprintln(stderr, "usage: anguan calendar import FILE")
		return exitError(2)
	}
	b, err := os.ReadFile(rest[0])
	if err != nil {
		fmt.Fprintln(stderr, t.T("cli.calendar_read", rest[0], err))
		return exitError(2)
	}
	res, err := app.Calendar.Import(ctx, nil, audit.System("calendar import"), b)
	if v, ok := apperr.AsValidation(err); ok {
		fmt.Fprintln(stderr, t.T("cli.calendar_refused", rest[0]))
		for _, f := range v.Fields {
			fmt.Fprintf(stderr, "  %s: %s\n", f.Field, t.T(f.Key, f.Args...))
		}
		return exitError(2)
	}
	if err != nil {
		return errors.Join(errors.New(t.T("cli.calendar_failed")), err)
	}
	key := "cli.calendar_imported"
	if res.Replaced {
		key = "cli.calendar_replaced"
	}
	fmt.Fprintln(stdout, t.T(key, res.Year.Year, len(res.Year.Holidays), len(res.Year.Workdays), res.Recomputed))
	return nil
}

// cmdClocks recomputes every open clock: after changing ANGUAN_WARN_DAYS,
// or to repair stored clocks. Serving instances also do it daily.
func cmdClocks(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	if len(args) == 0 || args[0] != "recompute" {
		fmt.Fprintln(stderr, "usage: anguan clocks recompute")
		return exitError(2)
	}
	app, rest, err := open(ctx, "clocks recompute", args[1:], getenv, stderr, nil)
	if err != nil {
		return err
	}
	defer app.DB.Close()
	if err := noArgs(rest); err != nil {
		return err
	}
	n, err := app.Board.Recompute(ctx, audit.System("clocks recompute"))
	if err != nil {
		return err
	}
	fmt.Fprintln(stdout, app.T.T("cli.clocks_recomputed", n))
	return nil
}
