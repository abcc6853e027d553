package xlsx

import (
	"strings"
	"unicode"
)

// Column widths in Excel's unit, the width of one '0' in the default font.
const (
	minWidth = 6   // keeps short columns' autofilter buttons from covering the header
	maxWidth = 50  // long free text would otherwise push other columns off screen
	padWidth = 2   // room for cell margins and the autofilter button
	maxExcel = 255 // Excel's own maximum
)

// columnWidths returns the width of each of the cols columns: the explicit
// s.Widths entry when positive, else an estimate from the header and cells.
func columnWidths(s Sheet, cols int) []float64 {
	widest := make([]int, cols)
	for i, h := range s.Header {
		widest[i] = max(widest[i], textWidth(h))
	}
	for _, row := range s.Rows {
		for i, c := range row {
			widest[i] = max(widest[i], textWidth(c.display()))
		}
	}
	out := make([]float64, cols)
	for i := range out {
		if i < len(s.Widths) && s.Widths[i] > 0 {
			out[i] = min(s.Widths[i], maxExcel)
			continue
		}
		out[i] = float64(min(max(widest[i]+padWidth, minWidth), maxWidth))
	}
	return out
}

// textWidth estimates the displayed width of s: wide (CJK, fullwidth, emoji)
// characters take two units, others one, and multi-line text is as wide as
// its longest line.
func textWidth(s string) int {
	widest := 0
	for line := range strings.Lines(s) {
		n := 0
		for _, r := range line {
			switch {
			case r == '\n' || r == '\r':
			case isWide(r):
				n += 2
			default:
				n++
			}
		}
		widest = max(widest, n)
	}
	return widest
}

// isWide approximates East Asian Wide/Fullwidth characters without pulling
// in golang.org/x/text: the scripts and blocks that occur in Chinese text.
func isWide(r rune) bool {
	switch {
	case r < 0x1100:
		return false
	case 0x3000 <= r && r <= 0x303F, // CJK punctuation: 、。〔〕《》
		0xFF00 <= r && r <= 0xFF60, // fullwidth forms: ，：（）
		0xFFE0 <= r && r <= 0xFFE6,
		0x1F300 <= r && r <= 0x1FAFF: // emoji
		return true
	}
	return unicode.In(r, unicode.Han, unicode.Hangul, unicode.Hiragana, unicode.Katakana)
}
