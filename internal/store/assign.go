package store

import (
	"context"
	"database/sql"
	"errors"

	"github.com/anguan/anguan/internal/apperr"
	"github.com/anguan/anguan/internal/assign"
	"github.com/anguan/anguan/internal/audit"
	"github.com/anguan/anguan/internal/casefile"
)

func assignments(ctx context.Context, q querier, caseID int64) ([]casefile.Assignment, error) {
	rows, err := q.QueryContext(ctx, `SELECT a.id, a.case_id, a.handler_id, u.name, a.kind, COALESCE(a.pool_id, 0), a.round,
		a.explanation, a.reason, a.designated_by, a.actor_id, a.created_at
		FROM assignments a JOIN users u ON u.id = a.handler_id WHERE a.case_id = $1 ORDER BY a.id`, caseID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []casefile.Assignment
	for rows.Next() {
		var a casefile.Assignment
		var created int64
		if err := rows.Scan(&a.ID, &a.CaseID, &a.HandlerID, &a.HandlerName, &a.Kind, &a.PoolID, &a.Round, &a.Explanation,
			&a.Reason, &a.DesignatedBy, &a.ActorID, &created); err != nil {
			return nil, err
		}
		a.CreatedAt = ms(created)
		out = append(out, a)
	}
	return out, rows.Err()
}

// forUpdate locks the selected rows on PostgreSQL; SQLite's single writer
// already holds the database.
func (db *DB) forUpdate() string {
	if db.engine == Postgres {
		return " FOR UPDATE"
	}
	return ""
}

// AssignRotation picks the handler from the pool of the case's unit and
// category under the pool's lock and records everything in one transaction.
func (db *DB) AssignRotation(ctx context.Context, c casefile.Case, decide casefile.Decider, explain func(assign.Decision) string,
	today string, a audit.Record) (casefile.Assignment, error) {
	var out casefile.Assignment
	err := db.write(ctx, func(tx *sql.Tx) error {
		var poolID, deptID int64
		var st assign.State
		err := tx.QueryRowContext(ctx, `SELECT id, department_id, round, cursor FROM assign_pools
			WHERE unit_id = $1 AND category = $2 ORDER BY id LIMIT 1`+db.forUpdate(), c.UnitID, c.Category).
			Scan(&poolID, &deptID, &st.Round, &st.Cursor)
		if errors.Is(err, sql.ErrNoRows) {
			return apperr.Invalid("pool", "err.no_pool")
		}
		if err != nil {
			return err
		}
		members, err := poolMembers(ctx, tx, poolID)
		if err != nil {
			return err
		}
		ms := make([]assign.Member, len(members))
		for i, m := range members {
			ms[i] = m.Member
		}
		d, err := decide(ms, st)
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE assign_pools SET round = $1, cursor = $2 WHERE id = $3`,
			d.Next.Round, d.Next.Cursor, poolID); err != nil {
			return err
		}
		if d.Compensated {
			if _, err := tx.ExecContext(ctx, `UPDATE pool_members SET compensation = compensation - 1
				WHERE pool_id = $1 AND user_id = $2 AND compensation > 0`, poolID, d.UserID); err != nil {
				return err
			}
		}
		out = casefile.Assignment{CaseID: c.ID, HandlerID: d.UserID, HandlerName: d.Name, Kind: casefile.KindRotation,
			PoolID: poolID, Round: d.Round, Explanation: explain(d)}
		return db.recordAssignment(ctx, tx, c, deptID, &out, today, a)
	})
	return out, err
}

// AssignDesignated records a designated assignment; the rotation state is
// untouched.
func (db *DB) AssignDesignated(ctx context.Context, c casefile.Case, handlerID int64, d assign.Decision, explanation, today string,
	a audit.Record) (casefile.Assignment, error) {
	out := casefile.Assignment{CaseID: c.ID, HandlerID: handlerID, HandlerName: d.Name, Kind: casefile.KindDesignated,
		Explanation: explanation, Reason: d.Reason, DesignatedBy: d.Designator}
	err := db.write(ctx, func(tx *sql.Tx) error {
		var dept sql.NullInt64
		if err := tx.QueryRowContext(ctx, `SELECT department_id FROM users WHERE id = $1`, handlerID).Scan(&dept); err != nil {
			return err
		}
		return db.recordAssignment(ctx, tx, c, dept.Int64, &out, today, a)
	})
	return out, err
}

func (db *DB) recordAssignment(ctx context.Context, tx *sql.Tx, c casefile.Case, deptID int64, as *casefile.Assignment,
	today string, a audit.Record) error {
	now := db.ms()
	if err := bumpCase(ctx, tx, c, `status = $1, handler_id = $2, department_id = $3, assigned_at = $4, updated_at = $4`,
		casefile.StatusInProgress, as.HandlerID, nullID(deptID), now); err != nil {
		return err
	}
	// The board reads handler, department and status from the clocks.
	if _, err := tx.ExecContext(ctx, `UPDATE case_clocks SET handler_id = $1, department_id = $2, status = $3
		WHERE case_id = $4`, as.HandlerID, nullID(deptID), casefile.StatusInProgress, c.ID); err != nil {
		return err
	}
	as.ActorID, as.CreatedAt = a.Actor.UserID, ms(now)
	if err := tx.QueryRowContext(ctx, `INSERT INTO assignments (case_id, handler_id, kind, pool_id, round, explanation, reason,
		designated_by, actor_id, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id`,
		as.CaseID, as.HandlerID, as.Kind, nullID(as.PoolID), as.Round, as.Explanation, as.Reason, as.DesignatedBy,
		as.ActorID, now).Scan(&as.ID); err != nil {
		return err
	}
	if err := db.insertEvent(ctx, tx, casefile.Event{CaseID: c.ID, Code: casefile.EventAssigned, OccurredOn: today,
		Note: as.HandlerName, ActorID: a.Actor.UserID}, now); err != nil {
		return err
	}
	a.Detail += " handler=" + itoa(as.HandlerID)
	if err := db.syncCaseCard(ctx, tx, c.ID); err != nil {
		return err
	}
	return db.appendAudit(ctx, tx, a)
}

// HandlerCandidate returns a prosecutor or assistant of the unit as a
// member for designation.
func (db *DB) HandlerCandidate(ctx context.Context, unitID, userID int64) (assign.Member, error) {
	m := assign.Member{UserID: userID, M: 1, N: 1}
	err := db.r.QueryRowContext(ctx, `SELECT u.name FROM users u WHERE u.id = $1 AND u.unit_id = $2 AND u.disabled = FALSE
		AND EXISTS (SELECT 1 FROM user_roles r WHERE r.user_id = u.id AND r.role IN ('prosecutor', 'assistant'))`,
		userID, unitID).Scan(&m.Name)
	return m, notFound(err)
}
