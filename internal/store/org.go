package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/anguan/anguan/internal/access"
	"github.com/anguan/anguan/internal/apperr"
	"github.com/anguan/anguan/internal/audit"
	"github.com/anguan/anguan/internal/org"
)

const unitColumns = `id, COALESCE(parent_id, 0), level, code, name, short_name, path, created_at`

func scanUnit(sc interface{ Scan(...any) error }) (org.Unit, error) {
	var u org.Unit
	var created int64
	err := sc.Scan(&u.ID, &u.ParentID, &u.Level, &u.Code, &u.Name, &u.ShortName, &u.Path, &created)
	u.CreatedAt = ms(created)
	return u, err
}

// Units lists every unit in tree order.
func (db *DB) Units(ctx context.Context) ([]org.Unit, error) {
	rows, err := db.r.QueryContext(ctx, `SELECT `+unitColumns+` FROM units ORDER BY path`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []org.Unit
	for rows.Next() {
		u, err := scanUnit(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, u)
	}
	return out, rows.Err()
}

// Unit returns one unit.
func (db *DB) Unit(ctx context.Context, id int64) (org.Unit, error) {
	u, err := scanUnit(db.r.QueryRowContext(ctx, `SELECT `+unitColumns+` FROM units WHERE id = $1`, id))
	return u, notFound(err)
}

// UnitByCode returns the unit with a code.
func (db *DB) UnitByCode(ctx context.Context, code string) (org.Unit, error) {
	u, err := scanUnit(db.r.QueryRowContext(ctx, `SELECT `+unitColumns+` FROM units WHERE code = $1`, code))
	return u, notFound(err)
}

func notFound(err error) error {
	if errors.Is(err, sql.ErrNoRows) {
		return apperr.ErrNotFound
	}
	return err
}

// isUnique reports a uniqueness violation on either engine.
func isUnique(err error) bool {
	if err == nil {
		return false
	}
	s := err.Error()
	return strings.Contains(s, "UNIQUE constraint failed") || strings.Contains(s, "SQLSTATE 23505")
}

// CreateUnit inserts a unit; u.Path is the parent's path and the new id is
// appended to it.
func (db *DB) CreateUnit(ctx context.Context, u org.Unit, a audit.Record) (int64, error) {
	var id int64
	err := db.write(ctx, func(tx *sql.Tx) error {
		var parent any
		if u.ParentID != 0 {
			parent = u.ParentID
		}
		err := tx.QueryRowContext(ctx, `INSERT INTO units (parent_id, level, code, name, short_name, path, created_at)
			VALUES ($1, $2, $3, $4, $5, '', $6) RETURNING id`, parent, u.Level, u.Code, u.Name, u.ShortName, db.ms()).Scan(&id)
		if isUnique(err) {
			return apperr.Invalid("code", "err.duplicate")
		}
		if err != nil {
			return err
		}
		path := u.Path
		if path == "" {
			path = "/"
		}
		path += strconv.FormatInt(id, 10) + "/"
		if _, err := tx.ExecContext(ctx, `UPDATE units SET path = $1 WHERE id = $2`, path, id); err != nil {
			return err
		}
		a.ObjectID = strconv.FormatInt(id, 10)
		return db.appendAudit(ctx, tx, a)
	})
	return id, err
}

// Departments lists a unit's departments.
func (db *DB) Departments(ctx context.Context, unitID int64) ([]org.Department, error) {
	rows, err := db.r.QueryContext(ctx, `SELECT id, unit_id, name FROM departments WHERE unit_id = $1 ORDER BY id`, unitID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []org.Department
	for rows.Next() {
		var d org.Department
		if err := rows.Scan(&d.ID, &d.UnitID, &d.Name); err != nil {
			return nil, err
		}
		out = append(out, d)
	}
	return out, rows.Err()
}

// CreateDepartment inserts a department.
func (db *DB) CreateDepartment(ctx context.Context, d org.Department, a audit.Record) (int64, error) {
	var id int64
	err := db.write(ctx, func(tx *sql.Tx) error {
		err := tx.QueryRowContext(ctx, `INSERT INTO departments (unit_id, name, created_at) VALUES ($1, $2, $3) RETURNING id`,
			d.UnitID, d.Name, db.ms()).Scan(&id)
		if isUnique(err) {
			return apperr.Invalid("name", "err.duplicate")
		}
		if err != nil {
			return err
		}
		a.Detail = "department=" + strconv.FormatInt(id, 10)
		return db.appendAudit(ctx, tx, a)
	})
	return id, err
}

const userSelect = `SELECT u.id, u.username, u.name, u.unit_id, n.code, n.name, n.path, COALESCE(u.department_id, 0),
	COALESCE(d.name, ''), u.disabled, u.locked_until, u.created_at
	FROM users u JOIN units n ON n.id = u.unit_id LEFT JOIN departments d ON d.id = u.department_id`

func scanUser(sc interface{ Scan(...any) error }) (org.User, error) {
	var u org.User
	var locked, created int64
	err := sc.Scan(&u.ID, &u.Username, &u.Name, &u.UnitID, &u.UnitCode, &u.UnitName, &u.UnitPath, &u.DepartmentID,
		&u.DepartmentName, &u.Disabled, &locked, &created)
	u.LockedUntil, u.CreatedAt = ms(locked), ms(created)
	return u, err
}

// loadRoles fills in the roles of users (one query for the whole list).
func (db *DB) loadRoles(ctx context.Context, q interface {
	QueryContext(context.Context, string, ...any) (*sql.Rows, error)
}, users []org.User) error {
	if len(users) == 0 {
		return nil
	}
	idx := map[int64]int{}
	var sqlq string
	var args []any
	if len(users) == 1 {
		sqlq, args = `SELECT user_id, role FROM user_roles WHERE user_id = $1 ORDER BY role`, []any{users[0].ID}
	} else {
		sqlq = `SELECT user_id, role FROM user_roles ORDER BY user_id, role`
	}
	for i, u := range users {
		idx[u.ID] = i
	}
	rows, err := q.QueryContext(ctx, sqlq, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var r string
		if err := rows.Scan(&id, &r); err != nil {
			return err
		}
		if i, ok := idx[id]; ok {
			users[i].Roles = append(users[i].Roles, access.Role(r))
		}
	}
	return rows.Err()
}

// Users lists the users of units under a path prefix.
func (db *DB) Users(ctx context.Context, prefix string) ([]org.User, error) {
	rows, err := db.r.QueryContext(ctx, userSelect+` WHERE n.path LIKE $1 ORDER BY n.path, u.id`, prefix+"%")
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []org.User
	for rows.Next() {
		u, err := scanUser(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, u)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	return out, db.loadRoles(ctx, db.r, out)
}

// User returns one user with roles.
func (db *DB) User(ctx context.Context, id int64) (org.User, error) {
	return db.userWhere(ctx, `u.id = $1`, id)
}

// UserByName returns one user by username.
func (db *DB) UserByName(ctx context.Context, username string) (org.User, error) {
	return db.userWhere(ctx, `u.username = $1`, username)
}

func (db *DB) userWhere(ctx context.Context, cond string, arg any) (org.User, error) {
	u, err := scanUser(db.r.QueryRowContext(ctx, userSelect+` WHERE `+cond, arg))
	if err != nil {
		return org.User{}, notFound(err)
	}
	us := []org.User{u}
	err = db.loadRoles(ctx, db.r, us)
	return us[0], err
}

// CreateUser inserts an account with its roles.
func (db *DB) CreateUser(ctx context.Context, u org.User, hash string, a audit.Record) (int64, error) {
	var id int64
	err := db.write(ctx, func(tx *sql.Tx) error {
		var dept any
		if u.DepartmentID != 0 {
			dept = u.DepartmentID
		}
		now := db.ms()
		err := tx.QueryRowContext(ctx, `INSERT INTO users (username, name, unit_id, department_id, password_hash,
			password_changed_at, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`,
			u.Username, u.Name, u.UnitID, dept, hash, now, now).Scan(&id)
		if isUnique(err) {
			return apperr.Invalid("username", "err.duplicate")
		}
		if err != nil {
			return err
		}
		if err := insertRoles(ctx, tx, id, u.Roles); err != nil {
			return err
		}
		a.ObjectID = strconv.FormatInt(id, 10)
		return db.appendAudit(ctx, tx, a)
	})
	return id, err
}

func insertRoles(ctx context.Context, tx *sql.Tx, id int64, roles []access.Role) error {
	for _, r := range roles {
		if _, err := tx.ExecContext(ctx, `INSERT INTO user_roles (user_id, role) VALUES ($1, $2)`, id, string(r)); err != nil {
			return fmt.Errorf("store: role: %w", err)
		}
	}
	return nil
}

// SetRoles replaces a user's roles.
func (db *DB) SetRoles(ctx context.Context, userID int64, roles []access.Role, a audit.Record) error {
	return db.write(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `DELETE FROM user_roles WHERE user_id = $1`, userID); err != nil {
			return err
		}
		if err := insertRoles(ctx, tx, userID, roles); err != nil {
			return err
		}
		return db.appendAudit(ctx, tx, a)
	})
}

// SetPassword stores a new hash, clears the lockout and ends the user's
// sessions, so a reset takes effect everywhere at once.
func (db *DB) SetPassword(ctx context.Context, userID int64, hash string, a audit.Record) error {
	return db.write(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE users SET password_hash = $1, password_changed_at = $2, failed_logins = 0,
			locked_until = 0 WHERE id = $3`, hash, db.ms(), userID)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return apperr.ErrNotFound
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM sessions WHERE user_id = $1`, userID); err != nil {
			return err
		}
		return db.appendAudit(ctx, tx, a)
	})
}

// SetDisabled disables or enables an account; disabling ends its sessions
// (tokens stop working too: token lookups require an enabled account).
func (db *DB) SetDisabled(ctx context.Context, userID int64, disabled bool, a audit.Record) error {
	return db.write(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `UPDATE users SET disabled = $1 WHERE id = $2`, disabled, userID); err != nil {
			return err
		}
		if disabled {
			if _, err := tx.ExecContext(ctx, `DELETE FROM sessions WHERE user_id = $1`, userID); err != nil {
				return err
			}
		}
		return db.appendAudit(ctx, tx, a)
	})
}

// PasswordHash returns the stored hash of a user (to check the old
// password when a user changes their own).
func (db *DB) PasswordHash(ctx context.Context, userID int64) (string, error) {
	var h string
	err := db.r.QueryRowContext(ctx, `SELECT password_hash FROM users WHERE id = $1`, userID).Scan(&h)
	return h, notFound(err)
}
