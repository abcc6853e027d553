package deadline

import (
	"testing"

	"github.com/anguan/anguan/internal/i18n"
)

// day parses a test date and panics on a typo, which is a bug in the test.
func day(s string) Date {
	d, err := ParseDate(s)
	if err != nil {
		panic(err)
	}
	return d
}

// ev builds an event.
func ev(code, date string) Event { return Event{Code: code, Date: day(date)} }

// zh is the real catalogue's T, so explanation tests check the shipped text.
func zh(t testing.TB) func(string, ...any) string {
	t.Helper()
	return i18n.MustLoad("zh-CN").T
}
