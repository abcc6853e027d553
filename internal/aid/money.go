package aid

import (
	"strconv"
	"strings"
)

// maxFen bounds one amount (a trillion yuan): far beyond any aid fund, and
// far from int64 overflow when a ledger is summed.
const maxFen = 100_000_000_000_000

// ParseYuan reads an amount typed in yuan ("1234", "1234.5", "1234.56",
// with optional thousands commas) into fen, exactly: the decimal string
// is parsed digit by digit, never through a float. ok is false for a
// negative, zero, malformed or over-large amount, or more than two
// decimals; key then says which.
func ParseYuan(s string) (fen int64, key string) {
	s = strings.ReplaceAll(strings.TrimSpace(s), ",", "")
	if s == "" {
		return 0, "err.required"
	}
	if strings.HasPrefix(s, "-") {
		return 0, "err.aid_amount_positive"
	}
	whole, frac, hasDot := strings.Cut(s, ".")
	if whole == "" || (hasDot && frac == "") || !digits(whole) || !digits(frac) {
		return 0, "err.aid_amount_format"
	}
	if len(frac) > 2 {
		return 0, "err.aid_amount_decimals"
	}
	if len(whole) > 15 {
		return 0, "err.aid_amount_too_large"
	}
	y, err := strconv.ParseInt(whole, 10, 64)
	if err != nil {
		return 0, "err.aid_amount_format"
	}
	f := int64(0)
	if frac != "" {
		f, _ = strconv.ParseInt((frac + "0")[:2], 10, 64)
	}
	fen = y*100 + f
	switch {
	case fen <= 0:
		return 0, "err.aid_amount_positive"
	case fen > maxFen:
		return 0, "err.aid_amount_too_large"
	}
	return fen, ""
}

func digits(s string) bool {
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}

// FormatYuan writes fen as yuan with two decimals and thousands commas
// ("12,345.60"), exactly.
func FormatYuan(fen int64) string {
	neg := fen < 0
	if neg {
		fen = -fen
	}
	whole := strconv.FormatInt(fen/100, 10)
	var b strings.Builder
	if neg {
		b.WriteByte('-')
	}
	for i, r := range whole {
		if i > 0 && (len(whole)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(r)
	}
	c := fen % 100
	b.WriteByte('.')
	b.WriteByte(byte('0' + c/10))
	b.WriteByte(byte('0' + c%10))
	return b.String()
}
