package store

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/anguan/anguan/internal/apperr"
	"github.com/anguan/anguan/internal/audit"
	"github.com/anguan/anguan/internal/casefile"
)

const sqlNextNumber = `INSERT INTO number_sequences (unit_id, scope, year, last_value) VALUES ($1, $2, $3, 1)
		ON CONFLICT (unit_id, scope, year) DO UPDATE SET last_value = number_sequences.last_value + 1
		RETURNING last_value`

// sqlNumberUnit reads what a case number is made of. The category's
// abbreviation is a scalar subquery, not a join: with the planner's
// statistics (sqlite_stat4) SQLite re-planned the two-table join on every
// execution of the prepared statement, four times the cost of this form.
const sqlNumberUnit = `SELECT u.code, u.short_name, (SELECT g.abbrev FROM categories g WHERE g.code = $2)
		FROM units u WHERE u.id = $1`

const sqlInsertCase = `INSERT INTO cases (unit_id, category, uniform_no, stage_no, name, transferring_organ,
			transfer_doc_no, received_on, intake_outcome, intake_note, status, plea, fast_track, minor, sealed, charges,
			search_text, created_by, created_at, updated_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $19) RETURNING id`

const sqlInsertEvent = `INSERT INTO case_events (case_id, code, occurred_on, outcome, note, actor_id, created_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7)`

// Categories lists the case categories in display order. Only migrations
// write them, so the list is read once per process: every intake validates
// against it, and the read was a twentieth of an intake's time.
func (db *DB) Categories(ctx context.Context) ([]casefile.Category, error) {
	if cats := db.cats.Load(); cats != nil {
		return slices.Clone(*cats), nil
	}
	cats, err := db.readCategories(ctx)
	if err != nil {
		return nil, err
	}
	db.cats.Store(&cats)
	return slices.Clone(cats), nil
}

func (db *DB) readCategories(ctx context.Context) ([]casefile.Category, error) {
	rows, err := db.r.QueryContext(ctx, `SELECT code, name, abbrev, criminal FROM categories ORDER BY sort_order, code`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []casefile.Category
	for rows.Next() {
		var c casefile.Category
		if err := rows.Scan(&c.Code, &c.Name, &c.Abbrev, &c.Criminal); err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

// nextNumber takes the next value of a gapless sequence inside tx. The
// upsert is atomic on both engines and holds the row until commit, so
// concurrent intakes queue on it and a rollback returns the number.
func (db *DB) nextNumber(ctx context.Context, tx *sql.Tx, unitID int64, scope string, year int) (int64, error) {
	var v int64
	err := db.txQueryRow(ctx, tx, sqlNextNumber, unitID, scope, year).Scan(&v)
	return v, err
}

// sqlNextNumbers takes the next value of two sequences in one statement
// (the unified and the stage number of an intake: one round trip fewer on
// PostgreSQL, one statement fewer on SQLite). The rows are locked in the
// order written, the same in every intake, so concurrent intakes queue
// and never deadlock. RETURNING gives no order: the scope tells them apart.
const sqlNextNumbers = `INSERT INTO number_sequences (unit_id, scope, year, last_value) VALUES ($1, $2, $4, 1), ($1, $3, $4, 1)
		ON CONFLICT (unit_id, scope, year) DO UPDATE SET last_value = number_sequences.last_value + 1
		RETURNING scope, last_value`

// sqlNextNumbersWithUnit is sqlNextNumbers with the number parts of the
// unit and category ($5) in the same round trip (PostgreSQL only: SQLite
// has no INSERT inside WITH).
const sqlNextNumbersWithUnit = `WITH n AS (` + sqlNextNumbers + `)
		SELECT n.scope, n.last_value, u.code, u.short_name, (SELECT g.abbrev FROM categories g WHERE g.code = $5)
		FROM n JOIN units u ON u.id = $1`

// allocateNumbers gives an accepted case its unified and stage numbers.
func (db *DB) allocateNumbers(ctx context.Context, tx *sql.Tx, unitID int64, category, receivedOn string) (string, string, error) {
	var u casefile.NumberUnit
	var abbrev sql.NullString
	year, _ := strconv.Atoi(receivedOn[:4])
	uniScope, stageScope := casefile.UniformScope(), casefile.StageScope(category)
	var rows *sql.Rows
	var err error
	if db.engine == Postgres {
		rows, err = db.txQuery(ctx, tx, sqlNextNumbersWithUnit, unitID, uniScope, stageScope, year, category)
	} else {
		if err := db.txQueryRow(ctx, tx, sqlNumberUnit, unitID, category).Scan(&u.Code, &u.ShortName, &abbrev); err != nil {
			return "", "", notFound(err)
		}
		rows, err = db.txQuery(ctx, tx, sqlNextNumbers, unitID, uniScope, stageScope, year)
	}
	if err != nil {
		return "", "", err
	}
	defer rows.Close()
	var us, ss int64
	for rows.Next() {
		var scope string
		var v int64
		dest := []any{&scope, &v}
		if db.engine == Postgres {
			dest = append(dest, &u.Code, &u.ShortName, &abbrev)
		}
		if err := rows.Scan(dest...); err != nil {
			return "", "", err
		}
		switch scope {
		case uniScope:
			us = v
		case stageScope:
			ss = v
		}
	}
	if err := rows.Err(); err != nil {
		return "", "", err
	}
	if us == 0 || ss == 0 || !abbrev.Valid {
		return "", "", apperr.ErrNotFound // no such unit or category
	}
	return casefile.UniformNumber(u, year, us), casefile.StageNumber(u, abbrev.String, year, ss), nil
}

func nullString(s string) any {
	if s == "" {
		return nil
	}
	return s
}

func nullID(id int64) any {
	if id == 0 {
		return nil
	}
	return id
}

// CreateCase registers an intake: numbers (when accepted), the case, its
// parties, its checklist, the "received" event and the audit entry, in one
// transaction.
func (db *DB) CreateCase(ctx context.Context, in casefile.Intake, clocks []casefile.ClockRow, a audit.Record) (int64, error) {
	var id int64
	err := db.write(ctx, func(tx *sql.Tx) error {
		status := casefile.StatusPendingAssignment
		switch in.Outcome {
		case casefile.OutcomeSupplement:
			status = casefile.StatusAwaitingSupplement
		case casefile.OutcomeRefuse:
			status = casefile.StatusRefused
		}
		var uni, stage string
		if in.Outcome == casefile.OutcomeAccept {
			var err error
			if uni, stage, err = db.allocateNumbers(ctx, tx, in.UnitID, in.Category, in.ReceivedOn); err != nil {
				return err
			}
		}
		c := casefile.Case{Name: in.Name, UniformNo: uni, StageNo: stage, TransferDocNo: in.TransferDocNo}
		now := db.ms()
		err := db.txQueryRow(ctx, tx, sqlInsertCase,
			in.UnitID, in.Category, nullString(uni), nullString(stage), in.Name, in.TransferringOrgan, in.TransferDocNo,
			in.ReceivedOn, in.Outcome, in.OutcomeNote, status, in.Plea, in.FastTrack, in.Minor, in.Sealed,
			strings.Join(in.Charges, "、"), casefile.SearchText(c, in.Parties), a.Actor.UserID, now).Scan(&id)
		if err != nil {
			return fmt.Errorf("store: insert case: %w", err)
		}
		// The rows that hang off the new case, and the take-over of an
		// imported card holding its stage number, in one round trip on
		// PostgreSQL.
		if err := db.execChain(ctx, tx,
			takeOverStmt(id, stage),
			partiesStmt(id, in.Parties),
			checksStmt(id, in.Checks),
			clocksStmt(casefile.Case{ID: id, UnitID: in.UnitID, Category: in.Category, Sealed: in.Sealed, Name: in.Name,
				StageNo: stage, Status: status}, db.ms(), clocks),
			eventStmt(casefile.Event{CaseID: id, Code: casefile.EventReceived, OccurredOn: in.ReceivedOn,
				Outcome: in.Outcome, Note: in.OutcomeNote, ActorID: a.Actor.UserID}, now),
		); err != nil {
			return fmt.Errorf("store: insert intake rows: %w", err)
		}
		if err := db.projectCaseCard(ctx, tx, id); err != nil {
			return err
		}
		a.ObjectID = itoa(id)
		if stage != "" {
			a.Detail += " stage_no=" + stage
		}
		return db.appendAudit(ctx, tx, a)
	})
	return id, err
}

// rowsInsert builds a multi-row INSERT of n rows of width columns.
func rowsInsert(head string, width, n int) string {
	var b strings.Builder
	b.WriteString(head)
	for i := 0; i < n; i++ {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteByte('(')
		for j := 0; j < width; j++ {
			if j > 0 {
				b.WriteString(", ")
			}
			fmt.Fprintf(&b, "$%d", i*width+j+1)
		}
		b.WriteByte(')')
	}
	return b.String()
}

func partiesInsert(n int) string {
	return rowsInsert(`INSERT INTO parties (case_id, seq, name, gender, ethnicity, id_type, id_number, birth_date, role,
		custody, measure) VALUES `, 11, n)
}

func checksInsert(n int) string {
	return rowsInsert(`INSERT INTO intake_checks (case_id, item, passed, note) VALUES `, 4, n)
}

// partiesStmt writes all parties of a case in one statement.
func partiesStmt(caseID int64, parties []casefile.Party) stmt {
	if len(parties) == 0 {
		return stmt{}
	}
	args := make([]any, 0, 11*len(parties))
	for i, p := range parties {
		args = append(args, caseID, i+1, p.Name, p.Gender, p.Ethnicity, p.IDType, p.IDNumber, p.BirthDate, p.Role,
			p.Custody, p.Measure)
	}
	return stmt{partiesInsert(len(parties)), args}
}

// checksStmt writes the intake checklist in one statement.
func checksStmt(caseID int64, checks []casefile.Check) stmt {
	if len(checks) == 0 {
		return stmt{}
	}
	args := make([]any, 0, 4*len(checks))
	for _, c := range checks {
		args = append(args, caseID, c.Item, c.Passed, c.Note)
	}
	return stmt{checksInsert(len(checks)), args}
}

func eventStmt(e casefile.Event, now int64) stmt {
	return stmt{sqlInsertEvent, []any{e.CaseID, e.Code, e.OccurredOn, e.Outcome, e.Note, e.ActorID, now}}
}

func (db *DB) insertEvent(ctx context.Context, tx *sql.Tx, e casefile.Event, now int64) error {
	if err := db.execChain(ctx, tx, eventStmt(e, now)); err != nil {
		return fmt.Errorf("store: insert event: %w", err)
	}
	return nil
}

// bumpCase applies an update guarded by the version the caller read, so two
// concurrent writers cannot both act on the same state.
func bumpCase(ctx context.Context, tx *sql.Tx, c casefile.Case, set string, args ...any) error {
	args = append(args, c.ID, c.Version)
	q := fmt.Sprintf(`UPDATE cases SET %s, version = version + 1 WHERE id = $%d AND version = $%d`, set, len(args)-1, len(args))
	res, err := tx.ExecContext(ctx, q, args...)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return apperr.ErrConflict
	}
	return nil
}

// ResolveIntake completes a pending intake.
func (db *DB) ResolveIntake(ctx context.Context, c casefile.Case, outcome, note string, clocks []casefile.ClockRow, a audit.Record) error {
	return db.write(ctx, func(tx *sql.Tx) error {
		now := db.ms()
		if outcome == casefile.OutcomeRefuse {
			if err := bumpCase(ctx, tx, c, `status = $1, intake_outcome = $2, intake_note = $3, updated_at = $4`,
				casefile.StatusRefused, outcome, note, now); err != nil {
				return err
			}
		} else {
			uni, stage, err := db.allocateNumbers(ctx, tx, c.UnitID, c.Category, c.ReceivedOn)
			if err != nil {
				return err
			}
			c.UniformNo, c.StageNo = uni, stage
			parties, err := db.parties(ctx, tx, c.ID)
			if err != nil {
				return err
			}
			if err := bumpCase(ctx, tx, c, `status = $1, intake_outcome = $2, intake_note = $3, updated_at = $4,
				uniform_no = $5, stage_no = $6, search_text = $7`, casefile.StatusPendingAssignment, outcome, note, now,
				uni, stage, casefile.SearchText(c, parties)); err != nil {
				return err
			}
		}
		if err := db.insertEvent(ctx, tx, casefile.Event{CaseID: c.ID, Code: casefile.EventReceived, OccurredOn: c.ReceivedOn,
			Outcome: outcome, Note: note, ActorID: a.Actor.UserID}, now); err != nil {
			return err
		}
		c.Status = casefile.StatusPendingAssignment
		if outcome == casefile.OutcomeRefuse {
			c.Status = casefile.StatusRefused
		}
		if err := db.replaceClocks(ctx, tx, c, clocks); err != nil {
			return err
		}
		if err := db.syncCaseCard(ctx, tx, c.ID); err != nil {
			return err
		}
		return db.appendAudit(ctx, tx, a)
	})
}

const caseSelect = `SELECT c.id, c.unit_id, n.name, n.path, c.category, g.name, COALESCE(c.uniform_no, ''),
	COALESCE(c.stage_no, ''), c.name, c.transferring_organ, c.transfer_doc_no, c.received_on, c.intake_outcome,
	c.intake_note, c.status, c.plea, c.fast_track, c.minor, c.sealed, c.charges, COALESCE(c.department_id, 0),
	COALESCE(c.handler_id, 0), COALESCE(h.name, ''), c.assigned_at, c.decision, c.closed_on, c.returns, c.extensions,
	c.version, c.created_at
	FROM cases c JOIN units n ON n.id = c.unit_id JOIN categories g ON g.code = c.category
	LEFT JOIN users h ON h.id = c.handler_id`

func scanCase(sc interface{ Scan(...any) error }) (casefile.Case, error) {
	var c casefile.Case
	var charges string
	var assigned, created int64
	err := sc.Scan(&c.ID, &c.UnitID, &c.UnitName, &c.UnitPath, &c.Category, &c.CategoryName, &c.UniformNo, &c.StageNo,
		&c.Name, &c.TransferringOrgan, &c.TransferDocNo, &c.ReceivedOn, &c.IntakeOutcome, &c.IntakeNote, &c.Status,
		&c.Plea, &c.FastTrack, &c.Minor, &c.Sealed, &charges, &c.DepartmentID, &c.HandlerID, &c.HandlerName, &assigned,
		&c.Decision, &c.ClosedOn, &c.Returns, &c.Extensions, &c.Version, &created)
	if charges != "" {
		c.Charges = strings.Split(charges, "、")
	}
	c.AssignedAt, c.CreatedAt = ms(assigned), ms(created)
	return c, err
}

// Case loads one case (no access check: the service does that).
func (db *DB) Case(ctx context.Context, id int64) (casefile.Case, error) {
	c, err := scanCase(db.r.QueryRowContext(ctx, caseSelect+` WHERE c.id = $1`, id))
	return c, notFound(err)
}

type querier interface {
	QueryContext(context.Context, string, ...any) (*sql.Rows, error)
}

func (db *DB) parties(ctx context.Context, q querier, caseID int64) ([]casefile.Party, error) {
	rows, err := q.QueryContext(ctx, `SELECT id, name, gender, ethnicity, id_type, id_number, birth_date, role, custody, measure
		FROM parties WHERE case_id = $1 ORDER BY seq`, caseID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []casefile.Party
	for rows.Next() {
		var p casefile.Party
		if err := rows.Scan(&p.ID, &p.Name, &p.Gender, &p.Ethnicity, &p.IDType, &p.IDNumber, &p.BirthDate, &p.Role,
			&p.Custody, &p.Measure); err != nil {
			return nil, err
		}
		out = append(out, p)
	}
	return out, rows.Err()
}

// CaseDetail loads a case with everything its page shows and appends the
// view to the audit log in the same transaction: the read of personal data
// is recorded exactly when it happens.
func (db *DB) CaseDetail(ctx context.Context, id int64, a audit.Record) (casefile.Detail, error) {
	var d casefile.Detail
	err := db.write(ctx, func(tx *sql.Tx) error {
		c, err := scanCase(tx.QueryRowContext(ctx, caseSelect+` WHERE c.id = $1`, id))
		if err != nil {
			return notFound(err)
		}
		d.Case = c
		if d.Parties, err = db.parties(ctx, tx, id); err != nil {
			return err
		}
		if d.Checks, err = checks(ctx, tx, id); err != nil {
			return err
		}
		if d.Events, err = events(ctx, tx, id); err != nil {
			return err
		}
		if d.Assignments, err = assignments(ctx, tx, id); err != nil {
			return err
		}
		return db.appendAudit(ctx, tx, a)
	})
	return d, err
}

func checks(ctx context.Context, q querier, id int64) ([]casefile.Check, error) {
	rows, err := q.QueryContext(ctx, `SELECT item, passed, note FROM intake_checks WHERE case_id = $1`, id)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	byItem := map[string]casefile.Check{}
	for rows.Next() {
		var c casefile.Check
		if err := rows.Scan(&c.Item, &c.Passed, &c.Note); err != nil {
			return nil, err
		}
		byItem[c.Item] = c
	}
	var out []casefile.Check
	for _, item := range casefile.CheckItems() {
		if c, ok := byItem[item]; ok {
			out = append(out, c)
		}
	}
	return out, rows.Err()
}

func events(ctx context.Context, q querier, id int64) ([]casefile.Event, error) {
	rows, err := q.QueryContext(ctx, `SELECT e.id, e.case_id, e.code, e.occurred_on, e.outcome, e.note, e.actor_id,
		COALESCE(u.name, ''), e.created_at FROM case_events e LEFT JOIN users u ON u.id = e.actor_id
		WHERE e.case_id = $1 ORDER BY e.id`, id)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []casefile.Event
	for rows.Next() {
		var e casefile.Event
		var created int64
		if err := rows.Scan(&e.ID, &e.CaseID, &e.Code, &e.OccurredOn, &e.Outcome, &e.Note, &e.ActorID, &e.ActorName,
			&created); err != nil {
			return nil, err
		}
		e.CreatedAt = ms(created)
		out = append(out, e)
	}
	return out, rows.Err()
}

// AddEvent appends an event and moves the case to its next status.
func (db *DB) AddEvent(ctx context.Context, c casefile.Case, e casefile.Event, status string, clocks []casefile.ClockRow, a audit.Record) (casefile.Event, error) {
	err := db.write(ctx, func(tx *sql.Tx) error {
		now := db.ms()
		set := `status = $1, updated_at = $2`
		args := []any{status, now}
		switch e.Code {
		case casefile.EventReturned:
			set += `, returns = returns + 1`
		case casefile.EventExtended:
			set += `, extensions = extensions + 1`
		case casefile.EventDecided:
			set += `, decision = $3`
			args = append(args, e.Outcome)
		case casefile.EventClosed:
			set += `, closed_on = $3`
			args = append(args, e.OccurredOn)
		}
		if err := bumpCase(ctx, tx, c, set, args...); err != nil {
			return err
		}
		if err := tx.QueryRowContext(ctx, `INSERT INTO case_events (case_id, code, occurred_on, outcome, note, actor_id, created_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`, e.CaseID, e.Code, e.OccurredOn, e.Outcome, e.Note, e.ActorID,
			now).Scan(&e.ID); err != nil {
			return err
		}
		e.CreatedAt = ms(now)
		c.Status = status
		if err := db.replaceClocks(ctx, tx, c, clocks); err != nil {
			return err
		}
		if err := db.syncCaseCard(ctx, tx, c.ID); err != nil {
			return err
		}
		return db.appendAudit(ctx, tx, a)
	})
	return e, err
}
