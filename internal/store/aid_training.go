package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/anguan/anguan/internal/aid"
	"github.com/anguan/anguan/internal/apperr"
	"github.com/anguan/anguan/internal/audit"
)

// Training of paired assistance: courses with their sessions, attendance,
// materials and completions; quizzes and their attempts (0011).

const aidCourseColumns = `id, pairing_id, title, area, description, trainer, mode, created_at FROM aid_courses`

func scanAidCourse(rs rowScanner) (aid.Course, error) {
	var c aid.Course
	var at int64
	err := rs.Scan(&c.ID, &c.PairingID, &c.Title, &c.Area, &c.Description, &c.Trainer, &c.Mode, &at)
	c.CreatedAt = ms(at)
	return c, err
}

// aidCourseDetails fills the sessions (with attendees), materials and
// completions of the courses, one query each for all of them.
func (db *DB) aidCourseDetails(ctx context.Context, cs []aid.Course) error {
	if len(cs) == 0 {
		return nil
	}
	ids := make([]int64, len(cs))
	at := map[int64]int{}
	for i, c := range cs {
		ids[i], at[c.ID] = c.ID, i
		cs[i].Sessions, cs[i].Materials, cs[i].Completions = []aid.Session{}, []aid.Material{}, []aid.Completion{}
	}
	in := placeholders(1, len(ids))
	rows, err := db.r.QueryContext(ctx, `SELECT s.id, s.course_id, s.on_date, s.start_time, s.end_time, s.mode, s.place,
		COALESCE(a.user_id, 0) FROM aid_sessions s LEFT JOIN aid_attendance a ON a.session_id = s.id
		WHERE s.course_id IN (`+in+`) ORDER BY s.course_id, s.on_date, s.start_time, s.id, a.user_id`, idArgs(ids)...)
	if err != nil {
		return err
	}
	for rows.Next() {
		var s aid.Session
		var user int64
		if err := rows.Scan(&s.ID, &s.CourseID, &s.OnDate, &s.StartTime, &s.EndTime, &s.Mode, &s.Venue, &user); err != nil {
			rows.Close()
			return err
		}
		c := &cs[at[s.CourseID]]
		if n := len(c.Sessions); n == 0 || c.Sessions[n-1].ID != s.ID {
			s.Attendees = []int64{}
			c.Sessions = append(c.Sessions, s)
		}
		if user != 0 {
			last := &c.Sessions[len(c.Sessions)-1]
			last.Attendees = append(last.Attendees, user)
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	rows, err = db.r.QueryContext(ctx, `SELECT m.id, m.course_id, a.id, a.file_name, a.content_type, a.size, a.sha256
		FROM aid_materials m JOIN aid_attachments a ON a.id = m.attachment_id
		WHERE m.course_id IN (`+in+`) ORDER BY m.course_id, m.id`, idArgs(ids)...)
	if err != nil {
		return err
	}
	for rows.Next() {
		var m aid.Material
		if err := rows.Scan(&m.ID, &m.CourseID, &m.File.ID, &m.File.Name, &m.File.ContentType, &m.File.Size,
			&m.File.SHA256); err != nil {
			rows.Close()
			return err
		}
		c := &cs[at[m.CourseID]]
		c.Materials = append(c.Materials, m)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	rows, err = db.r.QueryContext(ctx, `SELECT c.course_id, c.user_id, u.name, c.completed_on, c.evidence_id
		FROM aid_completions c JOIN users u ON u.id = c.user_id
		WHERE c.course_id IN (`+in+`) ORDER BY c.course_id, c.completed_on, c.user_id`, idArgs(ids)...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var k aid.Completion
		if err := rows.Scan(&k.CourseID, &k.UserID, &k.UserName, &k.CompletedOn, &k.EvidenceID); err != nil {
			return err
		}
		c := &cs[at[k.CourseID]]
		c.Completions = append(c.Completions, k)
	}
	return rows.Err()
}

// AidCourses lists a pairing's courses, latest first, with their details.
func (db *DB) AidCourses(ctx context.Context, pairingID int64) ([]aid.Course, error) {
	rows, err := db.r.QueryContext(ctx, `SELECT `+aidCourseColumns+` WHERE pairing_id = $1 ORDER BY id DESC`, pairingID)
	if err != nil {
		return nil, err
	}
	var out []aid.Course
	for rows.Next() {
		c, err := scanAidCourse(rows)
		if err != nil {
			rows.Close()
			return nil, err
		}
		out = append(out, c)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	return out, db.aidCourseDetails(ctx, out)
}

// AidCourse loads one course with its details.
func (db *DB) AidCourse(ctx context.Context, id int64) (aid.Course, error) {
	c, err := scanAidCourse(db.r.QueryRowContext(ctx, `SELECT `+aidCourseColumns+` WHERE id = $1`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return aid.Course{}, apperr.ErrNotFound
	}
	if err != nil {
		return aid.Course{}, err
	}
	cs := []aid.Course{c}
	err = db.aidCourseDetails(ctx, cs)
	return cs[0], err
}

// CreateAidCourse inserts a course with its audit entry.
func (db *DB) CreateAidCourse(ctx context.Context, c aid.Course, actorID int64, rec audit.Record) (int64, error) {
	var id int64
	err := db.write(ctx, func(tx *sql.Tx) error {
		if err := tx.QueryRowContext(ctx, `INSERT INTO aid_courses (pairing_id, title, area, description, trainer, mode,
			created_by, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id`, c.PairingID, c.Title, c.Area,
			c.Description, c.Trainer, c.Mode, nullID(actorID), db.ms()).Scan(&id); err != nil {
			return err
		}
		rec.Detail += " course=" + itoa(id)
		return db.appendAudit(ctx, tx, rec)
	})
	return id, err
}

// AddAidSession inserts a session with its audit entry.
func (db *DB) AddAidSession(ctx context.Context, s aid.Session, rec audit.Record) (int64, error) {
	var id int64
	err := db.write(ctx, func(tx *sql.Tx) error {
		if err := tx.QueryRowContext(ctx, `INSERT INTO aid_sessions (course_id, on_date, start_time, end_time, mode, place,
			created_at) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`, s.CourseID, s.OnDate, s.StartTime, s.EndTime,
			s.Mode, s.Venue, db.ms()).Scan(&id); err != nil {
			return err
		}
		rec.Detail += " session=" + itoa(id)
		return db.appendAudit(ctx, tx, rec)
	})
	return id, err
}

// AidSession loads a session with its attendees.
func (db *DB) AidSession(ctx context.Context, id int64) (aid.Session, error) {
	s := aid.Session{ID: id, Attendees: []int64{}}
	err := db.r.QueryRowContext(ctx, `SELECT course_id, on_date, start_time, end_time, mode, place FROM aid_sessions
		WHERE id = $1`, id).Scan(&s.CourseID, &s.OnDate, &s.StartTime, &s.EndTime, &s.Mode, &s.Venue)
	if errors.Is(err, sql.ErrNoRows) {
		return aid.Session{}, apperr.ErrNotFound
	}
	if err != nil {
		return aid.Session{}, err
	}
	rows, err := db.r.QueryContext(ctx, `SELECT user_id FROM aid_attendance WHERE session_id = $1 ORDER BY user_id`, id)
	if err != nil {
		return aid.Session{}, err
	}
	defer rows.Close()
	for rows.Next() {
		var u int64
		if err := rows.Scan(&u); err != nil {
			return aid.Session{}, err
		}
		s.Attendees = append(s.Attendees, u)
	}
	return s, rows.Err()
}

// SetAidAttendance replaces a session's attendees and records the
// completions it makes, with their evidence and the audit entry, in one
// transaction. The course row is locked on PostgreSQL (SQLite has one
// writer), so two markings of the same course cannot both miss, or both
// record, a completion.
func (db *DB) SetAidAttendance(ctx context.Context, sessionID int64, userIDs []int64, actorID int64, ev aid.Evidence,
	rec audit.Record) ([]int64, error) {
	var done []int64
	err := db.write(ctx, func(tx *sql.Tx) error {
		done = nil
		lock := `SELECT c.id FROM aid_courses c JOIN aid_sessions s ON s.course_id = c.id WHERE s.id = $1`
		if db.engine == Postgres {
			lock += ` FOR UPDATE OF c`
		}
		var courseID int64
		if err := tx.QueryRowContext(ctx, lock, sessionID).Scan(&courseID); err != nil {
			if errors.Is(err, sql.ErrNoRows) {
				return apperr.ErrNotFound
			}
			return err
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM aid_attendance WHERE session_id = $1`, sessionID); err != nil {
			return err
		}
		now := db.ms()
		for _, u := range userIDs {
			if _, err := tx.ExecContext(ctx, `INSERT INTO aid_attendance (session_id, user_id, marked_by, marked_at)
				VALUES ($1, $2, $3, $4)`, sessionID, u, nullID(actorID), now); err != nil {
				return err
			}
		}
		// Completed: present at every session of the course, and not yet
		// recorded as completed.
		rows, err := tx.QueryContext(ctx, `SELECT a.user_id FROM aid_attendance a JOIN aid_sessions s ON s.id = a.session_id
			WHERE s.course_id = $1 AND NOT EXISTS (SELECT 1 FROM aid_completions k WHERE k.course_id = $1 AND k.user_id = a.user_id)
			GROUP BY a.user_id HAVING COUNT(*) = (SELECT COUNT(*) FROM aid_sessions WHERE course_id = $1)
			ORDER BY a.user_id`, courseID)
		if err != nil {
			return err
		}
		for rows.Next() {
			var u int64
			if err := rows.Scan(&u); err != nil {
				rows.Close()
				return err
			}
			done = append(done, u)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		for _, u := range done {
			e := ev
			e.UserID = u
			evID, err := db.insertAidEvidence(ctx, tx, e)
			if err != nil {
				return err
			}
			if _, err := tx.ExecContext(ctx, `INSERT INTO aid_completions (course_id, user_id, completed_on, evidence_id)
				VALUES ($1, $2, $3, $4)`, courseID, u, ev.OnDate, evID); err != nil {
				return err
			}
		}
		rec.Detail += fmt.Sprintf(" completed=%d", len(done))
		return db.appendAudit(ctx, tx, rec)
	})
	return done, err
}

// AddAidMaterial stores a course's file (in aid_attachments, as the
// ledger's are) with its audit entry.
func (db *DB) AddAidMaterial(ctx context.Context, pairingID, courseID int64, att aid.Attachment, content []byte, actorID int64,
	rec audit.Record) (int64, error) {
	var id int64
	err := db.write(ctx, func(tx *sql.Tx) error {
		now := db.ms()
		var attID int64
		if err := tx.QueryRowContext(ctx, `INSERT INTO aid_attachments (pairing_id, file_name, content_type, size, sha256,
			content, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`, pairingID, att.Name, att.ContentType,
			att.Size, att.SHA256, content, now).Scan(&attID); err != nil {
			return err
		}
		if err := tx.QueryRowContext(ctx, `INSERT INTO aid_materials (course_id, attachment_id, created_by, created_at)
			VALUES ($1, $2, $3, $4) RETURNING id`, courseID, attID, nullID(actorID), now).Scan(&id); err != nil {
			return err
		}
		rec.Detail += " material=" + itoa(id)
		return db.appendAudit(ctx, tx, rec)
	})
	return id, err
}

// AidMaterial loads a course's file with its content.
func (db *DB) AidMaterial(ctx context.Context, courseID, materialID int64) (aid.Attachment, []byte, error) {
	return db.aidFile(ctx, `aid_materials m JOIN aid_attachments a ON a.id = m.attachment_id WHERE m.id = $1 AND m.course_id = $2`,
		materialID, courseID)
}

const aidQuizSelect = `SELECT q.id, q.pairing_id, q.title, q.area, q.sources, q.seed, q.pass_mark, q.questions,
	COALESCE(u.name, ''), q.created_at,
	(SELECT COUNT(*) FROM aid_quiz_attempts a WHERE a.quiz_id = q.id),
	(SELECT COUNT(DISTINCT a.user_id) FROM aid_quiz_attempts a WHERE a.quiz_id = q.id AND a.passed)
	FROM aid_quizzes q LEFT JOIN users u ON u.id = q.created_by`

func scanAidQuiz(rs rowScanner, withQuestions bool) (aid.Quiz, error) {
	var q aid.Quiz
	var sources, questions string
	var at int64
	if err := rs.Scan(&q.ID, &q.PairingID, &q.Title, &q.Area, &sources, &q.Seed, &q.PassMark, &questions, &q.CreatorName,
		&at, &q.Attempts, &q.Passed); err != nil {
		return q, err
	}
	q.CreatedAt = ms(at)
	q.Sources = strings.Split(sources, ",")
	var qs []aid.QuizQuestion
	if err := json.Unmarshal([]byte(questions), &qs); err != nil {
		return q, fmt.Errorf("store: quiz %d questions: %w", q.ID, err)
	}
	q.Count = len(qs)
	if withQuestions {
		q.Questions = qs
	}
	return q, nil
}

// AidQuizzes lists a pairing's quizzes, latest first.
func (db *DB) AidQuizzes(ctx context.Context, pairingID int64) ([]aid.Quiz, error) {
	rows, err := db.r.QueryContext(ctx, aidQuizSelect+` WHERE q.pairing_id = $1 ORDER BY q.id DESC`, pairingID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []aid.Quiz
	for rows.Next() {
		q, err := scanAidQuiz(rows, false)
		if err != nil {
			return nil, err
		}
		out = append(out, q)
	}
	return out, rows.Err()
}

// AidQuiz loads a quiz with its questions.
func (db *DB) AidQuiz(ctx context.Context, id int64) (aid.Quiz, error) {
	q, err := scanAidQuiz(db.r.QueryRowContext(ctx, aidQuizSelect+` WHERE q.id = $1`, id), true)
	if errors.Is(err, sql.ErrNoRows) {
		return aid.Quiz{}, apperr.ErrNotFound
	}
	return q, err
}

// CreateAidQuiz inserts a quiz with the snapshot of its questions and its
// audit entry.
func (db *DB) CreateAidQuiz(ctx context.Context, q aid.Quiz, actorID int64, rec audit.Record) (int64, error) {
	questions, err := json.Marshal(q.Questions)
	if err != nil {
		return 0, err
	}
	var id int64
	err = db.write(ctx, func(tx *sql.Tx) error {
		if err := tx.QueryRowContext(ctx, `INSERT INTO aid_quizzes (pairing_id, title, area, sources, seed, pass_mark,
			questions, created_by, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id`, q.PairingID, q.Title,
			q.Area, strings.Join(q.Sources, ","), q.Seed, q.PassMark, string(questions), nullID(actorID), db.ms()).Scan(&id); err != nil {
			return err
		}
		rec.Detail += " quiz=" + itoa(id)
		return db.appendAudit(ctx, tx, rec)
	})
	return id, err
}

const aidAttemptSelect = `SELECT a.id, a.quiz_id, a.user_id, u.name, a.answers, a.correct, a.total, a.score, a.passed,
	COALESCE(a.evidence_id, 0), a.submitted_at FROM aid_quiz_attempts a JOIN users u ON u.id = a.user_id`

func scanAidAttempt(rs rowScanner) (aid.Attempt, error) {
	var a aid.Attempt
	var answers string
	var at int64
	if err := rs.Scan(&a.ID, &a.QuizID, &a.UserID, &a.UserName, &answers, &a.Correct, &a.Total, &a.Score, &a.Passed,
		&a.EvidenceID, &at); err != nil {
		return a, err
	}
	a.SubmittedAt = ms(at)
	if err := json.Unmarshal([]byte(answers), &a.Answers); err != nil {
		return a, fmt.Errorf("store: attempt %d answers: %w", a.ID, err)
	}
	return a, nil
}

// AidAttempts lists a quiz's attempts, latest first.
func (db *DB) AidAttempts(ctx context.Context, quizID int64) ([]aid.Attempt, error) {
	rows, err := db.r.QueryContext(ctx, aidAttemptSelect+` WHERE a.quiz_id = $1 ORDER BY a.id DESC`, quizID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []aid.Attempt
	for rows.Next() {
		a, err := scanAidAttempt(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, a)
	}
	return out, rows.Err()
}

// AidAttempt loads one attempt.
func (db *DB) AidAttempt(ctx context.Context, id int64) (aid.Attempt, error) {
	a, err := scanAidAttempt(db.r.QueryRowContext(ctx, aidAttemptSelect+` WHERE a.id = $1`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return aid.Attempt{}, apperr.ErrNotFound
	}
	return a, err
}

// AddAidAttempt stores an attempt, and for the first passing attempt of
// a person at a quiz its evidence, with the audit entry, in one
// transaction (the quiz row is locked on PostgreSQL so two passing
// attempts at once record the evidence once).
func (db *DB) AddAidAttempt(ctx context.Context, a aid.Attempt, ev *aid.Evidence, rec audit.Record) (int64, error) {
	answers, err := json.Marshal(a.Answers)
	if err != nil {
		return 0, err
	}
	var id int64
	err = db.write(ctx, func(tx *sql.Tx) error {
		lock := `SELECT id FROM aid_quizzes WHERE id = $1`
		if db.engine == Postgres {
			lock += ` FOR UPDATE`
		}
		var qid int64
		if err := tx.QueryRowContext(ctx, lock, a.QuizID).Scan(&qid); err != nil {
			if errors.Is(err, sql.ErrNoRows) {
				return apperr.ErrNotFound
			}
			return err
		}
		var evID any
		if ev != nil {
			var n int
			if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM aid_quiz_attempts WHERE quiz_id = $1 AND user_id = $2
				AND evidence_id IS NOT NULL`, a.QuizID, a.UserID).Scan(&n); err != nil {
				return err
			}
			if n == 0 {
				e, err := db.insertAidEvidence(ctx, tx, *ev)
				if err != nil {
					return err
				}
				evID = e
			}
		}
		if err := tx.QueryRowContext(ctx, `INSERT INTO aid_quiz_attempts (quiz_id, user_id, answers, correct, total, score,
			passed, evidence_id, submitted_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id`, a.QuizID, a.UserID,
			string(answers), a.Correct, a.Total, a.Score, a.Passed, evID, db.ms()).Scan(&id); err != nil {
			return err
		}
		rec.Detail += fmt.Sprintf(" attempt=%d evidence=%t", id, evID != nil)
		return db.appendAudit(ctx, tx, rec)
	})
	return id, err
}
