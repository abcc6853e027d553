package store

import (
	"context"
	"database/sql"

	"github.com/anguan/anguan/internal/apperr"
	"github.com/anguan/anguan/internal/audit"
	"github.com/anguan/anguan/internal/casefile"
)

func poolMembers(ctx context.Context, q querier, poolID int64) ([]casefile.PoolMember, error) {
	rows, err := q.QueryContext(ctx, `SELECT m.user_id, u.name, m.m, m.n, m.absent, m.compensation, m.position
		FROM pool_members m JOIN users u ON u.id = m.user_id WHERE m.pool_id = $1 ORDER BY m.position, m.user_id`, poolID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []casefile.PoolMember
	for rows.Next() {
		var p casefile.PoolMember
		if err := rows.Scan(&p.UserID, &p.Name, &p.M, &p.N, &p.Absent, &p.Compensation, &p.Position); err != nil {
			return nil, err
		}
		out = append(out, p)
	}
	return out, rows.Err()
}

// Pools lists a unit's pools with members.
func (db *DB) Pools(ctx context.Context, unitID int64) ([]casefile.Pool, error) {
	rows, err := db.r.QueryContext(ctx, `SELECT p.id, p.unit_id, p.department_id, d.name, p.category, g.name, p.round, p.cursor
		FROM assign_pools p JOIN departments d ON d.id = p.department_id JOIN categories g ON g.code = p.category
		WHERE p.unit_id = $1 ORDER BY g.sort_order, p.id`, unitID)
	if err != nil {
		return nil, err
	}
	var out []casefile.Pool
	for rows.Next() {
		var p casefile.Pool
		if err := rows.Scan(&p.ID, &p.UnitID, &p.DepartmentID, &p.DepartmentName, &p.Category, &p.CategoryName,
			&p.Round, &p.Cursor); err != nil {
			rows.Close()
			return nil, err
		}
		out = append(out, p)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	for i := range out {
		if out[i].Members, err = poolMembers(ctx, db.r, out[i].ID); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// Pool returns one pool (members included).
func (db *DB) Pool(ctx context.Context, id int64) (casefile.Pool, error) {
	var p casefile.Pool
	err := db.r.QueryRowContext(ctx, `SELECT id, unit_id, department_id, category, round, cursor FROM assign_pools WHERE id = $1`,
		id).Scan(&p.ID, &p.UnitID, &p.DepartmentID, &p.Category, &p.Round, &p.Cursor)
	if err != nil {
		return p, notFound(err)
	}
	p.Members, err = poolMembers(ctx, db.r, id)
	return p, err
}

// CreatePool adds a pool for a department × category.
func (db *DB) CreatePool(ctx context.Context, p casefile.Pool, a audit.Record) (int64, error) {
	var id int64
	err := db.write(ctx, func(tx *sql.Tx) error {
		err := tx.QueryRowContext(ctx, `INSERT INTO assign_pools (unit_id, department_id, category, created_at)
			VALUES ($1, $2, $3, $4) RETURNING id`, p.UnitID, p.DepartmentID, p.Category, db.ms()).Scan(&id)
		if isUnique(err) {
			return apperr.Invalid("category", "err.duplicate")
		}
		if err != nil {
			return err
		}
		a.ObjectID = itoa(id)
		return db.appendAudit(ctx, tx, a)
	})
	return id, err
}

// PutMember adds or updates a member of a pool.
func (db *DB) PutMember(ctx context.Context, poolID int64, m casefile.PoolMember, a audit.Record) error {
	return db.write(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO pool_members (pool_id, user_id, position, m, n, absent, compensation)
			VALUES ($1, $2, COALESCE((SELECT max(position) + 1 FROM pool_members WHERE pool_id = $1), 0), $3, $4, $5, $6)
			ON CONFLICT (pool_id, user_id) DO UPDATE SET m = excluded.m, n = excluded.n, absent = excluded.absent,
			compensation = excluded.compensation`, poolID, m.UserID, m.M, m.N, m.Absent, m.Compensation)
		if err != nil {
			return err
		}
		return db.appendAudit(ctx, tx, a)
	})
}

// Workload counts open cases per handler of a unit (prosecutors and
// assistants with none are listed with zero).
func (db *DB) Workload(ctx context.Context, unitID int64) ([]casefile.Load, error) {
	rows, err := db.r.QueryContext(ctx, `SELECT u.id, u.name, COALESCE(d.name, ''),
		(SELECT count(*) FROM cases c WHERE c.handler_id = u.id AND c.status NOT IN ('closed', 'refused')),
		(SELECT count(*) FROM cases c WHERE c.handler_id = u.id)
		FROM users u LEFT JOIN departments d ON d.id = u.department_id
		WHERE u.unit_id = $1 AND EXISTS (SELECT 1 FROM user_roles r WHERE r.user_id = u.id AND r.role IN ('prosecutor', 'assistant'))
		ORDER BY u.id`, unitID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []casefile.Load
	for rows.Next() {
		var l casefile.Load
		if err := rows.Scan(&l.UserID, &l.Name, &l.Department, &l.Open, &l.Total); err != nil {
			return nil, err
		}
		out = append(out, l)
	}
	return out, rows.Err()
}
