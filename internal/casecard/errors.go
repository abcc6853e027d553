package casecard

import (
	"fmt"
	"strings"
)

// Message keys (internal/i18n/zh-CN/casecard.json). File-level problems
// stop the import; cell-level ones are listed by row and column so the
// user can correct the sheet in one pass.
const (
	keyEmpty         = "err.casecard.empty"
	keyTooLarge      = "err.casecard.too_large"
	keyNotSheet      = "err.casecard.not_spreadsheet"
	keyLegacyXLS     = "err.casecard.legacy_xls"
	keyTruncated     = "err.casecard.truncated"
	keyUnpacked      = "err.casecard.unpacked_too_large"
	keyEncoding      = "err.casecard.encoding"
	keyCSVSyntax     = "err.casecard.csv_syntax"
	keyTooManyRows   = "err.casecard.too_many_rows"
	keyTooManyCols   = "err.casecard.too_many_columns"
	keyNoRows        = "err.casecard.no_rows"
	keyMissingColumn = "err.casecard.missing_column"
	keyUnknownColumn = "err.casecard.unknown_column"
	keyDuplicateCol  = "err.casecard.duplicate_column"

	keyRequired     = "err.casecard.required"
	keyInjection    = "err.casecard.formula_injection"
	keyInjectionTab = "err.casecard.formula_injection_tab"
	keyInjectionCR  = "err.casecard.formula_injection_cr"
	keyFormula      = "err.casecard.formula"
	keyErrorValue   = "err.casecard.error_value"
	keyControl      = "err.casecard.control_char"
	keyTooLong      = "err.casecard.too_long"
	keyPrecision    = "err.casecard.number_precision"
	keyDate         = "err.casecard.date"
	keyDateNotExist = "err.casecard.date_not_exist"
	keyDateRange    = "err.casecard.date_range"
	keyFlag         = "err.casecard.flag"
	keyCount        = "err.casecard.count"
	keyCategory     = "err.casecard.category"
	keyDuplicateNo  = "err.casecard.duplicate_stage_no"
	keyExampleRow   = "err.casecard.example_row"

	// labelPrefix + a column key is the i18n key of the column's name,
	// for FromValues' field errors.
	labelPrefix = "field.casecard."
)

// FileError is a problem with the file as a whole: nothing in it is
// imported. Key is an i18n message key filled by Args.
type FileError struct {
	Key  string
	Args []any
	// Err is the underlying cause, for logs; it is not shown to users.
	Err error
}

func (e *FileError) Error() string {
	s := "casecard: " + e.Key
	if len(e.Args) > 0 {
		s += fmt.Sprintf("%v", e.Args)
	}
	if e.Err != nil {
		s += ": " + e.Err.Error()
	}
	return s
}

func (e *FileError) Unwrap() error { return e.Err }

func fileError(key string, cause error, args ...any) *FileError {
	return &FileError{Key: key, Args: args, Err: cause}
}

// CellError is a problem with one cell (or, for a duplicated stage
// number, with one row). Row is the spreadsheet row number as the user's
// spreadsheet program shows it (the header is normally row 1); Column is
// the column's Chinese header; Key and Args make the message; Value is
// the cell's content, cut to maxErrorValue characters, so the list can be
// read without the file.
type CellError struct {
	Row    int
	Column string
	Key    string
	Args   []any
	Value  string
}

// maxErrorValue bounds the value an error quotes; a preview lists up to
// MaxErrors of them.
const maxErrorValue = 50

func quoteValue(s string) string {
	n := 0
	for i := range s {
		if n == maxErrorValue {
			return s[:i] + "…"
		}
		n++
	}
	return s
}

// joinHeaders lists headers for a message.
func joinHeaders(h []string) string { return strings.Join(h, "、") }
