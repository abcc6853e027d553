// Package account is authentication (身份鉴别): password hashing with
// argon2id, the password policy, login with lockout, database sessions with
// idle logout, and API tokens. Defaults follow the MLPS level-3 expectations
// of DOMAIN §11 and are configurable.
package account

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"strings"
	"unicode"

	"golang.org/x/crypto/argon2"
)

// Argon2Params are the argon2id cost parameters.
type Argon2Params struct {
	Time    uint32
	Memory  uint32 // KiB
	Threads uint8
}

// DefaultArgon2 follows the OWASP minimum for argon2id (19 MiB, 2 passes).
func DefaultArgon2() Argon2Params { return Argon2Params{Time: 2, Memory: 19 * 1024, Threads: 1} }

// Policy is the password and session policy.
type Policy struct {
	MinLength  int // default 8
	MinClasses int // of lower, upper, digit, symbol; default 3
	Argon2     Argon2Params
}

// ErrWeakPassword is returned when the password does not meet the policy.
var ErrWeakPassword = errors.New("password does not meet the policy")

// CheckPolicy enforces length and character classes.
func (p Policy) CheckPolicy(pw string) error {
	var lower, upper, digit, symbol bool
	n := 0
	for _, r := range pw {
		n++
		switch {
		case unicode.IsLower(r):
			lower = true
		case unicode.IsUpper(r):
			upper = true
		case unicode.IsDigit(r):
			digit = true
		default:
			symbol = true
		}
	}
	classes := 0
	for _, b := range []bool{lower, upper, digit, symbol} {
		if b {
			classes++
		}
	}
	if n < p.MinLength || classes < p.MinClasses || n > 128 {
		return ErrWeakPassword
	}
	return nil
}

// Hash returns an encoded argon2id hash (PHC string format).
func (p Policy) Hash(pw string) (string, error) {
	salt := make([]byte, 16)
	if _, err := rand.Read(salt); err != nil {
		return "", err
	}
	a := p.Argon2
	key := argon2.IDKey([]byte(pw), salt, a.Time, a.Memory, a.Threads, 32)
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s", argon2.Version, a.Memory, a.Time, a.Threads,
		base64.RawStdEncoding.EncodeToString(salt), base64.RawStdEncoding.EncodeToString(key)), nil
}

// Verify checks a password against an encoded hash (see the function).
func (p Policy) Verify(encoded, pw string) bool { return Verify(encoded, pw) }

// Verify checks pw against an encoded hash in constant time. The cost is
// read from the hash, so raising the parameters does not break old hashes.
func Verify(encoded, pw string) bool {
	parts := strings.Split(encoded, "$")
	if len(parts) != 6 || parts[1] != "argon2id" {
		return false
	}
	var m, t uint32
	var th uint8
	if _, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &m, &t, &th); err != nil {
		return false
	}
	salt, err1 := base64.RawStdEncoding.DecodeString(parts[4])
	want, err2 := base64.RawStdEncoding.DecodeString(parts[5])
	if err1 != nil || err2 != nil || len(want) == 0 {
		return false
	}
	got := argon2.IDKey([]byte(pw), salt, t, m, th, uint32(len(want)))
	return subtle.ConstantTimeCompare(got, want) == 1
}
