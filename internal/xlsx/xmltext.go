package xlsx

import (
	"unicode/utf16"

	"github.com/anguan/anguan/internal/ooxml"
)

// maxCellChars is Excel's limit on the length of a cell's text, counted in
// UTF-16 code units; Excel reports longer text as unreadable content.
const maxCellChars = 32767

// cellText returns s as a cell stores it: sanitised and cut to maxCellChars.
func cellText(s string) string {
	s = ooxml.Sanitize(s)
	n := 0
	for i, r := range s {
		n += utf16.RuneLen(r)
		if n > maxCellChars {
			return s[:i]
		}
	}
	return s
}
