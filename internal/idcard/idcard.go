// Package idcard validates and builds 18-digit resident identity card numbers
// (居民身份证号码, GB 11643-1999): a 6-digit area code (地址码), an 8-digit birth
// date (出生日期码), a 3-digit sequence (顺序码, odd for men, even for women) and
// an ISO 7064 MOD 11-2 check character (校验码, 0–9 or X).
package idcard

import (
	"errors"
	"fmt"
	"time"
)

// Validation failures, as sentinels so callers can map them to messages.
var (
	ErrLength   = errors.New("idcard: must be 18 characters")
	ErrFormat   = errors.New("idcard: first 17 characters must be digits, last a digit or X")
	ErrBirth    = errors.New("idcard: birth date is not a real date")
	ErrChecksum = errors.New("idcard: check character does not match")
)

var weights = [17]int{7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2}

const checkChars = "10X98765432"

// CheckChar computes the check character for the first 17 digits.
func CheckChar(first17 string) (byte, error) {
	if len(first17) != 17 {
		return 0, ErrLength
	}
	sum := 0
	for i := 0; i < 17; i++ {
		c := first17[i]
		if c < '0' || c > '9' {
			return 0, ErrFormat
		}
		sum += int(c-'0') * weights[i]
	}
	return checkChars[sum%11], nil
}

// Info is what a valid number tells.
type Info struct {
	Area   string
	Birth  time.Time // midnight UTC of the birth date
	Female bool
}

// Parse validates n and returns what it encodes. A lower-case x is accepted.
func Parse(n string) (Info, error) {
	if len(n) != 18 {
		return Info{}, ErrLength
	}
	last := n[17]
	if last == 'x' {
		last = 'X'
	}
	if !(last >= '0' && last <= '9') && last != 'X' {
		return Info{}, ErrFormat
	}
	want, err := CheckChar(n[:17])
	if err != nil {
		return Info{}, err
	}
	birth, err := time.Parse("20060102", n[6:14])
	if err != nil || birth.Year() < 1900 {
		return Info{}, ErrBirth
	}
	if want != last {
		return Info{}, ErrChecksum
	}
	seq := int(n[16] - '0')
	return Info{Area: n[:6], Birth: birth, Female: seq%2 == 0}, nil
}

// Build makes a valid number from an area code, a birth date and a 3-digit
// sequence (its parity gives the sex). Used by the synthetic data generator.
func Build(area string, birth time.Time, seq int) (string, error) {
	if len(area) != 6 {
		return "", fmt.Errorf("idcard: area code must be 6 digits, got %q", area)
	}
	if seq < 0 || seq > 999 {
		return "", fmt.Errorf("idcard: sequence out of range: %d", seq)
	}
	first := fmt.Sprintf("%s%s%03d", area, birth.Format("20060102"), seq)
	c, err := CheckChar(first)
	if err != nil {
		return "", err
	}
	return first + string(c), nil
}
