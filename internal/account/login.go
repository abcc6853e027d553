package account

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"runtime"
	"strconv"
	"strings"
	"time"

	"github.com/anguan/anguan/internal/apperr"
	"github.com/anguan/anguan/internal/audit"
	"github.com/anguan/anguan/internal/org"
)

// ErrBadCredentials is the one answer to every failed login: unknown user,
// wrong password, locked or disabled account all look alike, so the answer
// leaks nothing about which accounts exist.
var ErrBadCredentials = errors.New("bad credentials")

// Credentials is what login needs to know about an account.
type Credentials struct {
	UserID       int64
	Hash         string
	FailedLogins int
	LockedUntil  int64 // unix ms
	Disabled     bool
}

// Store is what the account service needs from persistence.
type Store interface {
	Credentials(ctx context.Context, username string) (Credentials, error)
	LoginFailed(ctx context.Context, userID int64, failures int, lockedUntil int64, a audit.Record) error
	CreateSession(ctx context.Context, userID int64, tokenHash, client string, now int64, a audit.Record) error
	SessionUser(ctx context.Context, tokenHash string, idleCutoff, now int64) (org.User, error)
	DeleteSession(ctx context.Context, tokenHash string, a audit.Record) error
	CreateToken(ctx context.Context, userID int64, name, tokenHash string, now, expires int64, a audit.Record) (int64, error)
	TokenUser(ctx context.Context, tokenHash string, now int64) (org.User, error)
	RevokeToken(ctx context.Context, userID, tokenID int64, now int64, a audit.Record) error
	UserByName(ctx context.Context, username string) (org.User, error)
	AppendAudit(ctx context.Context, a audit.Record) error
}

// Settings are the configurable login rules.
type Settings struct {
	Policy      Policy
	MaxFailures int           // default 5
	LockFor     time.Duration // default 15 min
	IdleTimeout time.Duration // default 30 min
	TokenTTL    time.Duration // default 24 h
	// Hashers bounds the password checks that run at once (default:
	// GOMAXPROCS). Each argon2id check holds Policy.Argon2.Memory (19 MiB)
	// while it runs and keeps a core busy, so more at once only adds
	// memory: 200 people signing in together would otherwise ask for
	// 3.8 GB. Waiting logins queue; one whose request ends stops waiting.
	Hashers int
}

// DefaultSettings are the DOMAIN §11 expectations.
func DefaultSettings() Settings {
	return Settings{Policy: Policy{MinLength: 8, MinClasses: 3, Argon2: DefaultArgon2()},
		MaxFailures: 5, LockFor: 15 * time.Minute, IdleTimeout: 30 * time.Minute, TokenTTL: 24 * time.Hour}
}

// Service authenticates people and scripts.
type Service struct {
	store Store
	set   Settings
	now   func() time.Time
	dummy string // a hash to verify against for unknown users (equal timing)
	// hashing holds one token per password check running (Settings.Hashers).
	hashing gate
}

// NewService wires the service.
func NewService(st Store, set Settings, now func() time.Time) *Service {
	dummy, _ := set.Policy.Hash("not-a-real-password-Aa1")
	if set.Hashers <= 0 {
		set.Hashers = runtime.GOMAXPROCS(0)
	}
	return &Service{store: st, set: set, now: now, dummy: dummy, hashing: make(gate, set.Hashers)}
}

// verify checks a password against an encoded hash once a hashing slot
// is free (see Settings.Hashers).
func (s *Service) verify(ctx context.Context, encoded, pw string) (bool, error) {
	if err := s.hashing.enter(ctx); err != nil {
		return false, err
	}
	defer s.hashing.leave()
	return Verify(encoded, pw), nil
}

// Policy exposes the password policy (org uses it to create accounts).
func (s *Service) Policy() Policy { return s.set.Policy }

// Settings exposes the login settings (the web layer shows the idle time).
func (s *Service) Settings() Settings { return s.set }

// Client identifies where a request comes from, for the audit log.
type Client struct {
	Addr      string
	RequestID string
}

func loginRecord(c Client, username string, userID int64, action, result string) audit.Record {
	return audit.Record{Actor: audit.Actor{UserID: userID, Username: username, Client: c.Addr, RequestID: c.RequestID},
		Action: action, ObjectType: "user", ObjectID: strconv.FormatInt(userID, 10), Result: result}
}

// authenticate checks a username and password, counting failures and
// locking the account after MaxFailures in a row. On success it also
// returns the failures counted so far, which the caller's write clears.
func (s *Service) authenticate(ctx context.Context, c Client, username, password string, action string) (int64, int, error) {
	username = strings.TrimSpace(username)
	cred, err := s.store.Credentials(ctx, username)
	if errors.Is(err, apperr.ErrNotFound) {
		if _, err := s.verify(ctx, s.dummy, password); err != nil {
			return 0, 0, err
		}
		if len(username) > 64 {
			username = username[:64]
		}
		_ = s.store.AppendAudit(ctx, loginRecord(c, username, 0, action, audit.ResultFailed))
		return 0, 0, ErrBadCredentials
	}
	if err != nil {
		return 0, 0, err
	}
	ok, err := s.verify(ctx, cred.Hash, password)
	if err != nil {
		return 0, 0, err
	}
	now := s.now().UnixMilli()
	if cred.Disabled || cred.LockedUntil > now || !ok {
		failures, lock := cred.FailedLogins, int64(0)
		if cred.LockedUntil <= now && !cred.Disabled {
			failures++
			if failures >= s.set.MaxFailures {
				lock, failures = now+s.set.LockFor.Milliseconds(), 0
			}
		} else {
			lock = cred.LockedUntil
		}
		rec := loginRecord(c, username, cred.UserID, action, audit.ResultDenied)
		if lock > now {
			rec.Detail = "locked"
		}
		if err := s.store.LoginFailed(ctx, cred.UserID, failures, lock, rec); err != nil {
			return 0, 0, err
		}
		return 0, 0, ErrBadCredentials
	}
	return cred.UserID, cred.FailedLogins, nil
}

// Login checks credentials and opens a session; the returned token goes
// into the session cookie and only its hash is stored.
func (s *Service) Login(ctx context.Context, c Client, username, password string) (string, error) {
	uid, _, err := s.authenticate(ctx, c, username, password, "user.login") // CreateSession clears the failures
	if err != nil {
		return "", err
	}
	token := newToken("")
	rec := loginRecord(c, strings.TrimSpace(username), uid, "user.login", audit.ResultOK)
	if err := s.store.CreateSession(ctx, uid, hashToken(token), c.Addr, s.now().UnixMilli(), rec); err != nil {
		return "", err
	}
	return token, nil
}

// Session resolves a session token to its user, enforcing idle logout.
func (s *Service) Session(ctx context.Context, token string) (org.User, error) {
	if token == "" {
		return org.User{}, apperr.ErrUnauthenticated
	}
	now := s.now()
	u, err := s.store.SessionUser(ctx, hashToken(token), now.Add(-s.set.IdleTimeout).UnixMilli(), now.UnixMilli())
	if errors.Is(err, apperr.ErrNotFound) {
		return org.User{}, apperr.ErrUnauthenticated
	}
	return u, err
}

// Logout deletes the session so the cookie is worthless.
func (s *Service) Logout(ctx context.Context, c Client, u org.User, token string) error {
	rec := loginRecord(c, u.Username, u.ID, "user.logout", audit.ResultOK)
	return s.store.DeleteSession(ctx, hashToken(token), rec)
}

// Token is a newly issued API token. Secret is shown once (only its hash
// is stored); ID names the token for revocation.
type Token struct {
	ID        int64
	Secret    string
	ExpiresAt time.Time
}

// IssueToken creates an API token after checking the password (POST
// /api/v1/tokens).
func (s *Service) IssueToken(ctx context.Context, c Client, username, password, name string, ttl time.Duration) (Token, error) {
	uid, failures, err := s.authenticate(ctx, c, username, password, "token.create")
	if err != nil {
		return Token{}, err
	}
	if failures > 0 {
		// Only consecutive failures lock: a success clears the count, as
		// CreateSession does for a login.
		rec := loginRecord(c, strings.TrimSpace(username), uid, "token.create", audit.ResultOK)
		rec.Detail = "failed_logins reset"
		if err := s.store.LoginFailed(ctx, uid, 0, 0, rec); err != nil {
			return Token{}, err
		}
	}
	return s.createToken(ctx, c, uid, strings.TrimSpace(username), name, ttl)
}

// IssueTokenFor creates a token for a user without a password, for the
// operator CLI (`anguan token create`), audited as the system actor.
func (s *Service) IssueTokenFor(ctx context.Context, username, name string, ttl time.Duration) (string, time.Time, error) {
	u, err := s.store.UserByName(ctx, username)
	if err != nil {
		return "", time.Time{}, err
	}
	tok, err := s.createToken(ctx, Client{Addr: "local"}, u.ID, "system:cli", name, ttl)
	return tok.Secret, tok.ExpiresAt, err
}

func (s *Service) createToken(ctx context.Context, c Client, uid int64, actor, name string, ttl time.Duration) (Token, error) {
	if ttl <= 0 {
		ttl = s.set.TokenTTL
	}
	if ttl > 366*24*time.Hour {
		return Token{}, apperr.Invalid("ttl", "err.ttl_too_long")
	}
	if name = strings.TrimSpace(name); name == "" {
		name = "api"
	}
	if len([]rune(name)) > 60 {
		return Token{}, apperr.Invalid("name", "err.too_long", 60)
	}
	tok := Token{Secret: newToken("ag_")}
	now := s.now()
	tok.ExpiresAt = now.Add(ttl)
	rec := loginRecord(c, actor, uid, "token.create", audit.ResultOK)
	id, err := s.store.CreateToken(ctx, uid, name, hashToken(tok.Secret), now.UnixMilli(), tok.ExpiresAt.UnixMilli(), rec)
	if err != nil {
		return Token{}, err
	}
	tok.ID = id
	return tok, nil
}

// TokenUser resolves a bearer token.
func (s *Service) TokenUser(ctx context.Context, token string) (org.User, error) {
	if !strings.HasPrefix(token, "ag_") {
		return org.User{}, apperr.ErrUnauthenticated
	}
	u, err := s.store.TokenUser(ctx, hashToken(token), s.now().UnixMilli())
	if errors.Is(err, apperr.ErrNotFound) {
		return org.User{}, apperr.ErrUnauthenticated
	}
	return u, err
}

// RevokeToken revokes one of the user's own tokens.
func (s *Service) RevokeToken(ctx context.Context, c Client, u org.User, tokenID int64) error {
	rec := loginRecord(c, u.Username, u.ID, "token.revoke", audit.ResultOK)
	rec.ObjectType, rec.ObjectID = "token", strconv.FormatInt(tokenID, 10)
	return s.store.RevokeToken(ctx, u.ID, tokenID, s.now().UnixMilli(), rec)
}

func newToken(prefix string) string {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		panic(err) // crypto/rand never fails on supported platforms
	}
	return prefix + base64.RawURLEncoding.EncodeToString(b)
}

// hashToken: tokens are 256-bit random, so a plain SHA-256 is enough to
// make a stolen table useless (no need for a slow hash).
func hashToken(t string) string {
	s := sha256.Sum256([]byte(t))
	return hex.EncodeToString(s[:])
}
