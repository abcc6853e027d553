package main

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/anguan/anguan/internal/audit"
	"github.com/anguan/anguan/internal/casecard"
	"github.com/anguan/anguan/internal/dataquality"
	"github.com/anguan/anguan/internal/i18n"
	"github.com/anguan/anguan/internal/org"
)

// cmdImport imports case cards exported from the national case system:
// `anguan import cards FILE --unit CODE [--dry-run]`. The file is
// validated row by row first; with any row error nothing is written, every
// error is printed (row, column, message) and the exit status is 2. With
// --dry-run the preview is printed and nothing is written either way.
func cmdImport(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	const use = "usage: anguan import cards FILE --unit CODE [--dry-run] [--db DSN]"
	if len(args) == 0 || args[0] != "cards" {
		fmt.Fprintln(stderr, use)
		return exitError(2)
	}
	flags := args[1:]
	// The file may come before the flags, where the flag package would
	// stop parsing.
	var file []string
	if len(flags) > 0 && !strings.HasPrefix(flags[0], "-") {
		file, flags = flags[:1], flags[1:]
	}
	var unitCode string
	var dryRun bool
	app, rest, err := open(ctx, "import cards", flags, getenv, stderr, func(fs *flag.FlagSet) {
		fs.StringVar(&unitCode, "unit", "", "code of the unit the cards belong to (8 digits)")
		fs.BoolVar(&dryRun, "dry-run", false, "validate and print the preview; write nothing")
	})
	if err != nil {
		return err
	}
	defer app.DB.Close()
	t := app.T
	rest = append(file, rest...)
	if len(rest) != 1 || unitCode == "" {
		fmt.Fprintln(stderr, use)
		return exitError(2)
	}
	unitID, err := unitByCode(ctx, app.Org.Units, unitCode)
	if err != nil {
		fmt.Fprintln(stderr, t.T("cli.cards_unit", unitCode))
		return exitError(2)
	}
	info, err := os.Stat(rest[0])
	if err == nil {
		err = casecard.CheckSize(info.Size())
	}
	if err != nil {
		fmt.Fprintln(stderr, t.T("cli.cards_read", rest[0], fileMessage(t, err)))
		return exitError(2)
	}
	data, err := os.ReadFile(rest[0])
	if err != nil {
		fmt.Fprintln(stderr, t.T("cli.cards_read", rest[0], err))
		return exitError(2)
	}
	if _, err := app.Data.InstallRules(ctx); err != nil {
		return err
	}
	pv, res, err := app.Data.ImportFile(ctx, audit.System("import cards"), unitID, filepath.Base(rest[0]), data, dryRun)
	var fe *casecard.FileError
	switch {
	case errors.As(err, &fe):
		fmt.Fprintln(stderr, t.T("cli.cards_refused", rest[0], t.T(fe.Key, fe.Args...)))
		return exitError(2)
	case errors.Is(err, dataquality.ErrNotConfirmable):
		fmt.Fprintln(stderr, t.T("cli.cards_row_errors", rest[0], len(pv.Errors)+pv.MoreErrors))
		for _, e := range pv.Errors {
			fmt.Fprintf(stderr, "  %s\n", t.T("cli.cards_cell_error", e.Row, e.Column, t.T(e.Key, e.Args...), e.Value))
		}
		if pv.MoreErrors > 0 {
			fmt.Fprintln(stderr, "  "+t.T("cli.cards_more_errors", pv.MoreErrors))
		}
		return exitError(2)
	case err != nil:
		return err
	}
	fmt.Fprintln(stdout, t.T("cli.cards_preview", pv.Rows, pv.Format, pv.SHA256, pv.New, pv.Updated, pv.Unchanged, pv.HitCount))
	for _, h := range pv.Hits {
		fmt.Fprintf(stdout, "  %s\n", t.T("cli.cards_hit", h.Row, h.StageNo, h.RuleID, h.Title))
	}
	if pv.HitCount > len(pv.Hits) {
		fmt.Fprintln(stdout, "  "+t.T("cli.cards_more_hits", pv.HitCount-len(pv.Hits)))
	}
	if dryRun {
		fmt.Fprintln(stdout, t.T("cli.cards_dry_run"))
		return nil
	}
	fmt.Fprintln(stdout, t.T("cli.cards_imported", res.ImportID, res.New, res.Updated, res.Unchanged, res.Opened, res.Fixed))
	return nil
}

func fileMessage(t *i18n.Catalog, err error) string {
	var fe *casecard.FileError
	if errors.As(err, &fe) {
		return t.T(fe.Key, fe.Args...)
	}
	return err.Error()
}

// unitByCode finds a unit's id by its 8-digit code.
func unitByCode(ctx context.Context, units func(context.Context) ([]org.Unit, error), code string) (int64, error) {
	us, err := units(ctx)
	if err != nil {
		return 0, err
	}
	for _, u := range us {
		if u.Code == code {
			return u.ID, nil
		}
	}
	return 0, fmt.Errorf("no unit %q", code)
}

// cmdExport writes the case-card template (`anguan export --template
// [FILE]`): the documented column layout with two example rows and a
// sheet explaining every column, the file offices fill or compare their
// national-system export with. Without FILE it goes to stdout.
func cmdExport(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	const use = "usage: anguan export --template [FILE] [--db DSN]"
	var template bool
	// "--template FILE --db …": the flag package stops at FILE, so take it
	// out first.
	var file []string
	for i, a := range args {
		if (a == "--template" || a == "-template") && i+1 < len(args) && !strings.HasPrefix(args[i+1], "-") {
			file = []string{args[i+1]}
			args = append(args[:i+1:i+1], args[i+2:]...)
			break
		}
	}
	app, rest, err := open(ctx, "export", args, getenv, stderr, func(fs *flag.FlagSet) {
		fs.BoolVar(&template, "template", false, "write the case-card import template (XLSX)")
	})
	if err != nil {
		return err
	}
	defer app.DB.Close()
	rest = append(file, rest...)
	if !template || len(rest) > 1 {
		fmt.Fprintln(stderr, use)
		return exitError(2)
	}
	vocab, err := app.Data.Vocabulary(ctx)
	if err != nil {
		return err
	}
	var b bytes.Buffer
	if err := casecard.WriteTemplate(&b, vocab); err != nil {
		return err
	}
	if len(rest) == 0 {
		_, err = stdout.Write(b.Bytes())
		return err
	}
	if err := os.WriteFile(rest[0], b.Bytes(), 0o644); err != nil {
		return err
	}
	fmt.Fprintln(stdout, app.T.T("cli.cards_template", rest[0]))
	return nil
}

// cmdDataScan runs the nightly data-quality scan now (`anguan dq scan`).
func cmdDataScan(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	if len(args) == 0 || args[0] != "scan" {
		fmt.Fprintln(stderr, "usage: anguan dq scan [--db DSN]")
		return exitError(2)
	}
	app, rest, err := open(ctx, "dq scan", args[1:], getenv, stderr, nil)
	if err != nil {
		return err
	}
	defer app.DB.Close()
	if err := noArgs(rest); err != nil {
		return err
	}
	if _, err := app.Data.InstallRules(ctx); err != nil {
		return err
	}
	rec, err := app.Data.ScanAll(ctx)
	if err != nil {
		return err
	}
	fmt.Fprintln(stdout, app.T.T("cli.dq_scanned", rec.Cards, rec.Rules, rec.Evaluations, rec.Hits, rec.Opened, rec.Fixed,
		rec.FinishedAt-rec.StartedAt))
	return nil
}
