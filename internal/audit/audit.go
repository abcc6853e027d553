// Package audit defines the audit trail (审计日志): one Entry per write and per
// read of case content or personal data, appended in the same transaction as
// the change, and chained by hash so that any edit, deletion, insertion or
// reordering of entries is detected by Verify.
//
// The hash function sits behind Hasher so that a certified SM3 device or
// library (GB/T 39786-2021) can replace SHA-256 without touching callers.
package audit

import (
	"crypto/sha256"
	"encoding/hex"
	"strconv"
	"strings"
	"time"
)

// Result of the audited action.
const (
	ResultOK     = "ok"
	ResultDenied = "denied"
	ResultFailed = "failed"
)

// Actor is who acted, from where, in which request.
type Actor struct {
	UserID    int64
	Username  string
	Role      string // the roles held, comma-separated, at the time of the action
	UnitID    int64
	Client    string // client address
	RequestID string
}

// System is the actor for command-line and start-up actions.
func System(what string) Actor {
	return Actor{Username: "system:" + what, Role: "system", Client: "local"}
}

// Record is what a domain service asks to be appended.
type Record struct {
	Actor      Actor
	Action     string // e.g. "case.intake", "case.view", "user.login"
	ObjectType string // e.g. "case", "party", "user"
	ObjectID   string
	Result     string
	Detail     string // short, no personal data beyond identifiers
}

// Entry is a stored audit row.
type Entry struct {
	Seq      int64
	At       time.Time
	Record   Record
	PrevHash string
	Hash     string
}

// Hasher computes the chain hash. Implementations must be deterministic.
type Hasher interface {
	Name() string
	Sum(data []byte) []byte
}

// SHA256 is the default Hasher.
type SHA256 struct{}

// Name identifies the algorithm.
func (SHA256) Name() string { return "sha256" }

// Sum hashes data.
func (SHA256) Sum(data []byte) []byte { s := sha256.Sum256(data); return s[:] }

// Canonical is the byte string hashed for an entry: every field, in a fixed
// order, length-prefixed so that no two different entries encode alike.
func Canonical(seq int64, atMillis int64, r Record, prevHash string) []byte {
	var b strings.Builder
	field := func(s string) {
		b.WriteString(strconv.Itoa(len(s)))
		b.WriteByte(':')
		b.WriteString(s)
		b.WriteByte(';')
	}
	field(strconv.FormatInt(seq, 10))
	field(strconv.FormatInt(atMillis, 10))
	field(strconv.FormatInt(r.Actor.UserID, 10))
	field(r.Actor.Username)
	field(r.Actor.Role)
	field(strconv.FormatInt(r.Actor.UnitID, 10))
	field(r.Actor.Client)
	field(r.Action)
	field(r.ObjectType)
	field(r.ObjectID)
	field(r.Result)
	field(r.Actor.RequestID)
	field(r.Detail)
	field(prevHash)
	return []byte(b.String())
}

// Chain computes the hash of an entry given its predecessor's hash.
func Chain(h Hasher, seq int64, atMillis int64, r Record, prevHash string) string {
	return hex.EncodeToString(h.Sum(Canonical(seq, atMillis, r, prevHash)))
}

// Query filters the audit log for the audit page.
type Query struct {
	Username   string
	Action     string // prefix, e.g. "case." or "user.login"
	ObjectType string
	ObjectID   string
	FromMs     int64
	ToMs       int64
	BeforeSeq  int64 // keyset paging: entries older than this
	Limit      int
}
