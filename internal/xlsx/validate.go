package xlsx

import (
	"errors"
	"fmt"
	"math"
	"strings"
	"unicode/utf16"

	"github.com/anguan/anguan/internal/ooxml"
)

// Errors returned by Write, wrapped with the offending sheet or cell.
var (
	ErrNoSheets       = errors.New("xlsx: workbook needs at least one sheet")
	ErrSheetName      = errors.New("xlsx: invalid sheet name")
	ErrDuplicateSheet = errors.New("xlsx: duplicate sheet name")
	ErrTooLarge       = errors.New("xlsx: sheet exceeds Excel's 1048576 rows or 16384 columns")
	ErrNumber         = errors.New("xlsx: number is NaN or infinite")
)

func validate(sheets []Sheet) error {
	if len(sheets) == 0 {
		return ErrNoSheets
	}
	seen := make(map[string]bool, len(sheets))
	for _, s := range sheets {
		if err := checkName(s.Name); err != nil {
			return err
		}
		key := strings.ToLower(s.Name) // Excel compares sheet names ignoring case
		if seen[key] {
			return fmt.Errorf("%w: %q", ErrDuplicateSheet, s.Name)
		}
		seen[key] = true
		if err := checkCells(s); err != nil {
			return err
		}
	}
	return nil
}

// checkName applies Excel's rules for tab names; control characters are
// refused too, as they cannot be typed into a tab and some cannot be stored.
func checkName(name string) error {
	n := len(utf16.Encode([]rune(name)))
	switch {
	case n == 0 || n > 31:
		return fmt.Errorf("%w: %q must have 1 to 31 characters", ErrSheetName, name)
	case strings.ContainsAny(name, `[]:*?/\`):
		return fmt.Errorf("%w: %q contains one of []:*?/\\", ErrSheetName, name)
	case name[0] == '\'' || name[len(name)-1] == '\'':
		return fmt.Errorf("%w: %q starts or ends with an apostrophe", ErrSheetName, name)
	case strings.IndexFunc(name, func(r rune) bool { return r < 0x20 || ooxml.IllegalXML(r) }) >= 0 || ooxml.Sanitize(name) != name:
		return fmt.Errorf("%w: %q contains control characters or invalid UTF-8", ErrSheetName, name)
	}
	return nil
}

func checkCells(s Sheet) error {
	l := newLayout(s)
	if l.rows > maxRows || l.cols > maxCols {
		return fmt.Errorf("%w: sheet %q has %d rows and %d columns", ErrTooLarge, s.Name, l.rows, l.cols)
	}
	for i, row := range s.Rows {
		for j, c := range row {
			if c.IsNum && (math.IsNaN(c.Num) || math.IsInf(c.Num, 0)) {
				return fmt.Errorf("%w: sheet %q cell %s", ErrNumber, s.Name, cellRef(j, l.first+i))
			}
		}
	}
	return nil
}
