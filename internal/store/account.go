package store

import (
	"context"
	"database/sql"

	"github.com/anguan/anguan/internal/account"
	"github.com/anguan/anguan/internal/apperr"
	"github.com/anguan/anguan/internal/audit"
	"github.com/anguan/anguan/internal/org"
)

// Credentials returns the login data of an account.
func (db *DB) Credentials(ctx context.Context, username string) (account.Credentials, error) {
	var c account.Credentials
	err := db.r.QueryRowContext(ctx, `SELECT id, password_hash, failed_logins, locked_until, disabled
		FROM users WHERE username = $1`, username).Scan(&c.UserID, &c.Hash, &c.FailedLogins, &c.LockedUntil, &c.Disabled)
	return c, notFound(err)
}

// LoginFailed stores the failure count and lock.
func (db *DB) LoginFailed(ctx context.Context, userID int64, failures int, lockedUntil int64, a audit.Record) error {
	return db.write(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `UPDATE users SET failed_logins = $1, locked_until = $2 WHERE id = $3`,
			failures, lockedUntil, userID); err != nil {
			return err
		}
		return db.appendAudit(ctx, tx, a)
	})
}

// CreateSession opens a session and clears the failure count.
func (db *DB) CreateSession(ctx context.Context, userID int64, tokenHash, client string, now int64, a audit.Record) error {
	return db.write(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `UPDATE users SET failed_logins = 0, locked_until = 0 WHERE id = $1`, userID); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO sessions (token_hash, user_id, created_at, last_seen_at, client_addr)
			VALUES ($1, $2, $3, $3, $4)`, tokenHash, userID, now, client); err != nil {
			return err
		}
		return db.appendAudit(ctx, tx, a)
	})
}

// sessionTouchMs: last_seen_at is refreshed at most this often, so a busy
// user does not turn every page view into a write.
const sessionTouchMs = 60_000

// SessionUser resolves a session; a session idle since before idleCutoff is
// deleted and answers not found.
func (db *DB) SessionUser(ctx context.Context, tokenHash string, idleCutoff, now int64) (org.User, error) {
	var uid, seen int64
	err := db.r.QueryRowContext(ctx, `SELECT s.user_id, s.last_seen_at FROM sessions s JOIN users u ON u.id = s.user_id
		WHERE s.token_hash = $1 AND u.disabled = FALSE`, tokenHash).Scan(&uid, &seen)
	if err != nil {
		return org.User{}, notFound(err)
	}
	if seen < idleCutoff {
		_, _ = db.w.ExecContext(ctx, `DELETE FROM sessions WHERE token_hash = $1`, tokenHash)
		return org.User{}, apperr.ErrNotFound
	}
	if now-seen > sessionTouchMs {
		if _, err := db.w.ExecContext(ctx, `UPDATE sessions SET last_seen_at = $1 WHERE token_hash = $2`, now, tokenHash); err != nil {
			return org.User{}, err
		}
	}
	return db.User(ctx, uid)
}

// DeleteSession ends a session.
func (db *DB) DeleteSession(ctx context.Context, tokenHash string, a audit.Record) error {
	return db.write(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `DELETE FROM sessions WHERE token_hash = $1`, tokenHash); err != nil {
			return err
		}
		return db.appendAudit(ctx, tx, a)
	})
}

// CreateToken stores an API token's hash.
func (db *DB) CreateToken(ctx context.Context, userID int64, name, tokenHash string, now, expires int64, a audit.Record) (int64, error) {
	var id int64
	err := db.write(ctx, func(tx *sql.Tx) error {
		if err := tx.QueryRowContext(ctx, `INSERT INTO api_tokens (user_id, name, token_hash, created_at, expires_at)
			VALUES ($1, $2, $3, $4, $5) RETURNING id`, userID, name, tokenHash, now, expires).Scan(&id); err != nil {
			return err
		}
		a.Detail = "token=" + itoa(id)
		return db.appendAudit(ctx, tx, a)
	})
	return id, err
}

// TokenUser resolves a live token.
func (db *DB) TokenUser(ctx context.Context, tokenHash string, now int64) (org.User, error) {
	var uid int64
	err := db.r.QueryRowContext(ctx, `SELECT t.user_id FROM api_tokens t JOIN users u ON u.id = t.user_id
		WHERE t.token_hash = $1 AND t.revoked_at = 0 AND t.expires_at > $2 AND u.disabled = FALSE`, tokenHash, now).Scan(&uid)
	if err != nil {
		return org.User{}, notFound(err)
	}
	return db.User(ctx, uid)
}

// RevokeToken revokes a token of the user.
func (db *DB) RevokeToken(ctx context.Context, userID, tokenID int64, now int64, a audit.Record) error {
	return db.write(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE api_tokens SET revoked_at = $1 WHERE id = $2 AND user_id = $3 AND revoked_at = 0`,
			now, tokenID, userID)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return apperr.ErrNotFound
		}
		return db.appendAudit(ctx, tx, a)
	})
}
